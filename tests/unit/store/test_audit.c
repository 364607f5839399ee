/* test_audit: the audit trail (store/audit.c), on the store's driver: append links each entry
 * to the one before, inside or outside a caller's transaction; filters, paging and counts (capped);
 * the verify walk finds an edited, a removed and a relinked entry; the triggers refuse UPDATE and
 * DELETE. The keyed chain: a wrong key fails, unkeyed entries from before the key still verify, the
 * head anchor catches the newest entries deleted, and a forged or unsealed anchor is caught. A
 * list entry's listing (migration 0014): written with the entry, read back with it, found by a
 * record filter; an id changed, removed, added or left without its entry breaks verify; 0014
 * keeps a trail written before it verifying. The names beside ids, the filter's choices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/audit.h"
#include "store_fixture.h"

/* 64-digit hash stand-ins, as SQL literals (printf() in SQL is SQLite's own). */
#define HASH_LIT(d) "'000000000000000000000000000000000000000000000000000000000000000" d "'"
#define H0 HASH_LIT("0")
#define H1 HASH_LIT("1")
#define H2 HASH_LIT("2")
#define H3 HASH_LIT("3")
#define H4 HASH_LIT("4")
#define H5 HASH_LIT("5")
#define H7 HASH_LIT("7")

struct fixture {
    char path[64];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int applied, fd;

    snprintf(f->path, sizeof(f->path), "/tmp/haven-audit-XXXXXX");
    fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    if (store_open(f->path, &f->s) != E_OK || store_migrate(f->s, &applied) != E_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];

    audit_chain_key_forget();
    store_close(f->s);
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static enum err add(struct store *s, const char *email, const char *action, const char *type,
                    const char *id)
{
    struct audit_entry e = {
        .user_id = strcmp(email, "anonymous") ? 7 : 0, .user_email = email, .roles = "auditor",
        .action = action, .record_type = type, .record_id = id, .outcome = "ok",
        .client = "127.0.0.1",
    };
    return store_audit_append(s, &e);
}

static void exec_ok(struct store *s, const char *sql)
{
    fx_exec(s, sql);
}

static void verify_broken(struct store *s, long id, const char *reason_part)
{
    struct audit_verify v;

    assert_int_equal(store_audit_verify(s, &v), E_OK);
    assert_int_equal(v.broken_id, id);
    assert_non_null(strstr(v.reason, reason_part));
}

struct seen {
    long ids[300];
    size_t n;
};

static int collect(const struct audit_entry *e, void *ctx)
{
    struct seen *s = ctx;
    s->ids[s->n++] = e->id;
    return 0;
}

static void fill(struct store *s)
{
    assert_int_equal(add(s, "anonymous", "create", "referral", "r1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "view", "referral", "r1"), E_OK);
    assert_int_equal(add(s, "b@x.org", "view", "patient", "p1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "update", "patient", "p1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "view", "audit", NULL), E_OK);
}

static void test_append_links(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    long id = 0;
    struct audit_entry e = {.user_email = "anonymous", .roles = "", .action = "view",
                            .record_type = "audit", .outcome = "ok", .client = "-"};

    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 0);
    fill(f->s);
    assert_int_equal(store_audit_append_id(f->s, &e, &id), E_OK);
    assert_int_equal(id, 6);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 6);
    assert_int_equal(v.broken_id, 0);
}

static void test_append_inside_transaction(void **state)
{
    struct fixture *f = *state;
    struct db *db = store_db(f->s);
    struct audit_verify v;
    long n;

    assert_int_equal(db_begin(db), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "create", "patient", "p9"), E_OK);
    assert_true(db_in_transaction(db)); /* still the caller's transaction */
    db_rollback(db);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, 0, &n), E_OK);
    assert_int_equal(n, 0); /* rolled back with the caller's work */
    assert_int_equal(db_begin(db), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "create", "patient", "p9"), E_OK);
    assert_int_equal(db_commit(db), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 1);
    assert_int_equal(v.broken_id, 0);
}

static void test_append_invalid(void **state)
{
    struct fixture *f = *state;
    struct audit_entry e = {.user_email = "anonymous", .roles = "", .action = NULL,
                            .record_type = "audit", .outcome = "ok", .client = "-"};
    long n;

    assert_int_equal(store_audit_append(f->s, &e), E_INVALID);
    e.action = "view";
    e.outcome = "maybe"; /* not one of the outcomes the table allows */
    assert_int_equal(store_audit_append(f->s, &e), E_INVALID);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, 0, &n), E_OK);
    assert_int_equal(n, 0);
    assert_false(db_in_transaction(store_db(f->s))); /* nothing left open */
}

