/* test_staff_secrets: the key that seals second-factor secrets, against a real SQLite store:
 * first start creates the key file (0600) and remembers which key the database uses; a restart
 * reads the same key; another key, or a missing file once the database has had one, is refused
 * (never replaced); HAVEN_SECRET_KEY_FILE wins over the default; secrets the first release
 * stored in the clear are sealed at start-up, or on their next use; new secrets are stored
 * sealed only. Also the store's second-factor reset and recovery-code replacement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/totp.h"
#include "../store/store_fixture.h"
#include "store/store.h"
#include "store/staff.h"
#include "web/secrets.h"

static const unsigned char secret[TOTP_SECRET_BYTES] = "12345678901234567890";
static const char secret_hex[] = "3132333435363738393031323334353637383930";

struct fx {
    char dir[64];
    char db[96];
    char key[112];
    struct store *s;
    long uid;
};

static void reopen(struct fx *f)
{
    int applied;

    if (f->s)
        store_close(f->s);
    assert_int_equal(store_open(f->db, &f->s), E_OK);
    assert_int_equal(store_migrate(f->s, &applied), E_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char public_id[33];

    snprintf(f->dir, sizeof(f->dir), "/tmp/haven-secrets-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/haven.db", f->dir);
    snprintf(f->key, sizeof(f->key), "%s/haven.db.key", f->dir);
    unsetenv("HAVEN_SECRET_KEY_FILE");
    secrets_forget();
    reopen(f);
    if (store_user_add(f->s, "sam@example.org", "Sam", 2, 1700000000, public_id, &f->uid) != E_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char p[160];
    const char *suffix[] = {"", "-wal", "-shm", ".key", ".other"};

    secrets_forget();
    unsetenv("HAVEN_SECRET_KEY_FILE");
    store_close(f->s);
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Raw SQL, through db.h: to tamper with rows the store would never write. */
static void exec(struct fx *f, const char *sql)
{
    fx_exec(f->s, sql);
}

/* The text of a one-row, one-column query ("" for NULL), into out. */
static void one(struct fx *f, const char *sql, char *out, size_t size)
{
    fx_text(f->s, sql, out, size);
}

