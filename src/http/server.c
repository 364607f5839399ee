/* server: accepts connections, reads bounded bodies, dispatches through the route table and
 * sends the handler's answer with the security headers every response carries. */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "http/guard.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/resp.h"
#include "http/status.h"

#define MAX_WORKERS 64
/* A request's line and header fields together. Larger ones are answered 431 here, with the
 * security headers; past libmicrohttpd's connection memory (32 KiB) it answers 431 itself,
 * without them (it offers no way to shape its own answers). */
#define HEADERS_MAX (16 * 1024)

struct server {
    struct MHD_Daemon *daemon;
    struct guard *guard;
    struct server_config cfg;
    pthread_mutex_t lock; /* guards stores[] */
    struct store *stores[MAX_WORKERS + 8];
    size_t n_stores;
};

/* Each worker thread keeps one database connection for its whole life (DESIGN.md §2). */
static _Thread_local struct store *thread_store;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct store *worker_store(struct server *s)
{
    if (thread_store)
        return thread_store;
    if (!(thread_store = s->cfg.store_open(s->cfg.store_cls)))
        return NULL;
    pthread_mutex_lock(&s->lock);
    if (s->n_stores < sizeof(s->stores) / sizeof(s->stores[0]))
        s->stores[s->n_stores++] = thread_store;
    pthread_mutex_unlock(&s->lock);
    return thread_store;
}

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'; object-src 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                           "interest-cohort=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
};

static enum MHD_Result send_response(struct MHD_Connection *conn, struct req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t len;
    char *body = buf_detach(&r->out, &len);

    /* Counted as it is answered, so a scrape that follows an answer always sees it. */
    metrics_request(r->route, r->status, now_seconds() - r->started);
    resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    if (r->no_store)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    for (size_t i = 0; i < r->n_headers; i++)
        MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
    ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void req_error(struct server *s, struct req *r, int status, const char *message)
{
    buf_reset(&r->out);
    r->n_headers = 0;
    s->cfg.error_page(r, status, message);
}

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *encoding, const char *data, uint64_t off,
                                  size_t size)
{
    struct req *r = cls;
    struct form_field *f;

    (void)kind, (void)filename, (void)content_type, (void)encoding;
    if (!key) {
        r->bad_body = true; /* a multipart part without a name: libmicrohttpd passes NULL */
        return MHD_YES;
    }
    if (data && size && memchr(data, '\0', size)) {
        r->bad_body = true; /* "Ed%00ge" must not quietly become "Ed" */
        return MHD_YES;
    }
    /* Continuation chunks of a long value arrive with off > 0: extend the last field, doubling
     * its room so that a value sent in tiny pieces costs linear, not quadratic, memory. */
    if (off > 0 && r->n_fields && strcmp(r->fields[r->n_fields - 1].name, key) == 0) {
        f = &r->fields[r->n_fields - 1];
        if (f->len + size + 1 > f->cap) {
            size_t cap = f->cap ? f->cap : 64;
            while (cap < f->len + size + 1)
                cap *= 2;
            f->room = arena_alloc(r->arena, cap);
            memcpy(f->room, f->value, f->len);
            f->value = f->room;
            f->cap = cap;
        }
        memcpy(f->room + f->len, data, size);
        f->len += size;
        f->room[f->len] = '\0';
        return MHD_YES;
    }
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 32;
        struct form_field *nf = arena_alloc(r->arena, cap * sizeof(*nf));
        if (r->n_fields)
            memcpy(nf, r->fields, r->n_fields * sizeof(*nf));
        r->fields = nf;
        r->cap_fields = cap;
    }
    f = &r->fields[r->n_fields++];
    f->name = arena_strdup(r->arena, key);
    f->room = arena_strndup(r->arena, data ? data : "", size);
    f->value = f->room;
    f->len = size;
    f->cap = size + 1;
    return MHD_YES;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* MHD_OPTION_UNESCAPE_CALLBACK: percent-decoding of the path and the query, except that %00
 * stays as it is: a decoded NUL would cut the text short ("/static/haven.css%00.txt" would
 * serve the CSS), so a path holding it is refused (400) and a query value keeps it visible to
 * the validators. Returns the new length. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    char *w = s;

    (void)cls, (void)conn;
    for (const char *p = s; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0 &&
            (hi || lo)) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

struct conn_ctx {
    struct req req;
    struct MHD_PostProcessor *pp;
    struct guard_conn *guarded; /* the connection's deadlines (http/guard.c), or NULL */
    size_t received;
};

/* The guard's record of a connection (its socket context), or NULL. */
static struct guard_conn *guarded(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return ci ? ci->socket_context : NULL;
}