static void test_filters(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long n;

    fill(f->s);
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){0}, collect, &s), E_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.ids[0], 5); /* newest first */
    assert_int_equal(s.ids[4], 1);
    s.n = 0;
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.user_email = "A@X.ORG"},
                                       collect, &s), E_OK);
    assert_int_equal(s.n, 3); /* e-mail ignores case */
    assert_int_equal(
        store_audit_count(
            f->s, &(struct audit_filter){ .record_type = "patient", .record_id = "p1" }, 0, &n),
        E_OK);
    assert_int_equal(n, 2);
    assert_int_equal(
        store_audit_count(
            f->s, &(struct audit_filter){ .action = "view", .record_type = "referral" }, 0, &n),
        E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(
        store_audit_count(f->s, &(struct audit_filter){ .from = "2000-01-01", .to = "2000-12-31" },
                          0, &n),
        E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(
        store_audit_count(f->s, &(struct audit_filter){ .from = "2000-01-01", .to = "9999-12-31" },
                          0, &n),
        E_OK);
    assert_int_equal(n, 5);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.max_id = 2}, 0, &n), E_OK);
    assert_int_equal(n, 2);
    s.n = 0;
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.limit = 2, .offset = 2},
                                       collect, &s), E_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.ids[0], 3);
    assert_int_equal(s.ids[1], 2);
}

static void test_triggers(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    assert_int_equal(fx_try(f->s, "UPDATE audit_log SET outcome = 'denied' WHERE id = 1"),
                     DB_CONSTRAINT);
    assert_non_null(strstr(db_error(store_db(f->s)), "append-only"));
    assert_int_equal(fx_try(f->s, "DELETE FROM audit_log"), DB_CONSTRAINT);
    verify_broken(f->s, 0, "");
}

static void test_verify_edit(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    exec_ok(f->s,
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET roles = 'admin' WHERE id = 3");
    verify_broken(f->s, 3, "does not match its hash");
}

static void test_verify_delete(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id IN (2, 3)");
    verify_broken(f->s, 4, "entries 2 to 3 are missing");
}

static void test_verify_relinked(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    /* Entry 2 rewritten to claim entry 1's place: its own hash no longer matches what 3 links to.
     */
    exec_ok(f->s, "DROP TRIGGER audit_log_no_update;"
                  " UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = 1)"
                  " WHERE id = 3");
    verify_broken(f->s, 3, "prev_hash does not match the hash of entry 2");
}

/* ---- the keyed chain and the head anchor ------------------------------------------------ */

static void use_key(unsigned char first_byte)
{
    unsigned char master[AUDIT_KEY_BYTES];
    struct audit_key k;

    for (size_t i = 0; i < sizeof(master); i++)
        master[i] = (unsigned char)(first_byte + i);
    assert_int_equal(audit_chain_key_derive(master, &k), 0);
    audit_chain_key_set(&k);
}

/* What a server's start does with a new database (cli/setup.c: secrets_init, audit_key_init):
 * loads the key, then seals the empty trail's anchor. Appends never seal one. */
static void start_key(struct store *s)
{
    enum audit_seal sealed;

    use_key(0);
    assert_int_equal(store_audit_seal(s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_DONE);
}

static long count_scheme(struct store *s, int scheme)
{
    struct db_stmt *st = db_prepare_once(store_db(s),
                                         "SELECT count(*) FROM audit_log WHERE scheme = ?1");
    long n;

    assert_non_null(st);
    db_bind_int64(st, 1, scheme);
    assert_int_equal(db_step(st), DB_ROW);
    n = (long)db_col_int64(st, 0);
    db_finish(st);
    return n;
}

static void test_keyed_append(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;

    start_key(f->s);
    fill(f->s);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_HMAC3), 5);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 5);
    assert_int_equal(v.keyed, 5);
    assert_true(v.anchor_sealed);
    assert_int_equal(v.head_id, 5);
    assert_int_equal(v.first_keyed_id, 1);
}

static void test_wrong_key(void **state)
{
    struct fixture *f = *state;

    use_key(0);
    fill(f->s);
    use_key(1);
    verify_broken(f->s, 1, "key file is not this database's");
}

/* Without the key (issue 8, finding 2): the walk checks the links and where the anchor points,
 * and counts what needs the key instead of calling it broken (the CLI then exits 3). */
static void test_verify_without_key(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;

    start_key(f->s);
    fill(f->s);
    audit_chain_key_forget();
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 5);
    assert_int_equal(v.keyed, 5);
    assert_int_equal(v.unchecked, 5);
    assert_true(v.anchor_unchecked);
    assert_false(v.anchor_sealed);
    /* What it can see without the key still breaks it: a link, or the anchor's place. */
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3");
    verify_broken(f->s, 4, "entries 3 to 3 are missing");
    exec_ok(f->s, "DELETE FROM audit_log WHERE id >= 4");
    verify_broken(f->s, 3, "entries after 2 are missing");
}

/* A trail written before the key (scheme 1) still verifies; at start-up the key does not seal its
 * anchor (an unkeyed trail is also what a forger without the key leaves): the operator adopts it
 * (`haven audit seal`); entries after that are keyed and link to the unkeyed ones. */
