/* histogram: relaxed atomic adds; a reader's buckets may be a few observations apart from one
 * another, but it makes them cumulative from one copy, so its counts never go down the list. */
#include "core/histogram.h"

#include <time.h>

/* 0.5 ms to 1 s: a page takes a few milliseconds, a commit with fsync about one to ten. */
const double histogram_bounds[HISTOGRAM_BOUNDS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0};

struct histogram histogram_db_commit;

double histogram_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void histogram_observe(struct histogram *h, double seconds)
{
    size_t i = 0;

    if (seconds < 0)
        seconds = 0;
    while (i < HISTOGRAM_BOUNDS && seconds > histogram_bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_us, (uint64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
}

void histogram_since(struct histogram *h, double start)
{
    histogram_observe(h, histogram_now() - start);
}

void histogram_read(struct histogram *h, struct histogram_snapshot *out)
{
    uint64_t total = 0;

    for (size_t i = 0; i <= HISTOGRAM_BOUNDS; i++) {
        total += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        out->cumulative[i] = total;
    }
    out->sum = (double)atomic_load_explicit(&h->sum_us, memory_order_relaxed) / 1e6;
}
