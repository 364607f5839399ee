/* notify: how a patient hears of a new message, when they asked to: a notification that says
 * only "You have a new message in Haven" (never who wrote or what), handed to a delivery
 * backend. The backend is chosen once from the environment: HAVEN_SMTP_URL names a mail relay.
 * This build has no SMTP client (the Makefile links no mail or HTTP library; adding libcurl
 * is a decision for the project), so every configuration gets the "none" backend, which sends
 * nothing and says so in the log once, at info (or at warning when a relay was configured
 * that this build cannot use). */
#include "modules/messages/messages.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"

#define NOTIFY_TEXT "You have a new message in Haven"

static pthread_once_t said = PTHREAD_ONCE_INIT;

static void say_none(void)
{
    const char *url = getenv("HAVEN_SMTP_URL");

    if (url && url[0])
        log_warn("notify: HAVEN_SMTP_URL is set but this build has no smtp backend; no "
                 "notifications are sent");
    else
        log_info("notify: no delivery backend configured (HAVEN_SMTP_URL); no notifications "
                 "are sent");
}

static int none_send(const char *to, const char *text)
{
    (void)to;
    (void)text;
    pthread_once(&said, say_none);
    return -1;
}

static const struct messages_backend none = { .name = "none", .send = none_send };

const struct messages_backend *messages_backend(void)
{
    return &none;
}

int messages_notify(const char *to)
{
    if (!to || !to[0])
        return -1;
    return messages_backend()->send(to, NOTIFY_TEXT);
}