static void test_old_scheme_then_keyed(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    enum audit_seal sealed;

    fill(f->s);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_SHA256), 5);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_false(v.anchor_sealed);
    assert_false(v.had_key); /* never had a key: an unsealed anchor is fine */
    use_key(0);
    /* With the key loaded, the anchor must be sealed. */
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 6);
    assert_true(v.needs_seal);
    assert_non_null(strstr(v.reason, "not sealed although this database has had a key"));
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_REFUSED);
    assert_int_equal(store_audit_adopt(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_DONE);
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_ALREADY);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p3"), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 7);
    assert_int_equal(v.keyed, 2);
    assert_true(v.anchor_sealed);
    assert_int_equal(v.first_keyed_id, 6);
    /* Nor can a process without the key add an unkeyed entry after keyed ones. */
    audit_chain_key_forget();
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p4"), E_DB);
}

/* The newest entries deleted (trigger dropped): the anchor still names entry 5. */
static void test_truncation(void **state)
{
    struct fixture *f = *state;

    use_key(0);
    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= 4");
    verify_broken(f->s, 4, "entries after 3 are missing: the head anchor names entry 5");
}

static void test_truncation_unkeyed(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 5");
    verify_broken(f->s, 5, "entries after 4 are missing");
    exec_ok(f->s, "DELETE FROM audit_log");
    verify_broken(f->s, 1, "entries after 0 are missing");
}

/* After a truncation the next append does not move the anchor: the evidence stays. */
static void test_append_after_truncation(void **state)
{
    struct fixture *f = *state;
    enum audit_seal sealed;
    struct audit_verify v;

    start_key(f->s);
    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 5");
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 5);
    assert_int_equal(v.broken_id, 5);
    assert_non_null(strstr(v.reason, "not the one the head anchor names"));
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_ALREADY);
    verify_broken(f->s, 5, "not the one the head anchor names");
}

/* Deleted entries and an anchor moved to match: its MAC gives it away. */
static void test_forged_anchor(void **state)
{
    struct fixture *f = *state;

    start_key(f->s);
    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= 4;"
                  " UPDATE audit_head SET last_id = 3,"
                  " last_hash = (SELECT hash FROM audit_log WHERE id = 3)");
    verify_broken(f->s, 4, "MAC does not match");
    /* ... or with its MAC removed: a keyed trail's anchor must be sealed. */
    exec_ok(f->s, "UPDATE audit_head SET mac = NULL");
    verify_broken(f->s, 4, "not sealed although the trail is keyed");
    /* ... or deleted. */
    exec_ok(f->s, "DELETE FROM audit_head");
    verify_broken(f->s, 4, "head anchor (audit_head) is missing");
}

/* Rewriting keyed entries without the key: relabelling them unkeyed does not help. */
static void test_downgrade_rewrite(void **state)
{
    struct fixture *f = *state;

    use_key(0);
    fill(f->s);
    exec_ok(f->s,
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET scheme = 1 WHERE id >= 3");
    verify_broken(f->s, 3, "unkeyed although entries before it are keyed");
}

/* An entry slipped in behind the store's back, and one that was never sealed. */
static void test_inserted_and_unsealed(void **state)
{
    struct fixture *f = *state;
    enum audit_seal sealed;

    fill(f->s);
    exec_ok(f->s, "INSERT INTO audit_log (at, user_email, roles, action, record_type, outcome,"
                  " client, prev_hash, hash) SELECT '2026-01-01T00:00:00.000Z', 'x', '', 'view',"
                  " 'audit', 'ok', '-', hash, " H0 " FROM audit_log WHERE id = 5");
    verify_broken(f->s, 6, "");
    use_key(0);
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_REFUSED); /* never blesses a trail that moved */
}

/* ---- the unkeyed rewrite (review: CRITICAL) ----------------------------------------------- */

static void set_key_check(struct store *s)
{
    exec_ok(s, "INSERT INTO settings (key, value) VALUES ('secret_key_check', " H1 ")");
}

/* Someone with the database file but not the key: drops the triggers, deletes the trail,
 * re-chains what they like as scheme 1 (Haven's own code, run without the key, does it) and
 * leaves an unsealed anchor. */
static void forge_unkeyed(struct store *s)
{
    audit_chain_key_forget();
    exec_ok(s, "DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log;"
               " UPDATE audit_head SET last_id = 0, last_hash = " H0 ", mac = NULL,"
               " first_keyed_id = NULL, mac_scheme = 1");
    assert_int_equal(add(s, "anonymous", "create", "referral", "r1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "view", "referral", "r1"), E_OK);
    assert_int_equal(count_scheme(s, AUDIT_SCHEME_SHA256), 2);
}

static void test_unkeyed_rewrite_detected(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    enum audit_seal sealed;

    set_key_check(f->s);
    use_key(0);
    fill(f->s);
    forge_unkeyed(f->s);
    /* Without the key file: the key check row says this database has had a key. */
    verify_broken(f->s, 3, "not sealed although this database has had a key");
    /* ... and with it. */
    use_key(0);
    verify_broken(f->s, 3, "not sealed although this database has had a key");
    /* Start-up does not seal it ... */
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_REFUSED);
    /* ... and appends with the real key go through, keyed, without sealing the forgery. */
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p3"), E_OK);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_HMAC3), 2);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 5);
    assert_non_null(strstr(v.reason, "not sealed although the trail is keyed"));
    assert_false(v.anchor_sealed);
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_REFUSED);
    /* The key check row deleted as well: the key file still says it. */
    exec_ok(f->s, "DELETE FROM settings WHERE key = 'secret_key_check'");
    verify_broken(f->s, 5, "not sealed although the trail is keyed");
    /* Only the operator's explicit adoption seals it (`haven audit seal`). */
    assert_int_equal(store_audit_adopt(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_DONE);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.first_keyed_id, 3);
}

