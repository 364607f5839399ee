/* Unit tests for http/metrics (and the core/histogram it writes): counts by route row and
 * status, bucket edges (a bucket holds what is at most its bound), the text written, and the
 * bearer token's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/histogram.h"
#include "http/metrics.h"

static enum err h(struct req *r)
{
    (void)r;
    return E_OK;
}

static const struct route rows[] = {
    {.method = "GET", .pattern = "/", .handler = h},
    {.method = "GET", .pattern = "/staff/referrals/:id", .handler = h},
    {.method = "POST", .pattern = "/staff/referrals/:id", .handler = h},
};
static const struct route_table table = {rows, sizeof(rows) / sizeof(rows[0])};
static const struct route_table *const tables[] = {&table, NULL};
static const struct route extra = {.method = "GET", .pattern = "/metrics", .handler = h};

static const char *written(void)
{
    static struct buf out;

    buf_reset(&out);
    metrics_write(&out);
    return buf_cstr(&out);
}

/* Lines the text must hold after the requests below. */
static const char *const lines[] = {
    "# TYPE haven_http_requests_total counter\n",
    "haven_http_requests_total{method=\"GET\",route=\"/staff/referrals/:id\",code=\"200\"} 2\n",
    "haven_http_requests_total{method=\"POST\",route=\"/staff/referrals/:id\",code=\"422\"} 1\n",
    "haven_http_requests_total{method=\"GET\",route=\"/metrics\",code=\"200\"} 1\n",
    "haven_http_requests_total{method=\"-\",route=\"-\",code=\"404\"} 1\n",
    "haven_http_requests_total{method=\"GET\",route=\"/\",code=\"other\"} 1\n",
    /* 2 ms: above 1 ms, within 2.5 ms */
    "_bucket{method=\"GET\",route=\"/staff/referrals/:id\",le=\"0.001\"} 0\n",
    "_bucket{method=\"GET\",route=\"/staff/referrals/:id\",le=\"0.0025\"} 2\n",
    "_count{method=\"GET\",route=\"/staff/referrals/:id\"} 2\n",
    "_sum{method=\"GET\",route=\"/staff/referrals/:id\"} 0.004000\n",
    "# TYPE haven_db_commit_duration_seconds histogram\n",
    "\nprocess_resident_memory_bytes ",
};

static void test_counts_by_route_and_status(void **state)
{
    const char *text;

    (void)state;
    metrics_init(tables, &extra);
    metrics_request(&rows[1], 200, 0.002);
    metrics_request(&rows[1], 200, 0.002);
    metrics_request(&rows[2], 422, 0.004);
    metrics_request(&extra, 200, 0.0001);
    metrics_request(NULL, 404, 0.0001);
    metrics_request(&rows[0], 207, 0.0001); /* not a status Haven answers */
    text = written();
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (!strstr(text, lines[i]))
            fail_msg("missing: %s\nin:\n%s", lines[i], text);
    metrics_free();
    metrics_request(&rows[0], 200, 0.1); /* off again: nothing happens */
}

static void test_histogram_edges(void **state)
{
    struct histogram hist;
    struct histogram_snapshot s;

    (void)state;
    memset(&hist, 0, sizeof(hist));
    histogram_observe(&hist, 0.0005); /* on the bound: in its bucket */
    histogram_observe(&hist, 0.00051);
    histogram_observe(&hist, 1.0);
    histogram_observe(&hist, 5.0); /* past the last bound: +Inf only */
    histogram_observe(&hist, -1);  /* a clock that went back counts as 0 */
    histogram_read(&hist, &s);
    assert_int_equal(s.cumulative[0], 2);
    assert_int_equal(s.cumulative[1], 3);
    assert_int_equal(s.cumulative[HISTOGRAM_BOUNDS - 1], 4);
    assert_int_equal(s.cumulative[HISTOGRAM_BOUNDS], 5);
    assert_true(s.sum > 6.0 && s.sum < 6.01);
}

static void test_token(void **state)
{
    (void)state;
    assert_int_equal(metrics_token_set(NULL), 0);
    assert_false(metrics_token_required());
    assert_false(metrics_token_ok("Bearer anything"));
    assert_int_equal(metrics_token_set("too-short"), -1);
    assert_int_equal(metrics_token_set("has a space in it, long enough"), -1);
    assert_false(metrics_token_required());
    assert_int_equal(metrics_token_set("s3cret-s3cret-s3cret"), 0);
    assert_true(metrics_token_required());
    assert_true(metrics_token_ok("Bearer s3cret-s3cret-s3cret"));
    assert_true(metrics_token_ok("bearer s3cret-s3cret-s3cret"));
    assert_false(metrics_token_ok("Bearer s3cret-s3cret-s3cre"));
    assert_false(metrics_token_ok("Bearer s3cret-s3cret-s3cret "));
    assert_false(metrics_token_ok("Basic s3cret-s3cret-s3cret"));
    assert_false(metrics_token_ok("s3cret-s3cret-s3cret"));
    assert_false(metrics_token_ok(NULL));
    metrics_token_set(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_by_route_and_status),
        cmocka_unit_test(test_histogram_edges),
        cmocka_unit_test(test_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