/* Finds the request's row and its :params; a 404 or 405 is left in r->status. */
static void route_request(struct server *s, struct req *r, struct MHD_Connection *conn,
                          const char *method, const char *url)
{
    struct route_params params;
    const char *allow = NULL;

    /* /metrics on the main port: only with the token, else the same 404 as any unknown path */
    if (s->cfg.metrics_route && (r->is_head || strcmp(method, "GET") == 0) &&
        strcmp(url, s->cfg.metrics_route->pattern) == 0 &&
        metrics_token_ok(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"))) {
        r->route = s->cfg.metrics_route;
        return;
    }
    switch (router_match_tables(s->cfg.routes, method, url, &r->route, &params, &allow)) {
    case ROUTE_FOUND:
        for (int i = 0; i < params.n && i < REQ_MAX_PARAMS; i++) {
            r->param_name[i] = arena_strndup(r->arena, params.name[i], params.name_len[i]);
            r->param_value[i] = arena_strndup(r->arena, params.value[i], params.value_len[i]);
        }
        r->n_params = params.n < REQ_MAX_PARAMS ? params.n : REQ_MAX_PARAMS;
        break;
    case ROUTE_NO_PATH: r->status = 404; break;
    case ROUTE_NO_METHOD:
        r->status = 405;
        resp_header(r, "Allow", allow);
        break;
    }
}

static void ctx_init(struct server *s, struct conn_ctx *c, struct MHD_Connection *conn,
                     const char *url, const char *method)
{
    struct req *r = &c->req;
    const union MHD_ConnectionInfo *ci;
    const char *cl, *ct;
    char addr[INET6_ADDRSTRLEN] = "-";

    r->arena = arena_new();
    r->app = s->cfg.app;
    r->conn = conn;
    r->started = now_seconds();
    r->method = arena_strdup(r->arena, method);
    r->path = arena_strdup(r->arena, url);
    r->is_head = strcmp(method, "HEAD") == 0;
    r->status = 200;
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  addr, sizeof(addr));
    r->client = arena_strdup(r->arena, addr);

    r->bad_path = strstr(url, "%00") != NULL; /* a NUL in the path (see unescape) */
    if (!r->bad_path)
        route_request(s, r, conn, method, url);
    r->body.limit = r->route && r->route->body_limit ? r->route->body_limit : ROUTE_BODY_DEFAULT;
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    r->refusal = ci && ci->header_size > HEADERS_MAX ? 431 : 0;
    /* Refuse an announced oversize body before reading a byte of it. */
    cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl &&
        strtoull(cl, NULL, 10) > (r->route && r->route->body == BODY_NONE ? 0 : r->body.limit))
        r->too_large = true;
    /* A chunked body is refused before libmicrohttpd reads it: its answer to a malformed chunk
     * would lack the security headers, and no client of Haven's needs one (browsers, and
     * proxies that buffer, send a Content-Length). A route that takes no body says 413. */
    if (!r->refusal && !r->too_large &&
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        if (r->route && r->route->body == BODY_NONE)
            r->too_large = true;
        else
            r->refusal = 411;
    }
    /* Haven's forms are URL-encoded; any other body (multipart) is refused as unreadable. */
    ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (r->route && r->route->body == BODY_FORM && !r->too_large && !r->refusal && ct &&
        strncasecmp(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
                    strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0) {
        c->pp = MHD_create_post_processor(conn, 8192, form_field, r);
    }
}

