/* test_audit_chain: the audit trail's hash rule: known vectors (computed independently with
 * Python's hashlib/hmac over the documented serialisation), every field counts, the prev link,
 * the canonical form is unambiguous; the keyed scheme: key derivation, HMAC and head-anchor
 * vectors, a different key gives a different link, and the schemes never coincide. A list
 * entry's listing (scheme 4, and scheme 1 without the key): known vectors, and an id changed,
 * removed, added, reordered or moved between ids changes the link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "domain/audit_chain.h"

/* hashlib.sha256(b"haven-audit-chain-1\0" + fields) where each field is b"\x01" + 4-byte
 * big-endian length + bytes, or b"\x00" when absent. */
static const char vector1[] = "85e92e94ea56bbed127693d9d602b02410c9ec99fdabfd585dc74679b13962a5";
static const char vector2[] = "c21b4b11cb412678fb849656a6e35aeeddb01072fb82152c43e2d93d4e6cf404";

static struct audit_entry first(void)
{
    return (struct audit_entry){
        .id = 1, .at = "2026-01-31T09:15:00.123Z", .user_id = 7,
        .user_email = "auditor@demo.haven", .roles = "auditor", .action = "view",
        .record_type = "audit", .record_id = NULL, .outcome = "ok", .client = "127.0.0.1",
        .prev_hash = audit_chain_genesis,
    };
}

static void hash_of(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1])
{
    assert_int_equal(audit_chain_hash(e, out), 0);
    assert_int_equal(strlen(out), AUDIT_HASH_LEN);
}

static void test_genesis_is_64_zeros(void **state)
{
    (void)state;
    assert_int_equal(strlen(audit_chain_genesis), 64);
    assert_int_equal(strspn(audit_chain_genesis, "0"), 64);
}

static void test_known_vectors(void **state)
{
    struct audit_entry e = first();
    char h1[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];

    (void)state;
    hash_of(&e, h1);
    assert_string_equal(h1, vector1);
    /* The second entry: anonymous (user_id 0 = absent), no roles, a record id, linked to h1. */
    e = (struct audit_entry){
        .id = 2, .at = "2026-01-31T09:15:01.000Z", .user_id = 0, .user_email = "anonymous",
        .roles = "", .action = "create", .record_type = "referral", .record_id = "abc123",
        .outcome = "ok", .client = "10.0.0.1", .prev_hash = h1,
    };
    hash_of(&e, h2);
    assert_string_equal(h2, vector2);
}

static void test_hash_field_is_ignored(void **state)
{
    struct audit_entry e = first();
    char a[AUDIT_HASH_LEN + 1], b[AUDIT_HASH_LEN + 1];

    (void)state;
    hash_of(&e, a);
    e.hash = "ffff";
    hash_of(&e, b);
    assert_string_equal(a, b);
}

/* Changing any one field (including id and prev_hash) changes the hash. */
static void test_every_field_counts(void **state)
{
    char base[AUDIT_HASH_LEN + 1], h[AUDIT_HASH_LEN + 1];
    const char other_prev[] = "1000000000000000000000000000000000000000000000000000000000000000";
    struct audit_entry e;

    (void)state;
    e = first();
    hash_of(&e, base);
#define CHANGED(stmt)                                                                          \
    do {                                                                                       \
        e = first();                                                                           \
        stmt;                                                                                  \
        hash_of(&e, h);                                                                        \
        assert_string_not_equal(h, base);                                                      \
    } while (0)
    CHANGED(e.id = 2);
    CHANGED(e.at = "2026-01-31T09:15:00.124Z");
    CHANGED(e.user_id = 8);
    CHANGED(e.user_id = 0);
    CHANGED(e.user_email = "Auditor@demo.haven");
    CHANGED(e.roles = "auditor,admin");
    CHANGED(e.action = "export");
    CHANGED(e.record_type = "patient");
    CHANGED(e.record_id = "");
    CHANGED(e.record_id = "p1");
    CHANGED(e.outcome = "denied");
    CHANGED(e.client = "127.0.0.2");
    CHANGED(e.prev_hash = other_prev);
#undef CHANGED
}

