/* metrics: one slot per route row (and one for requests no row took), found by a binary search
 * of the rows' addresses, sorted once at start-up; each slot holds a counter per status and a
 * latency histogram, all atomic. Only rows that have answered are written out. */
#include "http/metrics.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/histogram.h"
#include "core/xalloc.h"

/* The statuses Haven answers (http/status.c); any other is counted as "other". */
static const int codes[] = {200, 303, 304, 400, 401, 403, 404, 405, 409,
                            410, 411, 413, 415, 422, 429, 431, 500, 503};
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

struct route_stats {
    const struct route *rt; /* NULL: the requests no row took */
    _Atomic uint64_t by_code[N_CODES + 1];
    struct histogram latency;
};

/* Written once by metrics_init, before threads; then only the atomics change. */
static struct route_stats *stats;
static size_t n_stats;
static _Atomic uint64_t refused, cut_headers, cut_body;
static unsigned char token_hash[crypto_generichash_BYTES];
static bool token_on;
static double started;     /* monotonic seconds */
static time_t started_at;  /* wall clock */

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct route_stats *)a)->rt;
    uintptr_t y = (uintptr_t)((const struct route_stats *)b)->rt;

    return x < y ? -1 : x > y;
}

void metrics_init(const struct route_table *const *tables, const struct route *extra)
{
    size_t n = 2;

    for (const struct route_table *const *t = tables; t && *t; t++)
        n += (*t)->n;
    free(stats);
    stats = xcalloc(n, sizeof(*stats));
    n_stats = 1; /* stats[0]: rt NULL, the lowest address */
    for (const struct route_table *const *t = tables; t && *t; t++)
        for (size_t i = 0; i < (*t)->n; i++)
            stats[n_stats++].rt = &(*t)->routes[i];
    if (extra)
        stats[n_stats++].rt = extra;
    qsort(stats, n_stats, sizeof(*stats), by_address);
    started = histogram_now();
    started_at = time(NULL);
}

void metrics_free(void)
{
    free(stats);
    stats = NULL;
    n_stats = 0;
}

static struct route_stats *slot_of(const struct route *rt)
{
    struct route_stats key = {.rt = rt};

    return n_stats ? bsearch(&key, stats, n_stats, sizeof(*stats), by_address) : NULL;
}

void metrics_request(const struct route *rt, int status, double seconds)
{
    struct route_stats *s = slot_of(rt);
    size_t i = 0;

    if (!s)
        return;
    while (i < N_CODES && codes[i] != status)
        i++;
    atomic_fetch_add_explicit(&s->by_code[i], 1, memory_order_relaxed);
    histogram_observe(&s->latency, seconds);
}

void metrics_refused(void)
{
    atomic_fetch_add_explicit(&refused, 1, memory_order_relaxed);
}

void metrics_cut(bool body)
{
    atomic_fetch_add_explicit(body ? &cut_body : &cut_headers, 1, memory_order_relaxed);
}

int metrics_token_set(const char *token)
{
    size_t len = token ? strlen(token) : 0;

    token_on = false;
    if (!token)
        return 0;
    if (len < METRICS_TOKEN_MIN)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (token[i] <= ' ' || token[i] >= 0x7f)
            return -1;
    crypto_generichash(token_hash, sizeof(token_hash), (const unsigned char *)token, len, NULL,
                       0);
    token_on = true;
    return 0;
}

bool metrics_token_required(void)
{
    return token_on;
}