/* Issue 8, finding 1: the same forgery with the secret_key_check setting deleted too, so that no
 * row says the database has had a key. A process holding the key appends, keyed, and never
 * seals the anchor: the key file's existence says the trail is keyed, whatever the rows say. */
static void test_forgery_not_sealed_on_append(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    enum audit_seal sealed;

    set_key_check(f->s);
    start_key(f->s);
    fill(f->s);
    forge_unkeyed(f->s);
    exec_ok(f->s, "DELETE FROM settings WHERE key = 'secret_key_check'");
    use_key(0);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_HMAC3), 1);
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_head WHERE mac IS NULL"), 1);
    assert_int_equal(fx_scalar(f->s, "SELECT last_id FROM audit_head"), 3);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 4);
    assert_non_null(strstr(v.reason, "not sealed although the trail is keyed"));
    /* Nor does a start on it: its trail is not empty. */
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_REFUSED);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p3"), E_OK);
    verify_broken(f->s, 5, "not sealed although the trail is keyed");
}

/* The same with an invented MAC: the next append must not re-seal it with the real key. */
static void test_forged_mac_not_resealed(void **state)
{
    struct fixture *f = *state;

    set_key_check(f->s);
    use_key(0);
    fill(f->s);
    forge_unkeyed(f->s);
    exec_ok(f->s, "UPDATE audit_head SET mac = " H7 "");
    use_key(0);
    verify_broken(f->s, 3, "MAC does not match");
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    verify_broken(f->s, 4, "MAC does not match");
}

/* Relabelled or rewritten unkeyed from where keying began, even with the anchor moved back. */
static void test_unkeyed_after_first_keyed(void **state)
{
    struct fixture *f = *state;

    fill(f->s); /* 1-5 unkeyed, before any key */
    use_key(0);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p3"), E_OK);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= 6");
    audit_chain_key_forget();
    /* A process without the key may not append once keying began. */
    exec_ok(f->s, "UPDATE audit_head SET last_id = 5, last_hash = (SELECT hash FROM audit_log"
                  " WHERE id = 5), mac = NULL");
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p4"), E_DB);
    /* The anchor's first_keyed_id, even unsealed, refuses an unkeyed entry at or after it. */
    exec_ok(f->s, "INSERT INTO audit_log (id, at, user_email, roles, action, record_type, outcome,"
                  " client, prev_hash, hash, scheme) SELECT 6, at, 'x', '', 'view', 'audit', 'ok',"
                  " '-', hash, " H0 ", 1 FROM audit_log WHERE id = 5;"
                  " UPDATE audit_head SET last_id = 6");
    verify_broken(f->s, 6, "");
    use_key(0);
    verify_broken(f->s, 6, "");
}

/* A new database: the first start (key check just written, no trail, no staff) seals. */
static void test_new_database_sealed(void **state)
{
    struct fixture *f = *state;
    enum audit_seal sealed;
    struct audit_verify v;

    set_key_check(f->s);
    use_key(0);
    assert_int_equal(store_audit_seal(f->s, &sealed), E_OK);
    assert_int_equal(sealed, AUDIT_SEAL_DONE);
    fill(f->s);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_true(v.anchor_sealed);
}

/* A head sealed by the 0009 code (MAC form 1) still verifies, and moves to form 2. */
static void test_head_v1_still_verifies(void **state)
{
    struct fixture *f = *state;
    char mac[AUDIT_HASH_LEN + 1], sql[300];
    struct audit_verify v;

    use_key(0);
    fill(f->s);
    {
        char last_hash[AUDIT_HASH_LEN + 1];
        fx_text(f->s, "SELECT last_hash FROM audit_head", last_hash, sizeof(last_hash));
        assert_int_equal(audit_chain_head_mac(audit_chain_key(), 5, last_hash, mac), 0);
    }
    snprintf(sql, sizeof(sql), "UPDATE audit_head SET mac = '%s', mac_scheme = 1", mac);
    exec_ok(f->s, sql);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_true(v.anchor_sealed);
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_true(v.anchor_sealed);
}

static void test_count_cap(void **state)
{
    struct fixture *f = *state;
    long n;

    fill(f->s);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, 3, &n), E_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, 6, &n), E_OK);
    assert_int_equal(n, 5);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.user_email = "a@x.org"}, 2,
                                       &n), E_OK);
    assert_int_equal(n, 2);
}