/* Each hash covers the previous one: a different predecessor gives a different successor. */
static void test_prev_link(void **state)
{
    struct audit_entry a = first(), b;
    char ha[AUDIT_HASH_LEN + 1], hb[AUDIT_HASH_LEN + 1], hb2[AUDIT_HASH_LEN + 1];

    (void)state;
    hash_of(&a, ha);
    b = first();
    b.id = 2;
    b.prev_hash = ha;
    hash_of(&b, hb);
    a.outcome = "denied";
    hash_of(&a, ha);
    hash_of(&b, hb2);
    assert_string_not_equal(hb, hb2);
}

/* Moving bytes from one field to the next must change the hash: "ab"+"c" vs "a"+"bc", in
 * every pair of neighbouring text fields, and an empty string is not an absent one. */
static void test_unambiguous(void **state)
{
    struct audit_entry e = first(), f = first();
    char h1[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];

    (void)state;
    e.action = "ab", e.record_type = "c";
    f.action = "a", f.record_type = "bc";
    hash_of(&e, h1);
    hash_of(&f, h2);
    assert_string_not_equal(h1, h2);

    e = first(), f = first();
    e.user_email = "x@y,admin", e.roles = "";
    f.user_email = "x@y", f.roles = ",admin";
    hash_of(&e, h1);
    hash_of(&f, h2);
    assert_string_not_equal(h1, h2);

    e = first(), f = first();
    e.record_type = "audit", e.record_id = "ok";
    f.record_type = "auditok", f.record_id = NULL;
    hash_of(&e, h1);
    hash_of(&f, h2);
    assert_string_not_equal(h1, h2);

    /* Bytes that look like the serialisation's own framing cannot fake a field boundary. */
    e = first(), f = first();
    e.action = "a", e.record_type = "\x01" "bc";
    f.action = "a\x01" "b", f.record_type = "c";
    hash_of(&e, h1);
    hash_of(&f, h2);
    assert_string_not_equal(h1, h2);

    e = first(), f = first();
    e.record_id = "";
    f.record_id = NULL;
    hash_of(&e, h1);
    hash_of(&f, h2);
    assert_string_not_equal(h1, h2);
}

static void test_required_fields(void **state)
{
    struct audit_entry e;
    char h[AUDIT_HASH_LEN + 1];

    (void)state;
    e = first(), e.action = NULL;
    assert_int_equal(audit_chain_hash(&e, h), -1);
    assert_string_equal(h, "");
    e = first(), e.prev_hash = NULL;
    assert_int_equal(audit_chain_hash(&e, h), -1);
    e = first(), e.user_email = NULL;
    assert_int_equal(audit_chain_hash(&e, h), -1);
}

/* Python: blake2b(key=master, salt=LE64(id) + 8 zero bytes, person=b"hvnaudit" + 8 zero
 * bytes, digest_size=32) for subkeys 1 (chain) and 2 (head); master = bytes(range(32)). */
static const char kdf_chain[] = "3d8ef2d06cece996821a6d90bb5d5d1573662486e11786231a3a4c66d120ad6a";
static const char kdf_head[] = "33add0b4d280f9b2eaf7269b199d410fdce0851ccb870a0340a08c844d7da0ea";
/* hmac.new(chain, b"haven-audit-chain-2-hmac\0" + fields, sha256) for first(). */
static const char mac1[] = "163809fa91ea6504d6325b0f636cf50386dc3cd4bad2bf7ffc101174188d4f54";
/* hmac.new(head, b"haven-audit-head-1\0" + field("1") + field(mac1), sha256). */
static const char head1[] = "4c4579beb58d89a1bcdbe5750f50afc0f40a0d7f4d459ff7b7b2110f579e9312";

static void make_key(struct audit_key *k, unsigned char first_byte)
{
    unsigned char master[AUDIT_KEY_BYTES];

    for (size_t i = 0; i < sizeof(master); i++)
        master[i] = (unsigned char)(first_byte + i);
    assert_int_equal(audit_chain_key_derive(master, k), 0);
}

static void test_keyed_vectors(void **state)
{
    struct audit_key k;
    struct audit_entry e = first();
    char hex[65], h[AUDIT_HASH_LEN + 1];

    (void)state;
    make_key(&k, 0);
    sodium_bin2hex(hex, sizeof(hex), k.chain, sizeof(k.chain));
    assert_string_equal(hex, kdf_chain);
    sodium_bin2hex(hex, sizeof(hex), k.head, sizeof(k.head));
    assert_string_equal(hex, kdf_head);
    assert_int_equal(audit_chain_mac(&e, &k, h), 0);
    assert_string_equal(h, mac1);
    e.scheme = AUDIT_SCHEME_HMAC;
    assert_int_equal(audit_chain_entry_hash(&e, &k, h), 0);
    assert_string_equal(h, mac1);
    assert_int_equal(audit_chain_head_mac(&k, 1, mac1, h), 0);
    assert_string_equal(h, head1);
}

