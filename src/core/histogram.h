/* histogram: how long something took, counted into fixed buckets from 0.5 ms to 1 s (the
 * Prometheus histogram of http/metrics.c). Lock-free: any thread may observe while another
 * reads. It lives in core/ because the store's driver times its commits (the one histogram
 * below the web layer, histogram_db_commit) and the store may not include http/. */
#ifndef HAVEN_HISTOGRAM_H
#define HAVEN_HISTOGRAM_H

#include <stdatomic.h>
#include <stdint.h>

/* Upper bounds in seconds; a last bucket takes the rest (+Inf). */
#define HISTOGRAM_BOUNDS 11
extern const double histogram_bounds[HISTOGRAM_BOUNDS];

struct histogram {
    _Atomic uint64_t bucket[HISTOGRAM_BOUNDS + 1]; /* not cumulative; the last is +Inf */
    _Atomic uint64_t sum_us;                       /* microseconds, all observations */
};

/* What a reader sees: cumulative counts as Prometheus wants them. */
struct histogram_snapshot {
    uint64_t cumulative[HISTOGRAM_BOUNDS + 1]; /* the last is the count */
    double sum;                                /* seconds */
};

/* The database's commits (store/sqlite/db_sqlite.c): the time COMMIT takes to make a
 * transaction durable. Zero-initialised, so nothing needs setting up. */
extern struct histogram histogram_db_commit;

/* Monotonic seconds, for timing (histogram_since). */
double histogram_now(void);
void histogram_observe(struct histogram *h, double seconds);
/* Observes the time since start (a histogram_now() reading). */
void histogram_since(struct histogram *h, double start);
void histogram_read(struct histogram *h, struct histogram_snapshot *out);

#endif