/* Date filters at the edges of a day, and times never going backwards along the ids. */
static void test_dates(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long n;

    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete;"
                  "INSERT INTO audit_log (at, user_email, roles, action, record_type, outcome,"
                  " client, prev_hash, hash) VALUES"
                  " ('2026-01-30T23:59:59.999Z', 'a', '', 'view', 'audit', 'ok', '-',"
                  "  " H0 ", " H1 "),"
                  " ('2026-01-31T00:00:00.000Z', 'a', '', 'view', 'audit', 'ok', '-',"
                  "  " H1 ", " H2 "),"
                  " ('2026-01-31T23:59:59.999Z', 'a', '', 'view', 'audit', 'ok', '-',"
                  "  " H2 ", " H3 "),"
                  " ('2026-02-01T00:00:00.000Z', 'a', '', 'view', 'audit', 'ok', '-',"
                  "  " H3 ", " H4 ")");
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = "2026-01-31",
                                                                    .to = "2026-01-31"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.from = "2026-01-31",
                                                                    .to = "2026-01-31",
                                                                    .user_email = "a"},
                                       collect, &s), E_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.ids[0], 3);
    assert_int_equal(s.ids[1], 2);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = "2026-02-02"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.to = "2026-01-29"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 0);
    /* A newest entry stamped in the future (a clock that was ahead): the next one is not
     * stamped before it. */
    exec_ok(f->s, "INSERT INTO audit_log (at, user_email, roles, action, record_type, outcome,"
                  " client, prev_hash, hash) VALUES ('2999-01-01T00:00:00.000Z', 'a', '', 'view',"
                  " 'audit', 'ok', '-', " H4 ", " H5 ")");
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p1"), E_OK);
    s.n = 0;
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = "2999-01-01",
                                                                    .action = "view"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 2);
}

/* The date filters find their range of ids by a binary search over the ids (migration 0015
 * dropped the index on `at`): 200 entries over 20 days, with gaps in the ids, select the same
 * entries as comparing `at` row by row would. */
static void test_dates_search(void **state)
{
    struct fixture *f = *state;
    char sql[300], day[24], to[24];
    long n;

    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete;"
                  " WITH RECURSIVE k (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 200)"
                  " INSERT INTO audit_log (id, at, user_email, roles, action, record_type,"
                  " outcome, client, prev_hash, hash) SELECT i,"
                  " printf('2026-03-%02dT%02d:00:00.000Z', 1 + (i - 1) / 10, (i - 1) % 10),"
                  " 'a', '', 'view', 'audit', 'ok', '-', " H0 ", " H1 " FROM k;"
                  " DELETE FROM audit_log WHERE id IN (1, 2, 10, 11, 55, 56, 57, 58, 59, 60, 61,"
                  " 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 199, 200)");
    for (int d = 0; d <= 22; d++) {
        /* from day d (0: the day before the first entry) to two days later */
        if (d)
            snprintf(day, sizeof(day), "2026-03-%02d", d);
        else
            snprintf(day, sizeof(day), "2026-02-28");
        snprintf(to, sizeof(to), "2026-03-%02d", d + 2);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM audit_log WHERE at >= '%s' AND at <= '%sT23:59:59.999Z'",
                 day, to);
        assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = day, .to = to},
                                           0, &n), E_OK);
        assert_int_equal(n, fx_scalar(f->s, sql));
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE at >= '%s'", day);
        assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = day}, 0, &n),
                         E_OK);
        assert_int_equal(n, fx_scalar(f->s, sql));
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM audit_log WHERE at <= '%sT23:59:59.999Z' AND id <= 150",
                 day);
        assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.to = day, .max_id = 150},
                                           0, &n), E_OK);
        assert_int_equal(n, fx_scalar(f->s, sql));
    }
}

/* ---- list entries and their listing (0014) ----------------------------------------------- */

static const char *const shown[] = {"r1", "r2", "p1"};

/* A list entry naming the first n of shown (n 0: a list that showed nothing). */
static enum err add_list(struct store *s, const char *type, size_t n)
{
    struct audit_entry e = {
        .user_id = 7, .user_email = "a@x.org", .roles = "admissions", .action = "list",
        .record_type = type, .outcome = "ok", .client = "127.0.0.1",
        .listed = n ? shown : NULL, .n_listed = n,
    };
    return store_audit_append(s, &e);
}

struct got {
    long ids[16];
    size_t n;
    char listing[16][80]; /* each entry's listed ids joined by spaces */
};

static int got_entry(const struct audit_entry *e, void *ctx)
{
    struct got *g = ctx;
    size_t o = 0;

    g->ids[g->n] = e->id;
    g->listing[g->n][0] = '\0';
    for (size_t i = 0; i < e->n_listed; i++)
        o += (size_t)snprintf(g->listing[g->n] + o, sizeof(g->listing[0]) - o, "%s%s",
                              i ? " " : "", e->listed[i]);
    g->n++;
    return 0;
}

/* fill() then a list of 2 referrals (6), an empty list (7), a list of 3 (8). */
static void fill_lists(struct store *s)
{
    fill(s);
    assert_int_equal(add_list(s, "referral", 2), E_OK);
    assert_int_equal(add_list(s, "referral", 0), E_OK);
    assert_int_equal(add_list(s, "referral", 3), E_OK);
}