/* Scheme 1 is what it always was; scheme 2 differs from it and between keys; every field and
 * the link count under the key too. */
static void test_schemes_and_keys(void **state)
{
    struct audit_key k1, k2;
    struct audit_entry e = first();
    char plain[AUDIT_HASH_LEN + 1], m1[AUDIT_HASH_LEN + 1], m2[AUDIT_HASH_LEN + 1];

    (void)state;
    make_key(&k1, 0);
    make_key(&k2, 1);
    e.scheme = AUDIT_SCHEME_SHA256;
    assert_int_equal(audit_chain_entry_hash(&e, &k1, plain), 0);
    assert_string_equal(plain, vector1); /* the key plays no part in scheme 1 */
    e.scheme = 0;
    assert_int_equal(audit_chain_entry_hash(&e, NULL, plain), 0);
    assert_string_equal(plain, vector1);
    e.scheme = AUDIT_SCHEME_HMAC;
    assert_int_equal(audit_chain_entry_hash(&e, &k1, m1), 0);
    assert_int_equal(audit_chain_entry_hash(&e, &k2, m2), 0);
    assert_string_not_equal(m1, plain);
    assert_string_not_equal(m1, m2);
    assert_int_equal(audit_chain_entry_hash(&e, NULL, m2), -1); /* keyed needs a key */
    assert_string_equal(m2, "");
    /* Scheme 3: keyed, and the scheme is part of the digest: never equal to scheme 2. */
    e.scheme = AUDIT_SCHEME_HMAC3;
    assert_int_equal(audit_chain_entry_hash(&e, &k1, m2), 0);
    assert_string_not_equal(m1, m2);
    assert_string_not_equal(m2, plain);
    assert_int_equal(audit_chain_mac3(&e, &k1, plain), 0);
    assert_string_equal(m2, plain);
    assert_int_equal(audit_chain_entry_hash(&e, NULL, m2), -1);
    assert_true(audit_scheme_keyed(AUDIT_SCHEME_HMAC3) && audit_scheme_keyed(AUDIT_SCHEME_HMAC));
    assert_false(audit_scheme_keyed(AUDIT_SCHEME_SHA256));
    e.scheme = 5; /* unknown (4 is the listing scheme: test_listing_vectors) */
    assert_int_equal(audit_chain_entry_hash(&e, &k1, m2), -1);
    assert_int_equal(audit_chain_entry_hash(&e, NULL, plain), -1);
    e = first(), e.scheme = AUDIT_SCHEME_SHA256;
    assert_int_equal(audit_chain_entry_hash(&e, &k1, plain), 0);
    e = first(), e.scheme = AUDIT_SCHEME_HMAC, e.client = "127.0.0.2";
    assert_int_equal(audit_chain_entry_hash(&e, &k1, m2), 0);
    assert_string_not_equal(m1, m2);
    e = first(), e.scheme = AUDIT_SCHEME_HMAC, e.prev_hash = vector2;
    assert_int_equal(audit_chain_entry_hash(&e, &k1, m2), 0);
    assert_string_not_equal(m1, m2);
    e = first(), e.action = NULL;
    assert_int_equal(audit_chain_mac(&e, &k1, m2), -1);
}

/* ---- a list entry's listing (scheme 4) ---------------------------------------------------- */

static const char *const listed2[] = {"0123456789abcdef0123456789abcdef", "r2"};

/* first() as the list entry of a queue that showed listed2. */
static struct audit_entry list_entry(void)
{
    struct audit_entry e = first();

    e.action = "list", e.record_type = "referral";
    e.listed = listed2, e.n_listed = 2;
    return e;
}

/* hmac.new(chain, b"haven-audit-chain-4-hmac\0" + field("4") + fields + field("2") +
 * field(id) for each id, sha256) for list_entry(); the same with field("0") and no ids; and
 * hashlib.sha256(b"haven-audit-chain-1\0" + fields + field("2") + the ids). */
