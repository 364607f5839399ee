/* test_totp: RFC 6238 appendix B (SHA-1 rows, 6-digit truncation), the +-1 step window and its
 * edges, wrong and malformed codes, base32 and the otpauth URI, and the QR SVG's shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/qr_svg.h"
#include "core/rand.h"
#include "core/totp.h"

static const unsigned char key[] = "12345678901234567890"; /* RFC 6238 SHA-1 seed */
#define KEYLEN 20

static const struct {
    long long t;
    const char *code; /* last 6 of the RFC's 8 digits */
} vectors[] = {
    {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
    {1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"},
};

static void test_rfc6238_vectors(void **state)
{
    char out[TOTP_DIGITS + 1];
    long long step;
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        assert_int_equal(totp_code(key, KEYLEN, (time_t)vectors[i].t, out), 0);
        assert_string_equal(out, vectors[i].code);
        assert_int_equal(totp_verify(key, KEYLEN, (time_t)vectors[i].t, vectors[i].code, &step), 0);
        assert_int_equal(step, vectors[i].t / 30);
    }
}

static void test_window(void **state)
{
    const time_t t = 1111111111; /* step 37037037, 1 s into it */
    char prev[7], next[7], far[7];
    long long step;
    (void)state;
    totp_code(key, KEYLEN, t - 30, prev);
    totp_code(key, KEYLEN, t + 30, next);
    totp_code(key, KEYLEN, t + 60, far);
    assert_int_equal(totp_verify(key, KEYLEN, t, prev, &step), 0);
    assert_int_equal(step, t / 30 - 1);
    assert_int_equal(totp_verify(key, KEYLEN, t, next, &step), 0);
    assert_int_equal(step, t / 30 + 1);
    assert_int_equal(totp_verify(key, KEYLEN, t, far, &step), -1);
    totp_code(key, KEYLEN, t - 60, far);
    assert_int_equal(totp_verify(key, KEYLEN, t, far, &step), -1);
}

static void test_wrong_codes(void **state)
{
    long long step;
    (void)state;
    assert_int_equal(totp_verify(key, KEYLEN, 59, "287083", &step), -1);
    assert_int_equal(totp_verify(key, KEYLEN, 59, "28708", &step), -1);
    assert_int_equal(totp_verify(key, KEYLEN, 59, "2870820", &step), -1);
    assert_int_equal(totp_verify(key, KEYLEN, 59, "28708a", &step), -1);
    assert_int_equal(totp_verify(key, KEYLEN, 59, "", &step), -1);
    assert_int_equal(totp_verify(key, KEYLEN, 59, NULL, &step), -1);
}

static void test_base32_and_uri(void **state)
{
    char b32[TOTP_BASE32_LEN + 1], *uri;
    unsigned char secret[TOTP_SECRET_BYTES];
    (void)state;
    assert_int_equal(totp_base32(key, KEYLEN, b32, sizeof(b32)), 0);
    assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_int_equal(totp_base32(key, KEYLEN, b32, 10), -1);
    uri = totp_uri("Pecan Haven", "a.b@x.org", b32);
    assert_string_equal(uri, "otpauth://totp/Pecan%20Haven:a.b@x.org?secret="
                             "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Pecan%20Haven"
                             "&algorithm=SHA1&digits=6&period=30");
    free(uri);
    totp_new_secret(secret);
    assert_int_equal(totp_base32(secret, sizeof(secret), b32, sizeof(b32)), 0);
    assert_int_equal(strlen(b32), TOTP_BASE32_LEN);
}

static void test_qr_svg(void **state)
{
    char *svg = qr_svg("otpauth://totp/x?secret=AAAA", "QR <code> & \"label\"");
    (void)state;
    assert_non_null(svg);
    assert_true(strncmp(svg, "<svg ", 5) == 0);
    assert_non_null(strstr(svg, "&lt;code&gt; &amp; &quot;label&quot;"));
    assert_null(strstr(svg, "<code>"));
    assert_null(strstr(svg, "<script"));
    assert_non_null(strstr(svg, "<path "));
    assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_window),
        cmocka_unit_test(test_wrong_codes),     cmocka_unit_test(test_base32_and_uri),
        cmocka_unit_test(test_qr_svg),
    };
    if (rand_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
