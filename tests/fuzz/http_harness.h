/* http_harness: the real HTTP server (http/server.c on libmicrohttpd) on 127.0.0.1 for the
 * request fuzzers (fuzz_request, fuzz_form_body, fuzz_headers). Each input is one
 * connection's bytes: everything libmicrohttpd parses (request line, headers, cookies, the
 * URL-encoded body) and what Haven does with it (the path's unescaping, the route match and its
 * :params, the form fields as they arrive in pieces, X-Forwarded-For behind the trusted proxy)
 * runs as in `haven serve`. The route runs harness_run instead of a handler: it reads the
 * request the way handlers do (fields, params, headers, the session cookie against a real,
 * empty store, the CSRF cookie) and checks what every handler relies on. A finding is a
 * sanitizer report or an abort() here.
 * Included by each driver (static functions: one harness per binary). */
#ifndef HAVEN_FUZZ_HTTP_HARNESS_H
#define HAVEN_FUZZ_HTTP_HARNESS_H

#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/rand.h"
#include "http/csrf.h"
#include "http/proxy.h"
#include "http/server.h"
#include "modules/modules.h"
#include "store/store.h"
#include "web/session.h"

/* How long a connection may stay silent before it is given up: an answer takes well under a
 * millisecond, and libmicrohttpd does not notice the client's half-close, so a request it still
 * waits for (a body longer than what was sent) would otherwise hold the connection 30 s. */
#define HARNESS_WAIT_MS 100

static enum err harness_handler(struct req *r)
{
    (void)r;
    return E_OK;
}

/* Rows of every body kind, with :params, besides the real tables (their paths and limits). */
static const struct route harness_routes[] = {
    {.method = "GET", .pattern = "/fuzz/:id/x/:other", .handler = harness_handler},
    {.method = "POST", .pattern = "/fuzz/form", .handler = harness_handler, .body = BODY_FORM},
    {.method = "POST", .pattern = "/fuzz/form/:id", .handler = harness_handler,
     .body = BODY_FORM, .body_limit = 1 << 20},
    {.method = "POST", .pattern = "/fuzz/json", .handler = harness_handler, .body = BODY_JSON},
};
static const struct route_table harness_table = {
    harness_routes, sizeof(harness_routes) / sizeof(harness_routes[0])};
#define HARNESS_TABLES 16
static const struct route_table *harness_tables[HARNESS_TABLES]; /* NULL-terminated */
static unsigned harness_port;

static int harness_param_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

static void harness_run(struct req *r)
{
    struct staff_session ss;

    for (size_t i = 0; i < r->n_fields; i++) {
        const struct form_field *f = &r->fields[i];
        /* A value never hides a NUL, and its length is its text's. */
        if (!f->name || !f->value || strlen(f->value) != f->len || !req_form(r, f->name))
            abort();
    }
    for (int i = 0; i < r->n_params; i++) {
        const char *v = req_param(r, r->param_name[i]);
        size_t n = v ? strlen(v) : 0;
        if (!v || n == 0 || n > ROUTE_PARAM_MAX)
            abort();
        for (size_t k = 0; k < n; k++)
            if (!harness_param_char(v[k]))
                abort();
    }
    if (!r->client || !*r->client)
        abort();
    (void)req_header(r, "Host");
    (void)req_header_last(r, "X-Forwarded-For");
    (void)req_query(r, "q");
    (void)session_of(r, &ss);
    (void)csrf_check(r);
    (void)csrf_token(r);
    r->status = 200;
    r->content_type = "text/plain";
    buf_add(&r->out, "ok", 2);
}

static void harness_error(struct req *r, int status, const char *message)
{
    r->status = status;
    r->content_type = "text/plain";
    buf_add(&r->out, message, strlen(message));
}

/* The worker's store: an empty database in memory, migrated, so that session lookups run. */
static struct store *harness_store_open(const void *cls)
{
    struct store *s;
    int n;

    (void)cls;
    if (store_open(":memory:", &s) != E_OK || store_migrate(s, &n) != E_OK)
        abort();
    return s;
}

static void harness_init(void)
{
    static struct server_config cfg = {
        .bind = "127.0.0.1",
        .threads = 2,
        .routes = harness_tables,
        .store_open = harness_store_open,
        .store_close = store_close,
        .run = harness_run,
        .error_page = harness_error,
    };
    struct server *s;
    size_t n = 0;

    if (harness_port)
        return;
    signal(SIGPIPE, SIG_IGN);
    log_set_level(LOG_ERROR); /* no access log line per input */
    /* The tests play the reverse proxy, so that X-Forwarded-For is read. */
    if (rand_init() < 0 || proxy_init("127.0.0.1") < 0)
        abort();
    harness_tables[n++] = &harness_table;
    for (size_t i = 0; modules_routes[i] && n + 1 < HARNESS_TABLES; i++)
        harness_tables[n++] = modules_routes[i];
    if (!(s = server_start(&cfg)))
        abort();
    harness_port = server_port(s);
}

/* One connection: sends data (stopping where the server stops reading), then twice a request
 * that asks to close (libmicrohttpd keeps an idle HTTP/1.1 connection open until its timeout,
 * even after the client's half-close; twice, in case a body swallows the first), and reads the
 * answers until the server closes, so that the next input starts only when this one is done.
 * An input whose last request the server still waits for (its body swallowed both) is not a
 * finding: it is given up after HARNESS_WAIT_MS of silence. */
static void harness_send(const uint8_t *data, size_t size)
{
    static const char last[] = "GET /fuzz/end HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                               "GET /fuzz/end HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)harness_port)};
    struct pollfd p;
    char answer[16384];
    size_t off = 0;
    ssize_t k;
    int fd;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        perror("harness: connect");
        abort();
    }
    while (off < size && (k = send(fd, data + off, size - off, MSG_NOSIGNAL)) > 0)
        off += (size_t)k;
    if (off == size)
        (void)send(fd, last, sizeof(last) - 1, MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    p = (struct pollfd){.fd = fd, .events = POLLIN};
    while (poll(&p, 1, HARNESS_WAIT_MS) == 1 && recv(fd, answer, sizeof(answer), 0) > 0)
        ;
    close(fd);
}

#endif
