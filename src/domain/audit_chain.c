/* audit_chain: SHA-256 over a length-prefixed serialisation of an audit entry. Length prefixes
 * (not separators) make the form unambiguous: "ab"+"c" and "a"+"bc" hash differently, and a
 * field may contain any byte. */
#include "domain/audit_chain.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define FIELD_MAX (64 * 1024)

/* Bumped if the serialisation ever changes, so old and new hashes can never collide. */
static const char version_tag[] = "haven-audit-chain-1";

const char audit_chain_genesis[AUDIT_HASH_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static int add_field(crypto_hash_sha256_state *st, const char *v)
{
    unsigned char head[5];
    size_t n;

    if (!v) {
        head[0] = 0;
        crypto_hash_sha256_update(st, head, 1);
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
    crypto_hash_sha256_update(st, head, sizeof(head));
    crypto_hash_sha256_update(st, (const unsigned char *)v, n);
    return 0;
}

int audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char id[24], user_id[24];
    int bad = 0;

    out[0] = '\0';
    if (!e->at || !e->user_email || !e->roles || !e->action || !e->record_type || !e->outcome ||
        !e->client || !e->prev_hash)
        return -1;
    snprintf(id, sizeof(id), "%ld", e->id);
    snprintf(user_id, sizeof(user_id), "%ld", e->user_id);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)version_tag, sizeof(version_tag));
    bad |= add_field(&st, id);
    bad |= add_field(&st, e->at);
    bad |= add_field(&st, e->user_id ? user_id : NULL);
    bad |= add_field(&st, e->user_email);
    bad |= add_field(&st, e->roles);
    bad |= add_field(&st, e->action);
    bad |= add_field(&st, e->record_type);
    bad |= add_field(&st, e->record_id);
    bad |= add_field(&st, e->outcome);
    bad |= add_field(&st, e->client);
    bad |= add_field(&st, e->prev_hash);
    crypto_hash_sha256_final(&st, digest);
    if (bad)
        return -1;
    sodium_bin2hex(out, AUDIT_HASH_LEN + 1, digest, sizeof(digest));
    return 0;
}