static const char mac4[] = "f2960d8fc17d6053a9ab89cad18091ef28690822f487f6274770b825b7b782b3";
static const char mac4_empty[] = "9980ab08301df8609dfaf6ffbb13e5cd4372ded57618c14ea1c6da21b8febadd";
static const char plain_listed[] =
    "1750356f71a8962d0643fdfbc4d4f65a9be433289d046b953b9d1d3fa22fc3d9";

static void test_listing_vectors(void **state)
{
    struct audit_key k;
    struct audit_entry e = list_entry();
    char h[AUDIT_HASH_LEN + 1], h3[AUDIT_HASH_LEN + 1];

    (void)state;
    make_key(&k, 0);
    assert_true(audit_scheme_keyed(AUDIT_SCHEME_HMAC4));
    e.scheme = AUDIT_SCHEME_HMAC4;
    assert_int_equal(audit_chain_entry_hash(&e, &k, h), 0);
    assert_string_equal(h, mac4);
    assert_int_equal(audit_chain_mac4(&e, &k, h), 0);
    assert_string_equal(h, mac4);
    assert_int_equal(audit_chain_entry_hash(&e, NULL, h), -1); /* keyed needs a key */
    e.scheme = AUDIT_SCHEME_SHA256;
    assert_int_equal(audit_chain_entry_hash(&e, NULL, h), 0);
    assert_string_equal(h, plain_listed);
    /* Scheme 4 serialises an empty listing too ("0"): never the scheme-3 link of the entry. */
    e = list_entry(), e.listed = NULL, e.n_listed = 0;
    assert_int_equal(audit_chain_mac4(&e, &k, h), 0);
    assert_string_equal(h, mac4_empty);
    assert_int_equal(audit_chain_mac3(&e, &k, h3), 0);
    assert_string_not_equal(h, h3);
    /* Schemes 1-3 without a listing hash as they always did (test_known_vectors: vector1). */
    e = first();
    assert_int_equal(audit_chain_hash(&e, h), 0);
    assert_string_equal(h, vector1);
}

/* The link of a list entry under scheme 4 (and 1, 3 with a listing), into out. */
static void link_of(const struct audit_entry *e, int scheme, char out[AUDIT_HASH_LEN + 1])
{
    struct audit_key k;
    struct audit_entry c = *e;

    make_key(&k, 0);
    c.scheme = scheme;
    assert_int_equal(audit_chain_entry_hash(&c, &k, out), 0);
}

/* Every change of the listing changes the link: an id changed, removed, added, the order, bytes
 * moved from one id to the next; and a listing slipped under an entry of schemes 1-3. */
static void test_listing_counts(void **state)
{
    static const char *const changed[] = {"0123456789abcdef0123456789abcdee", "r2"};
    static const char *const removed[] = {"r2"};
    static const char *const added[] = {"0123456789abcdef0123456789abcdef", "r2", "r3"};
    static const char *const swapped[] = {"r2", "0123456789abcdef0123456789abcdef"};
    static const char *const moved_a[] = {"ab", "c"};
    static const char *const moved_b[] = {"a", "bc"};
    static const int schemes[] = {AUDIT_SCHEME_HMAC4, AUDIT_SCHEME_SHA256};
    struct audit_entry e;
    char base[AUDIT_HASH_LEN + 1], h[AUDIT_HASH_LEN + 1];

    (void)state;
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        e = list_entry();
        link_of(&e, schemes[i], base);
#define CHANGED(stmt)                                                                              \
    do {                                                                                           \
        e = list_entry();                                                                          \
        stmt;                                                                                      \
        link_of(&e, schemes[i], h);                                                                \
        assert_string_not_equal(h, base);                                                          \
    } while (0)
        CHANGED(e.listed = changed);
        CHANGED((e.listed = removed, e.n_listed = 1));
        CHANGED(e.n_listed = 1); /* the last one dropped */
        CHANGED((e.listed = added, e.n_listed = 3));
        CHANGED(e.listed = swapped);
        CHANGED((e.listed = NULL, e.n_listed = 0));
        CHANGED((e.listed = NULL, e.n_listed = 0, e.record_id = listed2[0]));
#undef CHANGED
        e = list_entry(), e.listed = moved_a;
        link_of(&e, schemes[i], base);
        e.listed = moved_b;
        link_of(&e, schemes[i], h);
        assert_string_not_equal(h, base);
    }
    /* A listing slipped in under a scheme-3 entry breaks its link. */
    e = first();
    link_of(&e, AUDIT_SCHEME_HMAC3, base);
    e.listed = removed, e.n_listed = 1;
    link_of(&e, AUDIT_SCHEME_HMAC3, h);
    assert_string_not_equal(h, base);
}