bool metrics_token_ok(const char *authorization)
{
    unsigned char h[sizeof(token_hash)];
    const char *t;

    if (!token_on || !authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    t = authorization + 7;
    /* Hashes, then compares the hashes: the time taken says nothing of the token's length or
     * of how much of it matched. */
    crypto_generichash(h, sizeof(h), (const unsigned char *)t, strlen(t), NULL, 0);
    return sodium_memcmp(h, token_hash, sizeof(h)) == 0;
}

static void head(struct buf *out, const char *name, const char *type, const char *help)
{
    buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* method="GET",route="/staff/referrals/:id" (patterns hold no quotes, but escape anyway). */
static void route_labels(struct buf *out, const struct route *rt)
{
    const char *p = rt ? rt->pattern : "-";

    buf_addf(out, "method=\"%s\",route=\"", rt ? rt->method : "-");
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_add(out, "\\", 1);
        buf_add(out, *p == '\n' ? "\\n" : p, *p == '\n' ? 2 : 1);
    }
    buf_adds(out, "\"");
}

/* A histogram's series; labels ("" for none) are the ones every series of it carries. */
static void write_histogram(struct buf *out, const char *name, const char *labels,
                            struct histogram *h)
{
    struct histogram_snapshot s;
    const char *sep = *labels ? "," : "";

    histogram_read(h, &s);
    for (size_t i = 0; i < HISTOGRAM_BOUNDS; i++)
        buf_addf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
                 histogram_bounds[i], (unsigned long long)s.cumulative[i]);
    buf_addf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep,
             (unsigned long long)s.cumulative[HISTOGRAM_BOUNDS]);
    if (*labels)
        buf_addf(out, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name, labels, s.sum, name, labels,
                 (unsigned long long)s.cumulative[HISTOGRAM_BOUNDS]);
    else
        buf_addf(out, "%s_sum %.6f\n%s_count %llu\n", name, s.sum, name,
                 (unsigned long long)s.cumulative[HISTOGRAM_BOUNDS]);
}

static uint64_t answered(struct route_stats *s)
{
    uint64_t n = 0;

    for (size_t i = 0; i <= N_CODES; i++)
        n += atomic_load_explicit(&s->by_code[i], memory_order_relaxed);
    return n;
}

static long resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, pages = 0;

    if (f) {
        if (fscanf(f, "%ld %ld", &size, &pages) != 2)
            pages = 0;
        fclose(f);
    }
    return pages * sysconf(_SC_PAGESIZE);
}

void metrics_gauge(struct buf *out, const char *name, const char *help, double value)
{
    head(out, name, "gauge", help);
    buf_addf(out, "%s %.15g\n", name, value);
}

void metrics_write(struct buf *out)
{
    struct buf labels = BUF_INIT;

    head(out, "haven_http_requests_total", "counter",
         "Requests answered, by route pattern (\"-\": none matched) and status.");
    for (size_t i = 0; i < n_stats; i++)
        for (size_t c = 0; c <= N_CODES; c++) {
            uint64_t v = atomic_load_explicit(&stats[i].by_code[c], memory_order_relaxed);
            char code[8];
            if (!v)
                continue;
            snprintf(code, sizeof(code), c < N_CODES ? "%d" : "other", c < N_CODES ? codes[c] : 0);
            buf_adds(out, "haven_http_requests_total{");
            route_labels(out, stats[i].rt);
            buf_addf(out, ",code=\"%s\"} %llu\n", code, (unsigned long long)v);
        }
    head(out, "haven_http_request_duration_seconds", "histogram",
         "Time from a request's headers to its answer being ready, by route pattern.");
    for (size_t i = 0; i < n_stats; i++) {
        if (!answered(&stats[i]))
            continue;
        buf_reset(&labels);
        route_labels(&labels, stats[i].rt);
        write_histogram(out, "haven_http_request_duration_seconds", buf_cstr(&labels),
                        &stats[i].latency);
    }
    buf_free(&labels);
    head(out, "haven_db_commit_duration_seconds", "histogram",
         "Time a database COMMIT takes to make a transaction durable.");
    write_histogram(out, "haven_db_commit_duration_seconds", "", &histogram_db_commit);
    head(out, "haven_connections_refused_total", "counter",
         "Connections refused because their address held its limit.");
    buf_addf(out, "haven_connections_refused_total %llu\n",
             (unsigned long long)atomic_load_explicit(&refused, memory_order_relaxed));
    head(out, "haven_connections_cut_total", "counter",
         "Connections shut because a request's headers or body came too slowly.");
    buf_addf(out, "haven_connections_cut_total{part=\"headers\"} %llu\n",
             (unsigned long long)atomic_load_explicit(&cut_headers, memory_order_relaxed));
    buf_addf(out, "haven_connections_cut_total{part=\"body\"} %llu\n",
             (unsigned long long)atomic_load_explicit(&cut_body, memory_order_relaxed));
    metrics_gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
                  (double)resident_bytes());
    metrics_gauge(out, "process_start_time_seconds",
                  "Start time of the process since the Unix epoch in seconds.",
                  (double)started_at);
    metrics_gauge(out, "haven_uptime_seconds", "Seconds since the server started.",
                  histogram_now() - started);
}
