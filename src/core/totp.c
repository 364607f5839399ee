/* totp: see totp.h. liboath does the arithmetic; it needs oath_init() once per process. */
#include "core/totp.h"

#include <errno.h>
#include <fcntl.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/rand.h"

_Static_assert(TOTP_KEY_BYTES == crypto_secretbox_KEYBYTES, "secretbox key size");
_Static_assert(TOTP_SEALED_LEN == sizeof(TOTP_SEAL_PREFIX) - 1 +
                                      2 * (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                           TOTP_SECRET_BYTES),
               "sealed length");

#define BOX_BYTES (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES)
#define PREFIX_LEN (sizeof(TOTP_SEAL_PREFIX) - 1)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void init(void)
{
    init_rc = oath_init() == OATH_OK ? 0 : -1;
}

static int ready(void)
{
    pthread_once(&once, init);
    return init_rc;
}

void totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES])
{
    rand_bytes(secret, TOTP_SECRET_BYTES);
}

int totp_code(const unsigned char *secret, size_t len, time_t now, char out[TOTP_DIGITS + 1])
{
    if (ready() < 0)
        return -1;
    return oath_totp_generate((const char *)secret, len, now, TOTP_STEP_SECONDS, 0, TOTP_DIGITS,
                              out) == OATH_OK
               ? 0
               : -1;
}

int totp_verify(const unsigned char *secret, size_t len, time_t now, const char *code,
                long long *step)
{
    uint64_t counter = 0;
    int pos = 0, rc;

    if (!code || strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
        return -1;
    if (ready() < 0)
        return -1;
    rc = oath_totp_validate3((const char *)secret, len, now, TOTP_STEP_SECONDS, 0, TOTP_WINDOW,
                             &pos, &counter, code);
    if (rc < 0)
        return -1;
    if (step)
        *step = (long long)counter;
    return 0;
}

int totp_base32(const unsigned char *secret, size_t len, char *out, size_t size)
{
    char *enc = NULL;
    size_t n = 0, keep;
    int ret = -1;

    if (ready() < 0 || oath_base32_encode((const char *)secret, len, &enc, &n) != OATH_OK)
        goto out;
    keep = n;
    while (keep && enc[keep - 1] == '=')
        keep--;
    if (keep + 1 > size)
        goto out;
    memcpy(out, enc, keep);
    out[keep] = '\0';
    ret = 0;
out:
    free(enc);
    return ret;
}

static void add_pct(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '@') {
            buf_addc(b, (char)*p);
        } else {
            buf_addc(b, '%');
            buf_addc(b, hex[*p >> 4]);
            buf_addc(b, hex[*p & 15]);
        }
    }
}

char *totp_uri(const char *issuer, const char *account, const char *base32)
{
    struct buf b = BUF_INIT;

    buf_adds(&b, "otpauth://totp/");
    add_pct(&b, issuer);
    buf_addc(&b, ':');
    add_pct(&b, account);
    buf_addf(&b, "?secret=%s&issuer=", base32);
    add_pct(&b, issuer);
    buf_addf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_SECONDS);
    return buf_detach(&b, NULL);
}

static bool all_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

bool totp_is_sealed(const char *text)
{
    return text && strlen(text) == TOTP_SEALED_LEN &&
           memcmp(text, TOTP_SEAL_PREFIX, PREFIX_LEN) == 0 &&
           all_hex(text + PREFIX_LEN, TOTP_SEALED_LEN - PREFIX_LEN);
}

bool totp_is_plain(const char *text)
{
    return text && strlen(text) == TOTP_PLAIN_HEX_LEN && all_hex(text, TOTP_PLAIN_HEX_LEN);
}

int totp_seal(const unsigned char key[TOTP_KEY_BYTES],
              const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_SEALED_LEN + 1])
{
    unsigned char box[BOX_BYTES];

    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, TOTP_SECRET_BYTES, box,
                              key) != 0) {
        out[0] = '\0';
        return -1;
    }
    memcpy(out, TOTP_SEAL_PREFIX, PREFIX_LEN);
    sodium_bin2hex(out + PREFIX_LEN, TOTP_SEALED_LEN - PREFIX_LEN + 1, box, sizeof(box));
    return 0;
}

int totp_open(const unsigned char key[TOTP_KEY_BYTES], const char *sealed,
              unsigned char secret[TOTP_SECRET_BYTES])
{
    unsigned char box[BOX_BYTES];
    size_t len = 0;
    int ret = -1;

    sodium_memzero(secret, TOTP_SECRET_BYTES);
    if (!totp_is_sealed(sealed) ||
        sodium_hex2bin(box, sizeof(box), sealed + PREFIX_LEN, TOTP_SEALED_LEN - PREFIX_LEN, NULL,
                       &len, NULL) != 0 ||
        len != sizeof(box))
        goto out;
    if (crypto_secretbox_open_easy(secret, box + crypto_secretbox_NONCEBYTES,
                                   sizeof(box) - crypto_secretbox_NONCEBYTES, box, key) != 0) {
        sodium_memzero(secret, TOTP_SECRET_BYTES);
        goto out;
    }
    ret = 0;
out:
    sodium_memzero(box, sizeof(box));
    return ret;
}

