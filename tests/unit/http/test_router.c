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
    {"GET", "/", h_home, BODY_NONE, 0},
    {"GET", "/static/*", h_static, BODY_NONE, 0},
    {"POST", "/assessment/result", h_post, BODY_FORM, 0},
    {"GET", "/both", h_home, BODY_NONE, 0},
    {"POST", "/both", h_post, BODY_FORM, 0},
};
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
        cmocka_unit_test(test_status_mapping),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