static void test_first_start_creates_the_key(void **state)
{
    struct fx *f = *state;
    unsigned char out[TOTP_SECRET_BYTES];
    char sealed[TOTP_SEALED_LEN + 1], col[200];
    struct staff_user u;
    struct stat st;

    /* Nothing to seal with before the key is loaded. */
    assert_int_equal(secrets_totp_seal(secret, sealed), -1);
    assert_int_equal(secrets_init(f->s, f->db), 0);
    assert_int_equal(stat(f->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    one(f, "SELECT value FROM settings WHERE key = 'secret_key_check'", col, sizeof(col));
    assert_int_equal(strlen(col), 64);

    /* A new secret is stored sealed, and only sealed. */
    assert_int_equal(secrets_totp_seal(secret, sealed), 0);
    assert_int_equal(store_totp_set_secret(f->s, f->uid, sealed), E_OK);
    one(f, "SELECT COALESCE(totp_secret, '') FROM users", col, sizeof(col));
    assert_string_equal(col, "");
    one(f, "SELECT totp_sealed FROM users", col, sizeof(col));
    assert_string_equal(col, sealed);
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_string_equal(u.totp_secret, sealed);
    assert_int_equal(secrets_totp_open(f->s, &u, out), 0);
    assert_memory_equal(out, secret, sizeof(out));

    /* A restart reads the same key: the secret still opens. */
    secrets_forget();
    assert_int_equal(secrets_totp_open(f->s, &u, out), -1);
    reopen(f);
    assert_int_equal(secrets_init(f->s, f->db), 0);
    assert_int_equal(secrets_totp_open(f->s, &u, out), 0);
    assert_memory_equal(out, secret, sizeof(out));
}

static void test_wrong_or_missing_key_refused(void **state)
{
    struct fx *f = *state;
    char sealed[TOTP_SEALED_LEN + 1], other[160];
    FILE *fp;

    assert_int_equal(secrets_init(f->s, f->db), 0);
    assert_int_equal(secrets_totp_seal(secret, sealed), 0);
    secrets_forget();

    /* Another key file for this database: refused, and the database's key is not replaced. */
    snprintf(other, sizeof(other), "%s.other", f->db);
    fp = fopen(other, "w");
    assert_non_null(fp);
    fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", fp);
    fclose(fp);
    chmod(other, 0600);
    setenv("HAVEN_SECRET_KEY_FILE", other, 1);
    assert_int_equal(secrets_init(f->s, f->db), -1);
    assert_int_equal(secrets_totp_seal(secret, sealed), -1);
    unsetenv("HAVEN_SECRET_KEY_FILE");

    /* The key file lost: refused, and no new key is made in its place. */
    assert_int_equal(unlink(f->key), 0);
    assert_int_equal(secrets_init(f->s, f->db), -1);
    assert_int_not_equal(access(f->key, F_OK), 0);
}

static void test_env_names_the_key_file(void **state)
{
    struct fx *f = *state;
    char path[160];
    struct stat st;

    snprintf(path, sizeof(path), "%s.other", f->db);
    setenv("HAVEN_SECRET_KEY_FILE", path, 1);
    assert_int_equal(secrets_init(f->s, f->db), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_not_equal(access(f->key, F_OK), 0);
}

static void test_plain_secrets_sealed_at_start(void **state)
{
    struct fx *f = *state;
    unsigned char out[TOTP_SECRET_BYTES];
    char col[200];
    struct staff_user u;

    /* A row as the first release wrote it: the secret in the clear, two-step on. */
    exec(f, "UPDATE users SET totp_secret = '3132333435363738393031323334353637383930',"
            " totp_enabled = 1");
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_string_equal(u.totp_secret, secret_hex);
    assert_int_equal(secrets_init(f->s, f->db), 0);
    one(f, "SELECT COALESCE(totp_secret, '') FROM users", col, sizeof(col));
    assert_string_equal(col, "");
    one(f, "SELECT totp_sealed FROM users", col, sizeof(col));
    assert_true(totp_is_sealed(col));
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_true(u.totp_enabled);
    assert_int_equal(secrets_totp_open(f->s, &u, out), 0);
    assert_memory_equal(out, secret, sizeof(out));
}

static void test_plain_secret_sealed_on_use(void **state)
{
    struct fx *f = *state;
    unsigned char out[TOTP_SECRET_BYTES];
    char col[200];
    struct staff_user u;

    assert_int_equal(secrets_init(f->s, f->db), 0);
    /* Written in the clear after start-up (an old binary on the same database). */
    exec(f, "UPDATE users SET totp_secret = '3132333435363738393031323334353637383930',"
            " totp_enabled = 1");
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_int_equal(secrets_totp_open(f->s, &u, out), 0);
    assert_memory_equal(out, secret, sizeof(out));
    one(f, "SELECT COALESCE(totp_secret, '') || '|' || totp_sealed FROM users", col, sizeof(col));
    assert_memory_equal(col, "|s1:", 4);
    /* A malformed value opens nothing. */
    snprintf(u.totp_secret, sizeof(u.totp_secret), "%s",
             "zz32333435363738393031323334353637383930");
    assert_int_equal(secrets_totp_open(f->s, &u, out), -1);
    u.totp_secret[0] = '\0';
    assert_int_equal(secrets_totp_open(f->s, &u, out), -1);
}

static void test_sealed_text_changed_in_database(void **state)
{
    struct fx *f = *state;
    unsigned char out[TOTP_SECRET_BYTES];
    char sealed[TOTP_SEALED_LEN + 1];
    struct staff_user u;

    assert_int_equal(secrets_init(f->s, f->db), 0);
    assert_int_equal(secrets_totp_seal(secret, sealed), 0);
    assert_int_equal(store_totp_set_secret(f->s, f->uid, sealed), E_OK);
    exec(f, "UPDATE users SET totp_sealed = substr(totp_sealed, 1, 60) ||"
            " CASE substr(totp_sealed, 61, 1) WHEN '0' THEN '1' ELSE '0' END ||"
            " substr(totp_sealed, 62)");
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_int_equal(secrets_totp_open(f->s, &u, out), -1);
    /* The column accepts only the sealed form. */
    assert_int_equal(fx_try(f->s, "UPDATE users SET totp_sealed = 'plain'"), DB_CONSTRAINT);
}

static void test_reset_and_replace(void **state)
{
    struct fx *f = *state;
    const char *a[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"};
    const char *b[] = {"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"};
    char sealed[TOTP_SEALED_LEN + 1], col[200];
    struct staff_user u;
    long sid;
    int left = -1;

    assert_int_equal(secrets_init(f->s, f->db), 0);
    /* Off: nothing to replace. */
    assert_int_equal(store_recovery_replace(f->s, f->uid, b, 1), E_CONFLICT);
    assert_int_equal(secrets_totp_seal(secret, sealed), 0);
    assert_int_equal(store_totp_set_secret(f->s, f->uid, sealed), E_OK);
    assert_int_equal(store_totp_enable(f->s, f->uid, 5, a, 2), E_OK);
    assert_int_equal(store_recovery_use(f->s, f->uid, a[0], 1700000000), E_OK);
    /* Replacing voids the old codes, used or not. */
    assert_int_equal(store_recovery_replace(f->s, f->uid, b, 1), E_OK);
    assert_int_equal(store_recovery_left(f->s, f->uid, &left), E_OK);
    assert_int_equal(left, 1);
    assert_int_equal(store_recovery_use(f->s, f->uid, a[1], 1700000000), E_NOTFOUND);
    assert_int_equal(store_recovery_use(f->s, f->uid, b[0], 1700000000), E_OK);
    /* Reset: second factor off, secret and codes gone, every session ended. */
    assert_int_equal(store_session_add(f->s, f->uid, a[0], b[0], false, "-", 1700000000, &sid),
                     E_OK);
    assert_int_equal(store_totp_reset(f->s, f->uid), E_OK);
    assert_int_equal(store_user_get(f->s, STAFF_BY_ID, f->uid, NULL, &u), E_OK);
    assert_false(u.totp_enabled);
    assert_string_equal(u.totp_secret, "");
    one(f, "SELECT count(*) FROM recovery_codes", col, sizeof(col));
    assert_string_equal(col, "0");
    one(f, "SELECT count(*) FROM sessions", col, sizeof(col));
    assert_string_equal(col, "0");
    assert_int_equal(store_recovery_replace(f->s, f->uid, b, 1), E_CONFLICT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_start_creates_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_or_missing_key_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_names_the_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_secrets_sealed_at_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_secret_sealed_on_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_text_changed_in_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_and_replace, setup, teardown),
    };
    if (rand_init() < 0)
        return 1;
    log_set_level(LOG_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