static void test_listing_required(void **state)
{
    static const char *const empty_id[] = {"r1", ""};
    static const char *const null_id[] = {"r1", NULL};
    struct audit_key k;
    struct audit_entry e;
    char h[AUDIT_HASH_LEN + 1];

    (void)state;
    make_key(&k, 0);
    e = list_entry(), e.listed = NULL;
    assert_int_equal(audit_chain_mac4(&e, &k, h), -1);
    assert_string_equal(h, "");
    e = list_entry(), e.listed = empty_id;
    assert_int_equal(audit_chain_mac4(&e, &k, h), -1);
    e = list_entry(), e.listed = null_id;
    assert_int_equal(audit_chain_hash(&e, h), -1);
    e = list_entry(), e.n_listed = AUDIT_LISTED_MAX + 1;
    assert_int_equal(audit_chain_mac4(&e, &k, h), -1);
    assert_int_equal(audit_chain_mac4(&e, NULL, h), -1);
}

static void test_head_mac(void **state)
{
    struct audit_key k1, k2;
    char a[AUDIT_HASH_LEN + 1], b[AUDIT_HASH_LEN + 1];

    (void)state;
    make_key(&k1, 0);
    make_key(&k2, 1);
    assert_int_equal(audit_chain_head_mac(&k1, 5, vector1, a), 0);
    assert_int_equal(audit_chain_head_mac(&k1, 4, vector1, b), 0);
    assert_false(audit_chain_hash_equal(a, b)); /* the id counts */
    assert_int_equal(audit_chain_head_mac(&k1, 5, vector2, b), 0);
    assert_false(audit_chain_hash_equal(a, b)); /* the hash counts */
    assert_int_equal(audit_chain_head_mac(&k2, 5, vector1, b), 0);
    assert_false(audit_chain_hash_equal(a, b)); /* the key counts */
    assert_int_equal(audit_chain_head_mac(&k1, 5, vector1, b), 0);
    assert_true(audit_chain_hash_equal(a, b));
    assert_false(audit_chain_hash_equal(a, "abc"));
    assert_false(audit_chain_hash_equal(NULL, a));
    assert_int_equal(audit_chain_head_mac(NULL, 5, vector1, b), -1);
    assert_int_equal(audit_chain_head_mac(&k1, 5, NULL, b), -1);
    /* Form 2 covers where keying began, and never equals form 1. */
    assert_int_equal(audit_chain_head_mac2(&k1, 5, vector1, 0, b), 0);
    assert_false(audit_chain_hash_equal(a, b));
    assert_int_equal(audit_chain_head_mac2(&k1, 5, vector1, 3, a), 0);
    assert_false(audit_chain_hash_equal(a, b)); /* first_keyed_id counts */
    assert_int_equal(audit_chain_head_mac2(&k1, 5, vector1, 4, b), 0);
    assert_false(audit_chain_hash_equal(a, b));
    assert_int_equal(audit_chain_head_mac2(&k1, 5, vector1, 3, b), 0);
    assert_true(audit_chain_hash_equal(a, b));
    assert_int_equal(audit_chain_head_mac2(&k1, 5, vector1, -1, b), -1);
    assert_int_equal(audit_chain_head_mac2(NULL, 5, vector1, 3, b), -1);
}

static void test_process_key(void **state)
{
    struct audit_key k;

    (void)state;
    assert_null(audit_chain_key());
    make_key(&k, 0);
    audit_chain_key_set(&k);
    assert_non_null(audit_chain_key());
    assert_memory_equal(audit_chain_key()->chain, k.chain, sizeof(k.chain));
    audit_chain_key_forget();
    assert_null(audit_chain_key());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genesis_is_64_zeros), cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_hash_field_is_ignored), cmocka_unit_test(test_every_field_counts),
        cmocka_unit_test(test_prev_link),           cmocka_unit_test(test_unambiguous),
        cmocka_unit_test(test_required_fields),     cmocka_unit_test(test_keyed_vectors),
        cmocka_unit_test(test_schemes_and_keys),    cmocka_unit_test(test_head_mac),
        cmocka_unit_test(test_process_key),         cmocka_unit_test(test_listing_vectors),
        cmocka_unit_test(test_listing_counts),      cmocka_unit_test(test_listing_required),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
