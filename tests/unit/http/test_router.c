/* Unit tests for http/router and http/status: which handler answers, and the 404/405 split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"
#include "http/status.h"

static void h_home(struct req *r) { (void)r; }
static void h_static(struct req *r) { (void)r; }
static void h_post(struct req *r) { (void)r; }

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

static const struct route_table t1 = {table, sizeof(table) / sizeof(table[0])};
static const struct route_table t2 = {staff, sizeof(staff) / sizeof(staff[0])};
static const struct route_table *const tables[] = {&t1, &t2, NULL};
#define N (sizeof(table) / sizeof(table[0]))

static void test_exact_and_prefix(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "GET", "/", &r, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(router_match(table, N, "GET", "/static/haven.css", &r, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_static);
    assert_int_equal(router_match(table, N, "GET", "/nope", &r, &allow), ROUTE_NO_PATH);
    assert_int_equal(router_match(table, N, "GET", "//", &r, &allow), ROUTE_NO_PATH);
}

static void test_head_is_get(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "HEAD", "/", &r, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
}

static void test_wrong_method_names_allowed(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    assert_int_equal(router_match(table, N, "GET", "/assessment/result", &r, &allow),
                     ROUTE_NO_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(router_match(table, N, "POST", "/", &r, &allow), ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD");
    assert_int_equal(router_match(table, N, "DELETE", "/both", &r, &allow), ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
}

static void test_tables_in_order(void **state)
{
    const struct route *r = NULL;
    const char *allow = NULL;
    (void)state;

    /* the first table wins for a path both tables know */
    assert_int_equal(router_match_tables(tables, "GET", "/", &r, &allow), ROUTE_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(router_match_tables(tables, "GET", "/staff/queue", &r, &allow), ROUTE_FOUND);
    assert_int_equal(r->roles, 4);
    assert_int_equal(router_match_tables(tables, "POST", "/staff/queue", &r, &allow),
                     ROUTE_NO_METHOD);
    assert_int_equal(router_match_tables(tables, "GET", "/staff/nope", &r, &allow), ROUTE_NO_PATH);
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
    assert_string_equal(status_reason(413), "Content Too Large");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_prefix),
        cmocka_unit_test(test_head_is_get),
        cmocka_unit_test(test_wrong_method_names_allowed),
        cmocka_unit_test(test_tables_in_order),
        cmocka_unit_test(test_status_mapping),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
