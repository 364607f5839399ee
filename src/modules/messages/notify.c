/* notify: how a patient hears of a new message, when they asked to: a notification that says
 * only "You have a new message in Haven" (never who wrote or what), handed to a delivery
 * backend chosen once from the environment:
 *   HAVEN_SMTP_URL       the mail relay (smtp://host:port, or smtps://host:port); unset: none
 *   HAVEN_SMTP_FROM      the sender address (required with a relay)
 *   HAVEN_SMTP_USER, HAVEN_SMTP_PASSWORD   the relay's account, when it asks for one
 * The "smtp" backend sends through libcurl on a thread of its own, so that a slow relay never
 * holds the staff member's answer; smtp:// upgrades to TLS when the relay offers it. Without a
 * relay the "none" backend sends nothing and says so in the log once. The log never holds the
 * address, the password or the text. */
#include "modules/messages/messages.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/xalloc.h"

#define NOTIFY_TEXT "You have a new message in Haven"
/* The message: a subject that says nothing about treatment, and the one sentence. */
#define MAIL_FORMAT                                                                                \
    "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: Haven\r\nMessage-ID: <%s@haven>\r\n"        \
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
/* The longest address accepted (RFC 5321's path limit). */
#define ADDRESS_MAX 254

static struct {
    char url[512], from[ADDRESS_MAX + 1], user[256], password[256];
} relay;
static const struct messages_backend *chosen;
static pthread_once_t chosen_once = PTHREAD_ONCE_INIT;

/* One message on its way: the envelope and the text as the relay reads it. */
struct mail {
    char to[ADDRESS_MAX + 1];
    char *text;
    size_t len, off;
};

static int none_send(const char *to, const char *text)
{
    (void)to;
    (void)text;
    return -1;
}

static const struct messages_backend none = {.name = "none", .send = none_send};

static size_t mail_read(char *buf, size_t size, size_t n, void *p)
{
    struct mail *m = p;
    size_t left = m->len - m->off, take = size * n < left ? size * n : left;

    memcpy(buf, m->text + m->off, take);
    m->off += take;
    return take;
}

static void *mail_thread(void *arg)
{
    struct mail *m = arg;
    struct curl_slist *rcpt = NULL;
    char to[ADDRESS_MAX + 3], from[ADDRESS_MAX + 3];
    CURL *c = curl_easy_init();
    CURLcode rc = CURLE_FAILED_INIT;

    snprintf(to, sizeof(to), "<%s>", m->to);
    snprintf(from, sizeof(from), "<%s>", relay.from);
    if (c && (rcpt = curl_slist_append(NULL, to))) {
        curl_easy_setopt(c, CURLOPT_URL, relay.url);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_read);
        curl_easy_setopt(c, CURLOPT_READDATA, m);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
        if (relay.user[0]) {
            curl_easy_setopt(c, CURLOPT_USERNAME, relay.user);
            curl_easy_setopt(c, CURLOPT_PASSWORD, relay.password);
        }
        rc = curl_easy_perform(c);
    }
    if (rc == CURLE_OK)
        log_info("notify: a notification was handed to the relay");
    else
        log_warn("notify: the relay did not take a notification: %s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    if (c)
        curl_easy_cleanup(c);
    free(m->text);
    free(m);
    return NULL;
}

/* Whether an address can go into an envelope and a header as it is: one line, one @, no
 * brackets, spaces or quotes that would change the message. */
static bool address_ok(const char *a)
{
    size_t n = strlen(a);

    return n >= 3 && n <= ADDRESS_MAX && strchr(a, '@') && !strpbrk(a, "\r\n<>\" ,;\\");
}

static int smtp_send(const char *to, const char *text)
{
    char date[64], id[33];
    struct mail *m;
    pthread_attr_t attr;
    pthread_t t;
    time_t now = time(NULL);
    struct tm tm;
    int ok;

    if (!address_ok(to))
        return -1;
    m = xcalloc(1, sizeof(*m));
    snprintf(m->to, sizeof(m->to), "%s", to);
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    rand_hex(id, 16);
    m->len = (size_t)snprintf(NULL, 0, MAIL_FORMAT, date, relay.from, to, id, text);
    m->text = xmalloc(m->len + 1);
    snprintf(m->text, m->len + 1, MAIL_FORMAT, date, relay.from, to, id, text);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    ok = pthread_create(&t, &attr, mail_thread, m) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) {
        log_warn("notify: no thread to send a notification");
        free(m->text);
        free(m);
        return -1;
    }
    return 0;
}

static const struct messages_backend smtp = {.name = "smtp", .send = smtp_send};

/* The backend the environment asks for, decided once (curl_global_init is not thread-safe:
 * pthread_once makes it run once, before the first send). */
static void choose(void)
{
    const char *url = getenv("HAVEN_SMTP_URL"), *from = getenv("HAVEN_SMTP_FROM");
    const char *user = getenv("HAVEN_SMTP_USER"), *password = getenv("HAVEN_SMTP_PASSWORD");

    chosen = &none;
    if (!url || !url[0]) {
        log_info("notify: no delivery backend configured (HAVEN_SMTP_URL); no notifications "
                 "are sent");
        return;
    }
    if ((strncmp(url, "smtp://", 7) && strncmp(url, "smtps://", 8)) ||
        strlen(url) >= sizeof(relay.url) || !from || !address_ok(from)) {
        log_warn("notify: HAVEN_SMTP_URL must be smtp:// or smtps:// and HAVEN_SMTP_FROM an "
                 "address; no notifications are sent");
        return;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_warn("notify: the mail library did not start; no notifications are sent");
        return;
    }
    snprintf(relay.url, sizeof(relay.url), "%s", url);
    snprintf(relay.from, sizeof(relay.from), "%s", from);
    snprintf(relay.user, sizeof(relay.user), "%s", user ? user : "");
    snprintf(relay.password, sizeof(relay.password), "%s", password ? password : "");
    chosen = &smtp;
    /* Not the URL itself: it may carry the relay's account. */
    log_info("notify: notifications go through the relay of HAVEN_SMTP_URL");
}

const struct messages_backend *messages_backend(void)
{
    pthread_once(&chosen_once, choose);
    return chosen;
}

int messages_notify(const char *to)
{
    if (!to || !to[0])
        return -1;
    return messages_backend()->send(to, NOTIFY_TEXT);
}
