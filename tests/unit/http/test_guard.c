/* Unit tests for http/guard: the per-address count and limit (with the trusted proxy let
 * through), the table staying right when addresses that collide come and go, and the deadlines
 * that cut a connection whatever it trickles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/guard.h"
#include "http/proxy.h"

#define FAR (60u * 60 * 1000) /* deadlines the watchdog never reaches during a test */

static struct sockaddr_in peer(const char *ip)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};

    inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
}

static const struct sockaddr *sa_of(const struct sockaddr_in *sa)
{
    return (const struct sockaddr *)(const void *)sa;
}

static uint32_t addr_of(const char *ip)
{
    return peer(ip).sin_addr.s_addr;
}

static void test_limit_per_address(void **state)
{
    struct guard_config cfg = {.per_address = 3, .header_ms = FAR, .body_ms = FAR};
    struct guard *g = guard_start(&cfg);
    struct sockaddr_in a = peer("203.0.113.5"), b = peer("198.51.100.7");
    struct guard_conn *c[3];

    (void)state;
    for (int i = 0; i < 3; i++) {
        assert_true(guard_admit(g, sa_of(&a)));
        c[i] = guard_open(g, sa_of(&a), -1);
        assert_non_null(c[i]);
    }
    assert_int_equal(guard_open_count(g, addr_of("203.0.113.5")), 3);
    assert_false(guard_admit(g, sa_of(&a)));
    assert_false(guard_admit(g, sa_of(&a))); /* refused again (logged once) */
    assert_true(guard_admit(g, sa_of(&b)));  /* another address is not held back */
    guard_close(g, c[1]);
    assert_true(guard_admit(g, sa_of(&a)));
    guard_close(g, c[0]);
    guard_close(g, c[2]);
    assert_int_equal(guard_open_count(g, addr_of("203.0.113.5")), 0);
    guard_close(g, NULL);
    guard_stop(g);
}

static void test_no_limit_and_trusted_proxy(void **state)
{
    struct guard_config none = {.per_address = 0}, one = {.per_address = 1};
    struct guard *g = guard_start(&none);
    struct sockaddr_in a = peer("203.0.113.5"), proxy = peer("10.0.0.2");
    struct guard_conn *c = guard_open(g, sa_of(&a), -1);

    (void)state;
    assert_true(guard_admit(g, sa_of(&a)));
    guard_close(g, c);
    guard_stop(g);

    assert_int_equal(proxy_init("10.0.0.2"), 0);
    g = guard_start(&one);
    c = guard_open(g, sa_of(&proxy), -1);
    assert_true(guard_admit(g, sa_of(&proxy)));
    guard_close(g, c);
    c = guard_open(g, sa_of(&a), -1);
    assert_false(guard_admit(g, sa_of(&a)));
    guard_close(g, c);
    guard_stop(g);
    proxy_init(NULL);
}

/* Addresses that hash near each other, closed in an order that makes the table move entries
 * back: every count stays its own. */
static void test_table_keeps_counts(void **state)
{
    struct guard_config cfg = {.per_address = 0};
    struct guard *g = guard_start(&cfg);
    struct guard_conn *c[600];
    char ip[32];

    (void)state;
    for (int i = 0; i < 600; i++) {
        struct sockaddr_in sa;
        snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 200, i % 200);
        sa = peer(ip);
        c[i] = guard_open(g, sa_of(&sa), -1);
        if (i % 3 == 0) { /* a second connection for every third address */
            guard_close(g, guard_open(g, sa_of(&sa), -1));
        }
    }
    for (int i = 0; i < 600; i += 2)
        guard_close(g, c[i]);
    for (int i = 0; i < 600; i++) {
        snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 200, i % 200);
        assert_int_equal(guard_open_count(g, addr_of(ip)), i % 2 ? 1 : 0);
    }
    for (int i = 1; i < 600; i += 2)
        guard_close(g, c[i]);
    for (int i = 0; i < 600; i++) {
        snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 200, i % 200);
        assert_int_equal(guard_open_count(g, addr_of(ip)), 0);
    }
    guard_stop(g);
}

/* True when the other end of the pair sees the connection shut down. */
static bool shut(int fd)
{
    char ch;

    return recv(fd, &ch, 1, MSG_DONTWAIT) == 0;
}

/* A connection from sa on one end of a socket pair (fds[0]); a shutdown shows at fds[1]. */
static struct guard_conn *open_pair(struct guard *g, const struct sockaddr_in *sa, int fds[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    return guard_open(g, sa_of(sa), fds[0]);
}

static void close_pair(struct guard *g, struct guard_conn *c, int fds[2])
{
    guard_close(g, c);
    close(fds[0]);
    close(fds[1]);
}

static void test_deadlines(void **state)
{
    struct guard_config cfg = {.per_address = 0, .header_ms = FAR, .body_ms = 2 * FAR};
    struct guard *g = guard_start(&cfg);
    struct sockaddr_in a = peer("203.0.113.5");
    int waiting[2], body[2], answering[2];
    struct guard_conn *w, *b, *x;
    uint64_t now = guard_now_ms();

    (void)state;
    w = open_pair(g, &a, waiting);
    b = open_pair(g, &a, body);
    x = open_pair(g, &a, answering);
    guard_phase(g, w, GUARD_BEGUN); /* the clock runs on from the connection's start */
    guard_phase(g, b, GUARD_BODY);
    guard_phase(g, x, GUARD_ANSWERING);

    assert_int_equal(guard_sweep(g, now + FAR / 2), 0);
    assert_int_equal(guard_sweep(g, now + FAR + 1000), 1); /* the headers' deadline */
    assert_true(shut(waiting[1]));
    assert_false(shut(body[1]));
    assert_int_equal(guard_sweep(g, now + FAR + 2000), 0); /* cut once */
    assert_int_equal(guard_sweep(g, now + 2 * FAR + 1000), 1);
    assert_true(shut(body[1]));
    assert_int_equal(guard_sweep(g, now + 10 * FAR), 0); /* answering: no deadline */
    assert_false(shut(answering[1]));

    close_pair(g, w, waiting);
    close_pair(g, b, body);
    close_pair(g, x, answering);
    guard_stop(g);
}

static void test_race_past_the_limit_is_cut(void **state)
{
    struct guard_config cfg = {.per_address = 1};
    struct guard *g = guard_start(&cfg);
    struct sockaddr_in a = peer("203.0.113.5");
    int first[2], second[2];
    struct guard_conn *c1, *c2;

    (void)state;
    /* Both admitted before either started: the second to start goes at once. */
    assert_true(guard_admit(g, sa_of(&a)));
    assert_true(guard_admit(g, sa_of(&a)));
    c1 = open_pair(g, &a, first);
    c2 = open_pair(g, &a, second);
    assert_false(shut(first[1]));
    assert_true(shut(second[1]));
    close_pair(g, c2, second);
    close_pair(g, c1, first);
    guard_stop(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_per_address),
        cmocka_unit_test(test_no_limit_and_trusted_proxy),
        cmocka_unit_test(test_table_keeps_counts),
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_race_past_the_limit_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