static void dispatch(struct server *s, struct conn_ctx *c)
{
    struct req *r = &c->req;

    if (r->refusal == 431) {
        req_error(s, r, 431, "The request's header fields are too large.");
        return;
    }
    if (r->refusal == 411) {
        req_error(s, r, 411, "Please send the body with its length (Content-Length), not in "
                             "chunks.");
        return;
    }
    if (r->bad_path) {
        req_error(s, r, 400, "The address could not be read.");
        return;
    }
    if (r->too_large) {
        req_error(s, r, 413, "The request is too large.");
        return;
    }
    if (r->status == 404) {
        req_error(s, r, 404, "There is no page at this address.");
        return;
    }
    if (r->status == 405) {
        const char *allow = r->headers[0][1];
        req_error(s, r, 405, "This address does not accept that kind of request.");
        resp_header(r, "Allow", allow);
        return;
    }
    if (r->bad_body) {
        req_error(s, r, 400, "The form could not be read.");
        return;
    }
    proxy_client_address(r);
    r->store = worker_store(s);
    if (!r->store) {
        req_error(s, r, 503, "The service is starting or unavailable; please try again.");
        return;
    }
    s->cfg.run(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct server *s = cls;
    struct conn_ctx *c = *con_cls;

    (void)version;
    if (!c) {
        /* First call: headers only. Answering now would close the connection (DESIGN §2). */
        c = xcalloc(1, sizeof(*c));
        *con_cls = c;
        ctx_init(s, c, conn, url, method);
        c->guarded = guarded(conn);
        if (!c->req.too_large && !c->req.refusal) {
            guard_phase(s->guard, c->guarded, GUARD_BODY);
            return MHD_YES;
        }
        guard_phase(s->guard, c->guarded, GUARD_ANSWERING);
        dispatch(s, c);
        return send_response(conn, &c->req);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        struct req *r = &c->req;
        *upload_data_size = 0;
        c->received += n;
        /* A route that takes no body gets none: 413, as for one over its limit. */
        if (r->too_large || c->received > r->body.limit ||
            (r->route && r->route->body == BODY_NONE)) {
            r->too_large = true;
            return MHD_YES;
        }
        if (c->pp) {
            if (MHD_post_process(c->pp, upload_data, n) != MHD_YES)
                r->bad_body = true;
        } else if (r->route && r->route->body == BODY_JSON) {
            buf_add(&r->body, upload_data, n);
        }
        return MHD_YES;
    }
    if (c->req.route && c->req.route->body == BODY_FORM && !c->pp && c->received &&
        !c->req.too_large)
        c->req.bad_body = true; /* a body that is not a URL-encoded form */
    guard_phase(s->guard, c->guarded, GUARD_ANSWERING);
    dispatch(s, c);
    return send_response(conn, &c->req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_ctx *c = *con_cls;
    struct req *r;

    (void)conn;
    if (!c)
        return;
    /* The next request's header clock starts (a closing connection is forgotten next). */
    guard_phase(((struct server *)cls)->guard, c->guarded, GUARD_WAITING);
    r = &c->req;
    /* Route pattern, not the path: paths may one day carry record ids. */
    log_info("%s %s %d %.2fms%s", r->method, r->route ? r->route->pattern : "-", r->status,
             (now_seconds() - r->started) * 1e3,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    if (c->pp)
        MHD_destroy_post_processor(c->pp);
    buf_free(&r->out);
    buf_free(&r->body);
    arena_free(r->arena);
    free(c);
    *con_cls = NULL;
}

/* MHD_OPTION_EXTERNAL_LOGGER: libmicrohttpd's own messages (a client gone mid-request, a
 * connection the guard cut) become Haven's debug lines: at one a connection, a louder level
 * would let any client flood the log, and a raw line would break HAVEN_LOG_FORMAT=json. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
        return;
    msg[strcspn(msg, "\n")] = '\0';
    log_debug("libmicrohttpd: %s", msg);
}

/* MHD accept policy: one address may not hold more than its share of the connections. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct server *s = cls;

    (void)len;
    return guard_admit(s->guard, addr) ? MHD_YES : MHD_NO;
}

/* MHD_OPTION_NOTIFY_CONNECTION: the guard counts connections and starts their clocks. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    const union MHD_ConnectionInfo *addr, *fd;

    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_close(s->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    addr = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    *socket_context = addr && fd ? guard_open(s->guard, addr->client_addr, fd->connect_fd) : NULL;
}

/* MHD_OPTION_URI_LOG_CALLBACK: a request line arrived, so the connection is no longer idle (a
 * cut is then worth a log line). Returns NULL: the access handler's first call stays the one
 * with *con_cls NULL. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *s = cls;

    (void)uri;
    guard_phase(s->guard, guarded(conn), GUARD_BEGUN);
    return NULL;
}

struct server *server_start(const struct server_config *cfg)
{
    struct server *s = xcalloc(1, sizeof(*s));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    unsigned threads = cfg->threads;

    if (inet_pton(AF_INET, cfg->bind, &sa.sin_addr) != 1) {
        log_error("cannot listen: %s is not an IPv4 address", cfg->bind);
        free(s);
        return NULL;
    }
    if (!threads) {
        /* Four workers a core: with synchronous=FULL a worker waits for the disk on every
         * audited page, and the audit trail's group commit can batch only entries whose
         * workers are waiting together (bench, 2 cores, signed-in queue at 64 connections:
         * 2 workers 1.9k requests/s, p99 158 ms; 8 workers 6.1k, p99 36 ms). */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? 4 * (unsigned)n : 4;
    }
    if (threads > MAX_WORKERS)
        threads = MAX_WORKERS;
    s->cfg = *cfg;
    if (!(s->guard = guard_start(&cfg->guard))) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    /* One option a line. The external logger first: it must see every message. */
    s->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, accept_policy, s, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_request_line, s,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)GUARD_MAX_CONNECTIONS,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_END);
    if (!s->daemon) {
        log_error("cannot listen on %s:%u", cfg->bind, cfg->port);
        guard_stop(s->guard);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

unsigned server_port(const struct server *s)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void server_stop(struct server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    guard_stop(s->guard);
    for (size_t i = 0; i < s->n_stores; i++)
        s->cfg.store_close(s->stores[i]);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