static void test_list_entry(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    struct got g = {0};
    long n;

    start_key(f->s);
    fill_lists(f->s);
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_log"), 8); /* one per list */
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_listed"), 5);
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_log WHERE record_id IS NULL"
                                     " AND action = 'list'"), 3);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_HMAC4), 2); /* the two that name records */
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_HMAC3), 6);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 8);
    assert_int_equal(v.listed, 5);
    /* Read back with their listing, in the order shown. */
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.action = "list"}, got_entry,
                                       &g), E_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.listing[0], "r1 r2 p1");
    assert_string_equal(g.listing[1], "");
    assert_string_equal(g.listing[2], "r1 r2");
    /* "Who saw r1": its own entries and both lists that named it, newest first. */
    g.n = 0;
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.record_id = "r1"},
                                       got_entry, &g), E_OK);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.ids[0], 8);
    assert_int_equal(g.ids[1], 6);
    assert_int_equal(g.ids[2], 2);
    assert_int_equal(g.ids[3], 1);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "p1"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 3); /* view and update of p1, and the list of 3 */
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "p1",
                                                                    .action = "list"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "r2",
                                                                    .user_email = "b@x.org"},
                                       0, &n), E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "r2",
                                                                    .max_id = 7}, 0, &n), E_OK);
    assert_int_equal(n, 1);
}

/* Without the key (a process that never loaded it): scheme 1, the listing hashed all the same. */
static void test_list_entry_unkeyed(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;

    fill_lists(f->s);
    assert_int_equal(count_scheme(f->s, AUDIT_SCHEME_SHA256), 8);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    exec_ok(f->s, "DROP TRIGGER audit_listed_no_update;"
                  " UPDATE audit_listed SET record_id = 'r9' WHERE entry_id = 6 AND pos = 1");
    verify_broken(f->s, 6, "does not match its hash");
}

static void test_list_entry_invalid(void **state)
{
    struct fixture *f = *state;
    static const char *const too_long[] = {
        "r1", "0123456789012345678901234567890123456789012345678901234567890123456789"};
    struct audit_entry e = {
        .user_email = "a@x.org", .roles = "", .action = "list", .record_type = "referral",
        .record_id = "r1", .outcome = "ok", .client = "-", .listed = shown, .n_listed = 2,
    };

    use_key(0);
    assert_int_equal(store_audit_append(f->s, &e), E_INVALID); /* a record id and a listing */
    e.record_id = NULL;
    e.listed = too_long;
    assert_int_equal(store_audit_append(f->s, &e), E_INVALID); /* over 64: the table refuses */
    e.listed = NULL;
    assert_int_equal(store_audit_append(f->s, &e), E_INVALID); /* 2 ids and no ids */
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_log"), 0);
    assert_int_equal(fx_scalar(f->s, "SELECT count(*) FROM audit_listed"), 0);
    assert_false(db_in_transaction(store_db(f->s)));
}

static void test_listing_triggers(void **state)
{
    struct fixture *f = *state;

    start_key(f->s);
    fill_lists(f->s);
    assert_int_equal(fx_try(f->s, "UPDATE audit_listed SET record_id = 'x'"), DB_CONSTRAINT);
    assert_non_null(strstr(db_error(store_db(f->s)), "append-only"));
    assert_int_equal(fx_try(f->s, "DELETE FROM audit_listed"), DB_CONSTRAINT);
    verify_broken(f->s, 0, "");
}

/* Someone with the database file (triggers dropped) edits what a list showed. */
static void test_listing_tampered(void **state)
{
    static const char *const edits[] = {
        /* an id changed */
        "UPDATE audit_listed SET record_id = 'r9' WHERE entry_id = 8 AND pos = 2",
        /* an id removed (the one this record's filter would find) */
        "DELETE FROM audit_listed WHERE entry_id = 8 AND pos = 0",
        /* the last id removed */
        "DELETE FROM audit_listed WHERE entry_id = 8 AND pos = 2",
        /* every id removed */
        "DELETE FROM audit_listed WHERE entry_id = 8",
        /* an id added */
        "INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (8, 3, 'r9')",
        /* two ids swapped */
        "UPDATE audit_listed SET record_id = CASE pos WHEN 0 THEN 'r2' ELSE 'r1' END"
        " WHERE entry_id = 8 AND pos IN (0, 1)",
        /* ids slipped under an entry that listed none */
        "INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (7, 0, 'r9')",
    };
    struct fixture *f = *state;
    struct audit_verify v;
    long broken[] = {8, 8, 8, 8, 8, 8, 7};

    start_key(f->s);
    fill_lists(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_listed_no_update; DROP TRIGGER audit_listed_no_delete;"
                  " CREATE TABLE keep AS SELECT * FROM audit_listed");
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        exec_ok(f->s, edits[i]);
        assert_int_equal(store_audit_verify(f->s, &v), E_OK);
        assert_int_equal(v.broken_id, broken[i]);
        assert_non_null(strstr(v.reason, "does not match its hash"));
        exec_ok(f->s, "DELETE FROM audit_listed; INSERT INTO audit_listed SELECT * FROM keep");
        assert_int_equal(store_audit_verify(f->s, &v), E_OK);
        assert_int_equal(v.broken_id, 0);
    }
    /* A list entry relabelled scheme 3 with its listing removed: its link still fails. */
    exec_ok(f->s, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET scheme = 3 WHERE id = 6;"
                  " DELETE FROM audit_listed WHERE entry_id = 6");
    verify_broken(f->s, 6, "does not match its hash");
}

