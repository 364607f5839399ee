/* audit_chain: SHA-256 (scheme 1) or HMAC-SHA-256 (schemes 2 to 4) over a length-prefixed
 * serialisation of an audit entry. Length prefixes (not separators) make the form unambiguous:
 * "ab"+"c" and "a"+"bc" hash differently, and a field may contain any byte. */
#include "domain/audit_chain.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define FIELD_MAX (64 * 1024)
#define KDF_CONTEXT "hvnaudit" /* crypto_kdf_CONTEXTBYTES (8) characters */
#define SUBKEY_CHAIN 1
#define SUBKEY_HEAD 2

/* Bumped if the serialisation ever changes, so old and new hashes can never collide. Scheme 2
 * has its own tag: a keyed link never equals an unkeyed one, whatever the key. */
static const char version_tag[] = "haven-audit-chain-1";
static const char version_tag_keyed[] = "haven-audit-chain-2-hmac";
static const char version_tag_keyed3[] = "haven-audit-chain-3-hmac";
static const char version_tag_keyed4[] = "haven-audit-chain-4-hmac";
static const char head_tag[] = "haven-audit-head-1";
static const char head_tag2[] = "haven-audit-head-2";

const char audit_chain_genesis[AUDIT_HASH_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Written once at start-up before threads start; only read afterwards. */
static struct audit_key process_key;
static bool process_key_set;

/* Where the serialisation goes: a plain hash or an HMAC. */
struct sink {
    bool keyed;
    crypto_hash_sha256_state sha;
    crypto_auth_hmacsha256_state mac;
};

static void sink_add(struct sink *k, const void *p, size_t n)
{
    if (k->keyed)
        crypto_auth_hmacsha256_update(&k->mac, p, n);
    else
        crypto_hash_sha256_update(&k->sha, p, n);
}

static void sink_final(struct sink *k, unsigned char digest[32])
{
    if (k->keyed)
        crypto_auth_hmacsha256_final(&k->mac, digest);
    else
        crypto_hash_sha256_final(&k->sha, digest);
    sodium_memzero(&k->mac, sizeof(k->mac));
}

static int add_field(struct sink *k, const char *v)
{
    unsigned char head[5];
    size_t n;

    if (!v) {
        head[0] = 0;
        sink_add(k, head, 1);
        return 0;
    }
    n = strlen(v);
    if (n > FIELD_MAX)
        return -1;
    head[0] = 1;
    head[1] = (unsigned char)(n >> 24);
    head[2] = (unsigned char)(n >> 16);
    head[3] = (unsigned char)(n >> 8);
    head[4] = (unsigned char)n;
    sink_add(k, head, sizeof(head));
    sink_add(k, v, n);
    return 0;
}

/* The listing (n_listed, then each id) into k; scheme 4 has it always, the others only when
 * there is one, so that entries written before listings existed hash as they always did. */
static int add_listing(struct sink *k, const struct audit_entry *e, bool always)
{
    char n[24];
    int bad = 0;

    if (!e->n_listed && !always)
        return 0;
    snprintf(n, sizeof(n), "%zu", e->n_listed);
    bad |= add_field(k, n);
    for (size_t i = 0; i < e->n_listed; i++)
        bad |= add_field(k, e->listed[i]);
    return bad;
}

/* The serialisation of e after tag (including its NUL) into k, then the digest as hex. */
static int digest_entry(struct sink *k, const char *tag, size_t tag_size,
                        const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1])
{
    unsigned char digest[32];
    char id[24], user_id[24], scheme[24];
    bool v4 = tag == version_tag_keyed4;
    int bad = 0;

    snprintf(id, sizeof(id), "%ld", e->id);
    snprintf(user_id, sizeof(user_id), "%ld", e->user_id);
    snprintf(scheme, sizeof(scheme), "%d", v4 ? AUDIT_SCHEME_HMAC4 : AUDIT_SCHEME_HMAC3);
    sink_add(k, tag, tag_size);
    /* Scheme 3 onwards: the scheme is part of what is hashed (schemes 1 and 2 predate it). */
    if (tag == version_tag_keyed3 || v4)
        bad |= add_field(k, scheme);
    bad |= add_field(k, id);
    bad |= add_field(k, e->at);
    bad |= add_field(k, e->user_id ? user_id : NULL);
    bad |= add_field(k, e->user_email);
    bad |= add_field(k, e->roles);
    bad |= add_field(k, e->action);
    bad |= add_field(k, e->record_type);
    bad |= add_field(k, e->record_id);
    bad |= add_field(k, e->outcome);
    bad |= add_field(k, e->client);
    bad |= add_field(k, e->prev_hash);
    bad |= add_listing(k, e, v4);
    sink_final(k, digest);
    if (bad)
        return -1;
    sodium_bin2hex(out, AUDIT_HASH_LEN + 1, digest, sizeof(digest));
    return 0;
}

/* Every listed id is there and not empty (an empty one would read as a missing record). */
static bool listing_complete(const struct audit_entry *e)
{
    if (e->n_listed > AUDIT_LISTED_MAX || (e->n_listed && !e->listed))
        return false;
    for (size_t i = 0; i < e->n_listed; i++)
        if (!e->listed[i] || !*e->listed[i])
            return false;
    return true;
}

static bool complete(const struct audit_entry *e)
{
    return e->at && e->user_email && e->roles && e->action && e->record_type && e->outcome &&
           e->client && e->prev_hash && listing_complete(e);
}

int audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1])
{
    struct sink k = {.keyed = false};

    out[0] = '\0';
    if (!complete(e))
        return -1;
    crypto_hash_sha256_init(&k.sha);
    return digest_entry(&k, version_tag, sizeof(version_tag), e, out);
}

int audit_chain_mac(const struct audit_entry *e, const struct audit_key *key,
                    char out[AUDIT_HASH_LEN + 1])
{
    struct sink k = {.keyed = true};

    out[0] = '\0';
    if (!key || !complete(e))
        return -1;
    crypto_auth_hmacsha256_init(&k.mac, key->chain, sizeof(key->chain));
    return digest_entry(&k, version_tag_keyed, sizeof(version_tag_keyed), e, out);
}

int audit_chain_mac3(const struct audit_entry *e, const struct audit_key *key,
                     char out[AUDIT_HASH_LEN + 1])
{
    struct sink k = {.keyed = true};

    out[0] = '\0';
    if (!key || !complete(e))
        return -1;
    crypto_auth_hmacsha256_init(&k.mac, key->chain, sizeof(key->chain));
    return digest_entry(&k, version_tag_keyed3, sizeof(version_tag_keyed3), e, out);
}

int audit_chain_mac4(const struct audit_entry *e, const struct audit_key *key,
                     char out[AUDIT_HASH_LEN + 1])
{
    struct sink k = {.keyed = true};

    out[0] = '\0';
    if (!key || !complete(e))
        return -1;
    crypto_auth_hmacsha256_init(&k.mac, key->chain, sizeof(key->chain));
    return digest_entry(&k, version_tag_keyed4, sizeof(version_tag_keyed4), e, out);
}

int audit_chain_entry_hash(const struct audit_entry *e, const struct audit_key *k,
                           char out[AUDIT_HASH_LEN + 1])
{
    switch (e->scheme) {
    case 0:
    case AUDIT_SCHEME_SHA256: return audit_chain_hash(e, out);
    case AUDIT_SCHEME_HMAC: return audit_chain_mac(e, k, out);
    case AUDIT_SCHEME_HMAC3: return audit_chain_mac3(e, k, out);
    case AUDIT_SCHEME_HMAC4: return audit_chain_mac4(e, k, out);
    default: out[0] = '\0'; return -1;
    }
}

/* The head MAC of either form: form 2 adds first_keyed_id (absent when 0). */
static int head_mac(const struct audit_key *key, int form, long last_id, const char *last_hash,
                    long first_keyed_id, char out[AUDIT_HASH_LEN + 1])
{
    struct sink k = {.keyed = true};
    unsigned char digest[32];
    char id[24], first[24];
    int bad = 0;

    out[0] = '\0';
    if (!key || !last_hash || first_keyed_id < 0)
        return -1;
    snprintf(id, sizeof(id), "%ld", last_id);
    snprintf(first, sizeof(first), "%ld", first_keyed_id);
    crypto_auth_hmacsha256_init(&k.mac, key->head, sizeof(key->head));
    if (form == AUDIT_HEAD_V2)
        sink_add(&k, head_tag2, sizeof(head_tag2));
    else
        sink_add(&k, head_tag, sizeof(head_tag));
    bad |= add_field(&k, id);
    bad |= add_field(&k, last_hash);
    if (form == AUDIT_HEAD_V2)
        bad |= add_field(&k, first_keyed_id ? first : NULL);
    sink_final(&k, digest);
    if (bad)
        return -1;
    sodium_bin2hex(out, AUDIT_HASH_LEN + 1, digest, sizeof(digest));
    return 0;
}

int audit_chain_head_mac(const struct audit_key *key, long last_id, const char *last_hash,
                         char out[AUDIT_HASH_LEN + 1])
{
    return head_mac(key, AUDIT_HEAD_V1, last_id, last_hash, 0, out);
}

int audit_chain_head_mac2(const struct audit_key *key, long last_id, const char *last_hash,
                          long first_keyed_id, char out[AUDIT_HASH_LEN + 1])
{
    return head_mac(key, AUDIT_HEAD_V2, last_id, last_hash, first_keyed_id, out);
}

bool audit_chain_hash_equal(const char *a, const char *b)
{
    return a && b && strlen(a) == AUDIT_HASH_LEN && strlen(b) == AUDIT_HASH_LEN &&
           sodium_memcmp(a, b, AUDIT_HASH_LEN) == 0;
}

int audit_chain_key_derive(const unsigned char master[AUDIT_KEY_BYTES], struct audit_key *out)
{
    if (crypto_kdf_derive_from_key(out->chain, sizeof(out->chain), SUBKEY_CHAIN, KDF_CONTEXT,
                                   master) != 0 ||
        crypto_kdf_derive_from_key(out->head, sizeof(out->head), SUBKEY_HEAD, KDF_CONTEXT,
                                   master) != 0) {
        sodium_memzero(out, sizeof(*out));
        return -1;
    }
    return 0;
}

void audit_chain_key_set(const struct audit_key *k)
{
    process_key = *k;
    process_key_set = true;
}

void audit_chain_key_forget(void)
{
    sodium_memzero(&process_key, sizeof(process_key));
    process_key_set = false;
}

const struct audit_key *audit_chain_key(void)
{
    return process_key_set ? &process_key : NULL;
}
