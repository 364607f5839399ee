/* test_audit_group: group commit of audit appends (store/audit_group.c). Threads with their own
 * connections to one database append at once: every entry lands once, in one chain that
 * verifies, each caller gets its own entry's id, and an entry the table refuses fails alone
 * while the others of its batch land. With the write lock held elsewhere, the entries that
 * queue meanwhile are written as one batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/store.h"
#include "store_fixture.h"

#define THREADS 8
#define PER_THREAD 40
#define BAD_EVERY 10 /* every tenth entry of a thread has a record id the table refuses */

static char db_path[64];
static pthread_barrier_t start;

static int setup(void **state)
{
    unsigned char master[AUDIT_KEY_BYTES] = {7};
    struct audit_key k;
    enum audit_seal sealed;
    struct store *s;
    int applied, fd;

    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/haven-group-XXXXXX");
    if ((fd = mkstemp(db_path)) < 0)
        return -1;
    close(fd);
    if (store_open(db_path, &s) != E_OK || store_migrate(s, &applied) != E_OK ||
        audit_chain_key_derive(master, &k) != 0)
        return -1;
    audit_chain_key_set(&k);
    if (store_audit_seal(s, &sealed) != E_OK || sealed != AUDIT_SEAL_DONE)
        return -1;
    store_close(s);
    store_audit_group(true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_audit_group(false);
    audit_chain_key_forget();
    fx_unlink(db_path);
    return 0;
}

/* One thread's appends and what they returned. */
struct worker {
    pthread_t thread;
    int n;
    char ids[PER_THREAD][80];
    long got[PER_THREAD];
    enum err ret[PER_THREAD];
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct store *s;

    if (store_open(db_path, &s) != E_OK)
        return NULL;
    pthread_barrier_wait(&start);
    for (int i = 0; i < PER_THREAD; i++) {
        struct audit_entry e = {.user_id = w->n + 1, .user_email = "a@x.org", .roles = "",
                                .action = "view", .record_type = "patient",
                                .record_id = w->ids[i], .outcome = "ok", .client = "-"};
        if (i % BAD_EVERY == BAD_EVERY - 1) /* 70 characters: over the table's 64 */
            snprintf(w->ids[i], sizeof(w->ids[i]), "t%d-%d-%068d", w->n, i, 0);
        else
            snprintf(w->ids[i], sizeof(w->ids[i]), "t%d-%d", w->n, i);
        w->ret[i] = store_audit_append_id(s, &e, &w->got[i]);
    }
    store_close(s);
    return NULL;
}

/* The record id stored in entry id. */
static void record_of(struct store *s, long id, char *out, size_t n)
{
    char sql[80];

    snprintf(sql, sizeof(sql), "SELECT record_id FROM audit_log WHERE id = %ld", id);
    fx_text(s, sql, out, n);
}

static void test_concurrent_appends(void **state)
{
    static struct worker w[THREADS];
    struct audit_group_stats before, after;
    struct audit_verify v;
    struct store *s;
    char got[80];
    long ok = 0;

    (void)state;
    store_audit_group_stats(&before);
    pthread_barrier_init(&start, NULL, THREADS);
    for (int t = 0; t < THREADS; t++) {
        w[t].n = t;
        assert_int_equal(pthread_create(&w[t].thread, NULL, work, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(w[t].thread, NULL);
    pthread_barrier_destroy(&start);
    store_audit_group_stats(&after);

    assert_int_equal(store_open(db_path, &s), E_OK);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            if (i % BAD_EVERY == BAD_EVERY - 1) {
                assert_int_equal(w[t].ret[i], E_INVALID);
                continue;
            }
            assert_int_equal(w[t].ret[i], E_OK);
            record_of(s, w[t].got[i], got, sizeof(got));
            assert_string_equal(got, w[t].ids[i]); /* the id returned is this entry's */
            ok++;
        }
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log"), ok);
    assert_int_equal(store_audit_verify(s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, ok);
    assert_true(v.anchor_sealed);
    /* Every append went through the group. How many batches depends on the scheduler; with
     * eight threads appending 40 entries each, never one per entry. */
    assert_int_equal(after.entries - before.entries, THREADS * PER_THREAD);
    assert_true(after.batches - before.batches < after.entries - before.entries);
    store_close(s);
}

/* Waits (bounded) until cond(stats) holds. */
static void wait_for(bool (*cond)(const struct audit_group_stats *))
{
    struct audit_group_stats st;
    const struct timespec ms = {0, 1000000};

    for (int i = 0; i < 10000; i++) {
        store_audit_group_stats(&st);
        if (cond(&st))
            return;
        nanosleep(&ms, NULL);
    }
    fail_msg("group commit did not reach the expected state");
}

static bool leading(const struct audit_group_stats *st)
{
    return st->leading;
}

static bool seven_waiting(const struct audit_group_stats *st)
{
    return st->waiting == 7;
}

struct one {
    pthread_t thread;
    const char *id;
    long got;
    enum err ret;
};

static void *append_one(void *arg)
{
    struct one *o = arg;
    struct audit_entry e = {.user_email = "a@x.org", .roles = "", .action = "view",
                            .record_type = "patient", .record_id = o->id, .outcome = "ok",
                            .client = "-"};
    struct store *s;

    if (store_open(db_path, &s) != E_OK)
        return NULL;
    o->ret = store_audit_append_id(s, &e, &o->got);
    store_close(s);
    return NULL;
}

/* The first append leads and waits for the write lock another connection holds; seven more
 * queue meanwhile and are written as one batch, one of them refused alone. */
static void test_batch(void **state)
{
    static const char *const ids[] = {
        "first", "b1", "b2", "b3",
        "0123456789012345678901234567890123456789012345678901234567890123456789", "b5", "b6",
        "b7"};
    struct one o[8] = {{0}};
    struct audit_group_stats before, after;
    struct audit_verify v;
    struct store *holder;

    (void)state;
    assert_int_equal(store_open(db_path, &holder), E_OK);
    assert_int_equal(db_begin(store_db(holder)), E_OK);
    store_audit_group_stats(&before);
    o[0].id = ids[0];
    assert_int_equal(pthread_create(&o[0].thread, NULL, append_one, &o[0]), 0);
    wait_for(leading);
    for (int i = 1; i < 8; i++) {
        o[i].id = ids[i];
        assert_int_equal(pthread_create(&o[i].thread, NULL, append_one, &o[i]), 0);
    }
    wait_for(seven_waiting);
    db_rollback(store_db(holder));
    for (int i = 0; i < 8; i++)
        pthread_join(o[i].thread, NULL);
    store_audit_group_stats(&after);
    assert_int_equal(after.batches - before.batches, 2); /* "first" alone, then the seven */
    assert_int_equal(after.entries - before.entries, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(o[i].ret, i == 4 ? E_INVALID : E_OK);
    assert_int_equal(o[0].got, 1);
    assert_int_equal(store_audit_verify(holder, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 7);
    store_close(holder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_appends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
