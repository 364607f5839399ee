/* secrets: the key that seals second-factor secrets at rest, loaded once before threads start,
 * and sealing and opening with it. The database keeps only a keyed hash that names the key. */
#include "web/secrets.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "core/keyfile.h"
#include "core/log.h"
#include "store/staff.h"

_Static_assert(KEYFILE_BYTES == TOTP_KEY_BYTES, "the key file holds a secretbox key");

#define KEY_CHECK_SETTING "secret_key_check"
#define KEY_CHECK_TEXT "haven secret key check v1"

/* Written once by secrets_init before any thread starts; only read afterwards. */
static unsigned char secret_key[KEYFILE_BYTES];
static bool secret_key_loaded;

void secrets_forget(void)
{
    sodium_memzero(secret_key, sizeof(secret_key));
    secret_key_loaded = false;
}

/* A keyed hash that names the key without revealing it: 64 hex digits. */
static void key_check(const unsigned char key[KEYFILE_BYTES], char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)KEY_CHECK_TEXT,
                       sizeof(KEY_CHECK_TEXT) - 1, key, KEYFILE_BYTES);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Seals the secrets the first release stored in the clear; the number sealed, or -1. */
static long seal_plain_rows(struct store *s)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    char hex[41], sealed[TOTP_SEALED_LEN + 1];
    long id = 0, n = 0;
    size_t len;
    enum err e;

    while ((e = store_totp_plain_next(s, id, &id, hex)) == E_OK) {
        len = 0;
        if (!totp_is_plain(hex) || sodium_hex2bin(secret, sizeof(secret), hex, strlen(hex), NULL,
                                                  &len, NULL) != 0 || len != sizeof(secret)) {
            log_warn("user %ld: second-factor secret unreadable, left as it is", id);
            continue;
        }
        if (totp_seal(secret_key, secret, sealed) < 0 ||
            store_totp_reseal(s, id, hex, sealed) != E_OK)
            n = -1;
        else if (n >= 0)
            n++;
        sodium_memzero(secret, sizeof(secret));
        sodium_memzero(hex, sizeof(hex));
        if (n < 0)
            break;
    }
    return e == E_NOTFOUND ? n : -1;
}

int secrets_init(struct store *s, const char *db_path)
{
    char path[4096], want[65], have[65] = "";
    bool known, created = false;
    enum err e;
    long n;

    if (keyfile_path(db_path, path, sizeof(path)) < 0) {
        log_error("no secret key file: set HAVEN_SECRET_KEY_FILE");
        return -1;
    }
    e = store_setting_get(s, KEY_CHECK_SETTING, have, sizeof(have));
    if (e != E_OK && e != E_NOTFOUND)
        return -1;
    known = e == E_OK;
    /* A database that has had a key never gets a new one by accident: its secrets would be
     * lost. */
    if (keyfile_load(path, !known, secret_key, &created) < 0) {
        if (known)
            log_error("this database's second-factor secrets need the key file %s", path);
        secrets_forget();
        return -1;
    }
    key_check(secret_key, want);
    if (known && (strlen(have) != 64 || sodium_memcmp(have, want, 64) != 0)) {
        log_error("the secret key file %s is not the one this database was used with", path);
        secrets_forget();
        return -1;
    }
    if (!known && store_setting_set(s, KEY_CHECK_SETTING, want) != E_OK) {
        secrets_forget();
        return -1;
    }
    secret_key_loaded = true;
    if (created)
        log_info("created the secret key file %s (back it up, but not together with "
                 "the database's backups)", path);
    if ((n = seal_plain_rows(s)) < 0) {
        log_error("cannot seal the second-factor secrets stored in the clear");
        secrets_forget();
        return -1;
    }
    if (n > 0)
        log_info("sealed %ld second-factor secrets stored in the clear", n);
    return 0;
}

int secrets_totp_seal(const unsigned char secret[TOTP_SECRET_BYTES],
                    char out[TOTP_SEALED_LEN + 1])
{
    if (!secret_key_loaded) {
        log_error("no secret key loaded: cannot seal a second-factor secret");
        return -1;
    }
    return totp_seal(secret_key, secret, out);
}

int secrets_totp_open(struct store *s, const struct staff_user *u,
                    unsigned char secret[TOTP_SECRET_BYTES])
{
    char sealed[TOTP_SEALED_LEN + 1];
    size_t len = 0;

    sodium_memzero(secret, TOTP_SECRET_BYTES);
    if (!u->totp_secret[0])
        return -1;
    if (!secret_key_loaded) {
        log_error("no secret key loaded: cannot open user %ld's second-factor secret", u->id);
        return -1;
    }
    if (totp_is_sealed(u->totp_secret)) {
        if (totp_open(secret_key, u->totp_secret, secret) == 0)
            return 0;
        log_error("user %ld's second-factor secret does not open with this key", u->id);
        return -1;
    }
    /* Stored in the clear (before migration 0005) and missed at start-up: seal it now. */
    if (!totp_is_plain(u->totp_secret) ||
        sodium_hex2bin(secret, TOTP_SECRET_BYTES, u->totp_secret, strlen(u->totp_secret), NULL,
                       &len, NULL) != 0 ||
        len != TOTP_SECRET_BYTES) {
        sodium_memzero(secret, TOTP_SECRET_BYTES);
        log_error("user %ld's second-factor secret is malformed", u->id);
        return -1;
    }
    if (totp_seal(secret_key, secret, sealed) == 0 &&
        store_totp_reseal(s, u->id, u->totp_secret, sealed) == E_OK)
        log_info("user %ld's second-factor secret sealed", u->id);
    return 0;
}

int secrets_totp_open_sealed(const char *sealed, unsigned char secret[TOTP_SECRET_BYTES])
{
    sodium_memzero(secret, TOTP_SECRET_BYTES);
    if (!sealed || !*sealed)
        return -1;
    if (!secret_key_loaded) {
        log_error("no secret key loaded: cannot open a second-factor secret");
        return -1;
    }
    if (totp_open(secret_key, sealed, secret) == 0)
        return 0;
    log_error("a sealed second-factor secret does not open with this key");
    return -1;
}
