/* Unit tests for http/router and http/status: which handler answers, :params, and the 404/405
 * split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"
#include "http/status.h"

static enum err h_home(struct req *r) { (void)r; return E_OK; }
static enum err h_static(struct req *r) { (void)r; return E_OK; }
static enum err h_post(struct req *r) { (void)r; return E_OK; }

static const struct route table[] = {
    {.method = "GET", .pattern = "/", .handler = h_home},
    {.method = "GET", .pattern = "/static/*", .handler = h_static},
    {.method = "POST", .pattern = "/assessment/result", .handler = h_post, .body = BODY_FORM},
    {.method = "GET", .pattern = "/both", .handler = h_home},
    {.method = "POST", .pattern = "/both", .handler = h_post, .body = BODY_FORM},
};

static const struct route staff[] = {
    {.method = "GET", .pattern = "/staff/queue", .handler = h_home, .roles = 4},
    {.method = "GET", .pattern = "/", .handler = h_static},
};

static const struct route records[] = {
    { .method = "GET", .pattern = "/staff/referrals/:id", .handler = h_home },
    { .method = "GET", .pattern = "/staff/referrals/:id/intake", .handler = h_static },
    { .method = "POST", .pattern = "/staff/referrals/:id/intake", .handler = h_post },
    { .method = "POST",
      .pattern = "/staff/patients/:id/consents/:consent/revoke",
      .handler = h_post },
    { .method = "PATCH", .pattern = "/api/v1/enrolments/:id", .handler = h_post },
    { .method = "PUT", .pattern = "/api/v1/sessions/:id/attendance/:patient", .handler = h_post },
};
#define NR (sizeof(records) / sizeof(records[0]))

static const struct route_table t1 = {table, sizeof(table) / sizeof(table[0])};
static const struct route_table t2 = {staff, sizeof(staff) / sizeof(staff[0])};
static const struct route_table *const tables[] = {&t1, &t2, NULL};
#define N (sizeof(table) / sizeof(table[0]))

static void test_exact_and_prefix(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "GET", "/", &r, NULL, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(router_match(table, N, "GET", "/static/haven.css", &r, NULL, &allow),
                     ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_static);
    assert_int_equal(router_match(table, N, "GET", "/nope", &r, NULL, &allow), ROUTE_NO_PATH);
    assert_int_equal(router_match(table, N, "GET", "//", &r, NULL, &allow), ROUTE_NO_PATH);
}

static void test_head_is_get(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "HEAD", "/", &r, NULL, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
}

static void test_wrong_method_names_allowed(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "GET", "/assessment/result", &r, NULL, &allow),
                     ROUTE_NO_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(router_match(table, N, "POST", "/", &r, NULL, &allow), ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD");
    assert_int_equal(router_match(table, N, "DELETE", "/both", &r, NULL, &allow), ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    /* an API path written with PUT or PATCH says so (not "POST") */
    assert_int_equal(router_match(records, NR, "GET", "/api/v1/enrolments/e1", &r, NULL, &allow),
                     ROUTE_NO_METHOD);
    assert_string_equal(allow, "PATCH");
    assert_int_equal(router_match(records, NR, "POST", "/api/v1/sessions/s1/attendance/p1", &r,
                                  NULL, &allow),
                     ROUTE_NO_METHOD);
    assert_string_equal(allow, "PUT");
}

static void test_tables_in_order(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    /* the first table wins for a path both tables know */
    assert_int_equal(router_match_tables(tables, "GET", "/", &r, NULL, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(router_match_tables(tables, "GET", "/staff/queue", &r, NULL, &allow),
                     ROUTE_FOUND);
    assert_int_equal(r->roles, 4);
    assert_int_equal(router_match_tables(tables, "POST", "/staff/queue", &r, NULL, &allow),
                     ROUTE_NO_METHOD);
    assert_int_equal(router_match_tables(tables, "GET", "/staff/nope", &r, NULL, &allow),
                     ROUTE_NO_PATH);
}

static void test_params(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    struct route_params p;
    (void)state;

    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/ab12-cd", &r, &p, &allow),
                     ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.name_len[0], 2);
    assert_memory_equal(p.name[0], "id", 2);
    assert_int_equal(p.value_len[0], 7);
    assert_memory_equal(p.value[0], "ab12-cd", 7);
    /* the segment after the id picks the row; the method then picks the action */
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/x1/intake", &r, &p, &allow),
                     ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_static);
    assert_int_equal(
        router_match(records, NR, "POST", "/staff/referrals/x1/intake", &r, &p, &allow),
        ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_post);
    assert_int_equal(router_match(records, NR, "POST", "/staff/patients/p1/consents/c2/revoke", &r,
                                  &p, &allow),
                     ROUTE_FOUND);
    assert_int_equal(p.n, 2);
    assert_memory_equal(p.value[1], "c2", 2);
    assert_memory_equal(p.name[1], "consent", 7);
}

static void test_params_refused(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    char long_id[17 + ROUTE_PARAM_MAX + 2];
    (void)state;

    /* an empty segment, characters outside [A-Za-z0-9-], extra segments: no route */
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/", &r, NULL, &allow),
                     ROUTE_NO_PATH);
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/a.b", &r, NULL, &allow),
                     ROUTE_NO_PATH);
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/a%20b", &r, NULL, &allow),
                     ROUTE_NO_PATH);
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/a/b/c", &r, NULL, &allow),
                     ROUTE_NO_PATH);
    assert_int_equal(router_match(records, NR, "GET", "/staff/referrals/a/", &r, NULL, &allow),
                     ROUTE_NO_PATH);
    /* a parameter longer than ROUTE_PARAM_MAX is not an id */
    memset(long_id, 'a', sizeof(long_id));
    memcpy(long_id, "/staff/referrals/", 17);
    long_id[sizeof(long_id) - 1] = '\0';
    assert_int_equal(router_match(records, NR, "GET", long_id, &r, NULL, &allow), ROUTE_NO_PATH);
    /* a known path with another method names what it takes */
    assert_int_equal(router_match(records, NR, "DELETE", "/staff/referrals/x1/intake", &r, NULL,
                                  &allow),
                     ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
}

static void test_status_mapping(void **state)
{
    (void)state;
    assert_int_equal(status_of(E_OK), 200);
    assert_int_equal(status_of(E_INVALID), 422);
    assert_int_equal(status_of(E_NOTFOUND), 404);
    assert_int_equal(status_of(E_CONFLICT), 409);
    assert_int_equal(status_of(E_FORBIDDEN), 403);
    assert_int_equal(status_of(E_DB), 500);
    assert_int_equal(status_of(E_MALFORMED), 400);
    assert_int_equal(status_of(E_DENIED), 401);
    assert_int_equal(status_of(E_TOO_MANY), 429);
    assert_int_equal(status_of(E_UNAVAILABLE), 503);
    assert_string_equal(status_reason(413), "Content Too Large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_prefix),
        cmocka_unit_test(test_head_is_get),
        cmocka_unit_test(test_wrong_method_names_allowed),
        cmocka_unit_test(test_tables_in_order),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_params_refused),
        cmocka_unit_test(test_status_mapping),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