/* A listing whose entry is not in the trail: one past the newest (waiting to be claimed by the
 * next append), or one whose entry was deleted. */
static void test_listing_orphans(void **state)
{
    struct fixture *f = *state;

    use_key(0);
    fill_lists(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_listed_no_delete;"
                  " INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (9, 0, 'r9')");
    verify_broken(f->s, 9, "records are listed for entry 9, which is not in the trail");
    exec_ok(f->s, "DELETE FROM audit_listed WHERE entry_id = 9");
    /* The list entry and its listing deleted: the gap is named, as for any entry. */
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 6");
    verify_broken(f->s, 7, "entries 6 to 6 are missing");
    exec_ok(f->s, "DELETE FROM audit_listed WHERE entry_id = 6");
    verify_broken(f->s, 7, "entries 6 to 6 are missing");
}

/* Migration 0014 rebuilds audit_log: a trail written before it (unkeyed entries, then keyed
 * ones, the anchor sealed) verifies after it as before, and takes list entries after. */
static void test_migration_keeps_trail(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    enum audit_seal sealed;
    int applied;

    fill(f->s); /* scheme 1 */
    use_key(0);
    assert_int_equal(store_audit_adopt(f->s, &sealed), E_OK); /* the upgrade's `haven audit seal` */
    assert_int_equal(add(f->s, "a@x.org", "view", "patient", "p2"), E_OK); /* scheme 3 */
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    /* As if 0014 had not run yet: no listings, and it runs again over these rows. */
    exec_ok(f->s, "DROP TABLE audit_listed;"
                  " DELETE FROM schema_migrations WHERE name = '0014_audit_listed.sql'");
    assert_int_equal(store_migrate(f->s, &applied), E_OK);
    assert_int_equal(applied, 1);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.entries, 6);
    assert_int_equal(v.keyed, 1);
    assert_true(v.anchor_sealed);
    assert_int_equal(fx_try(f->s, "DELETE FROM audit_log WHERE id = 1"), DB_CONSTRAINT);
    assert_int_equal(add_list(f->s, "referral", 2), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.broken_id, 0);
    assert_int_equal(v.listed, 2);
}

/* Issue 8, finding 11: the hash covers a field up to its first NUL byte (a C string ends there),
 * so bytes slipped in after a NUL in a stored field would change what SQL sees (the record
 * filter no longer finds the entry) without breaking its link. The walk refuses a stored field
 * or listed id holding a NUL. (char() is SQLite's: PostgreSQL text cannot hold a NUL at all.) */
static void test_verify_nul(void **state)
{
    /* (outcome too, but its CHECK list refuses such a value while the table is Haven's) */
    static const char *const columns[] = {"at",        "user_email", "roles",  "action",
                                          "record_type", "record_id", "client", "prev_hash",
                                          "hash"};
    struct fixture *f = *state;
    char sql[200];
    long n;

    start_key(f->s);
    fill_lists(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                  " DROP TRIGGER audit_listed_no_update;"
                  " CREATE TABLE keep AS SELECT * FROM audit_log");
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        snprintf(sql, sizeof(sql), "UPDATE audit_log SET %s = %s || char(0) || 'x' WHERE id = 2",
                 columns[i], columns[i]);
        exec_ok(f->s, sql);
        verify_broken(f->s, 2, "holds a NUL byte");
        exec_ok(f->s, "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM keep");
        verify_broken(f->s, 0, "");
    }
    /* What it would hide: entry 2 is r1's, and the record filter no longer finds it. */
    exec_ok(f->s, "UPDATE audit_log SET record_id = record_id || char(0) WHERE id = 2");
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "r1"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 3); /* of 4 */
    verify_broken(f->s, 2, "holds a NUL byte");
    exec_ok(f->s, "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM keep");
    /* A listed id: the list no longer names r1 to the record filter. */
    exec_ok(f->s, "UPDATE audit_listed SET record_id = record_id || char(0) || 'x'"
                  " WHERE entry_id = 8 AND pos = 0");
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_id = "r1"}, 0, &n),
                     E_OK);
    assert_int_equal(n, 3);
    verify_broken(f->s, 8, "holds a NUL byte");
}

/* ---- names beside ids, and the filter's choices ------------------------------------------- */

static void test_names(void **state)
{
    struct fixture *f = *state;
    enum audit_name_kind kind;
    char name[AUDIT_NAME_MAX];

    exec_ok(f->s,
            "INSERT INTO users (id, public_id, email, name, created_at) VALUES"
            " (1, 'u0000000000000000000000000000001', 'c@x.org', 'Casey Clinician', 'now');"
            "INSERT INTO referrals (id, public_id, created_at, status, name, phone, best_time,"
            " voicemail_ok, consent_at, answers, result, spec_version, level, flags) VALUES"
            " (1, 'ref1', '2026-01-01T00:00:00Z', 'admitted', 'Sam Rivera', '555-010-0199',"
            " 'any', 1, '2026-01-01T00:00:00Z', '{}', '{}', 'haven-assessment-1', 'iop', '[]');"
            "INSERT INTO patients (id, public_id, referral_id, first_name, last_name,"
            " date_of_birth, phone, phone_digits, emergency_name, emergency_phone,"
            " emergency_relationship, counsellor_id, admission_date, level, created_at) VALUES"
            " (1, 'pat1', 1, 'Samantha', 'Rivera', '1990-01-01', '555-010-0199', '5550100199',"
            " 'Alex', '555-010-0100', 'friend', 1, '2026-01-02', 'iop', 'now');"
            "INSERT INTO consents (id, public_id, patient_id, discloser, information, recipient,"
            " purpose, end_of_treatment, revoke_acknowledged, signature_name, signed, signed_at,"
            " created_at) VALUES (1, 'con1', 1, 'Haven', 'all', 'GP', 'care', 1, 1, 'S R', 1,"
            " 'now', 'now')");
#define NAME(type, id, want_kind, want)                                                            \
    do {                                                                                           \
        assert_int_equal(store_audit_name(f->s, type, id, &kind, name, sizeof(name)), E_OK);       \
        assert_int_equal(kind, want_kind);                                                         \
        assert_string_equal(name, want);                                                           \
    } while (0)
    NAME("referral", "ref1", AUDIT_NAME_REFERRAL, "Sam Rivera");
    NAME("patient", "pat1", AUDIT_NAME_PATIENT, "Samantha Rivera");
    NAME("patient", "ref1", AUDIT_NAME_REFERRAL, "Sam Rivera"); /* an admission's failure */
    NAME("consent", "con1", AUDIT_NAME_PATIENT, "Samantha Rivera");
    NAME("consent", "pat1", AUDIT_NAME_PATIENT, "Samantha Rivera");
    NAME("user", "u0000000000000000000000000000001", AUDIT_NAME_USER, "Casey Clinician");
    NAME("session", "u0000000000000000000000000000001", AUDIT_NAME_USER, "Casey Clinician");
    NAME("referral", "pat1", AUDIT_NAME_NONE, ""); /* ids are looked up by their type only */
    NAME("referral", "gone", AUDIT_NAME_NONE, "");
    NAME("audit", "ref1", AUDIT_NAME_NONE, "");
    NAME("settings", "clinic_name", AUDIT_NAME_NONE, "");
#undef NAME
    assert_int_equal(store_audit_name(f->s, "referral", "ref1", &kind, name, 4), E_OK);
    assert_string_equal(name, "Sam"); /* truncated to size */
}

struct values {
    char v[8][32];
    size_t n;
};

static int got_value(const char *value, void *ctx)
{
    struct values *vs = ctx;
    snprintf(vs->v[vs->n++], sizeof(vs->v[0]), "%s", value);
    return 0;
}

static void test_values(void **state)
{
    struct fixture *f = *state;
    struct values vs = {0};

    assert_int_equal(store_audit_values(f->s, AUDIT_COL_ACTION, 10, got_value, &vs), E_OK);
    assert_int_equal(vs.n, 0); /* an empty trail */
    fill_lists(f->s);
    assert_int_equal(store_audit_values(f->s, AUDIT_COL_ACTION, 10, got_value, &vs), E_OK);
    assert_int_equal(vs.n, 4);
    assert_string_equal(vs.v[0], "create");
    assert_string_equal(vs.v[1], "list");
    assert_string_equal(vs.v[2], "update");
    assert_string_equal(vs.v[3], "view");
    vs.n = 0;
    assert_int_equal(store_audit_values(f->s, AUDIT_COL_TYPE, 10, got_value, &vs), E_OK);
    assert_int_equal(vs.n, 3);
    assert_string_equal(vs.v[0], "audit");
    assert_string_equal(vs.v[1], "patient");
    assert_string_equal(vs.v[2], "referral");
    vs.n = 0;
    assert_int_equal(store_audit_values(f->s, AUDIT_COL_TYPE, 2, got_value, &vs), E_OK);
    assert_int_equal(vs.n, 2); /* at most max */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_inside_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_relinked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyed_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_without_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_scheme_then_keyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_unkeyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_after_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_anchor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_downgrade_rewrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inserted_and_unsealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unkeyed_rewrite_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forgery_not_sealed_on_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_mac_not_resealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unkeyed_after_first_keyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_database_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_v1_still_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_entry_unkeyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_entry_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listing_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listing_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listing_orphans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_keeps_trail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
