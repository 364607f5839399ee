/* audit_chain: the audit trail's hash rule. Each entry's hash covers a canonical serialisation
 * of its fields and the previous entry's hash, so changing, removing or inserting an entry
 * breaks every link after it. The schemes, tagged per entry (audit_log.scheme):
 *   1  SHA-256 of the serialisation: the first release's entries; anyone can recompute it, so it
 *      shows accidents but not a forger who holds the database file.
 *   2  HMAC-SHA-256 of the same serialisation under a key derived from the secret key file:
 *      "a SHA-256 (libsodium) hash over its content and the previous entry's hash" (issue 3),
 *      keyed, so only a holder of the key file can compute a link. Written by the first keyed
 *      release only; still verified.
 *   3  HMAC-SHA-256 as 2, with its own tag and the entry's scheme as the first field: what every
 *      keyed append without listed records writes now.
 *   4  HMAC-SHA-256 as 3 with its own tag, followed by the entry's listing: how many records a
 *      list entry names and each of their ids, in the order shown (migration 0014). What a keyed
 *      `list` entry that names records is written as: one entry per list view, and the ids it
 *      names are covered by its link, so a listed id changed, removed or added breaks it.
 * Under schemes 1-3 an entry with a listing has it serialised the same way after the fields (an
 * unkeyed list entry of a process without the key; under 2 and 3 only a listing slipped in
 * later, which then breaks the link): entries written before 0014 have none and hash as they
 * always did.
 * The newest entry's (id, hash) is also kept apart from the table with a MAC (the head anchor),
 * so deleting the newest entries is detected too; since migration 0011 the MAC also covers the
 * id of the first keyed entry (first_keyed_id): no unkeyed entry may follow it. Pure apart from
 * the process's key below. */
#ifndef HAVEN_AUDIT_CHAIN_H
#define HAVEN_AUDIT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>

#define AUDIT_HASH_LEN 64 /* hex digits of a SHA-256 / HMAC-SHA-256 */
#define AUDIT_KEY_BYTES 32

enum audit_scheme {
    AUDIT_SCHEME_SHA256 = 1, /* unkeyed: entries written before the key was used */
    AUDIT_SCHEME_HMAC = 2,   /* keyed: HMAC-SHA-256 (the first keyed release; verified only) */
    AUDIT_SCHEME_HMAC3 = 3,  /* keyed: HMAC-SHA-256 covering the scheme too (appended now) */
    AUDIT_SCHEME_HMAC4 = 4,  /* keyed: as 3, and the listing always (list entries with ids) */
};

/* Whether a scheme is a keyed one. */
static inline int audit_scheme_keyed(int scheme)
{
    return scheme == AUDIT_SCHEME_HMAC || scheme == AUDIT_SCHEME_HMAC3 ||
           scheme == AUDIT_SCHEME_HMAC4;
}

/* Ids one list entry may name: a sanity bound far above any screen's (the queue shows a page of
 * 100, or more only while more crisis referrals are open). */
#define AUDIT_LISTED_MAX 100000

/* The head anchor's MAC forms (audit_head.mac_scheme). */
enum audit_head_scheme {
    AUDIT_HEAD_V1 = 1, /* (last_id, last_hash): written before migration 0011; verified only */
    AUDIT_HEAD_V2 = 2, /* (last_id, last_hash, first_keyed_id) */
};

/* One entry of the trail. Strings are borrowed (the caller owns them). */
struct audit_entry {
    long id;                 /* audit_log.id: 1, 2, 3 ... in append order */
    const char *at;          /* UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" */
    long user_id;            /* users.id; 0 = anonymous (no user) */
    const char *user_email;  /* the user's e-mail, or "anonymous" */
    const char *roles;       /* comma-separated role names ("" for none) */
    const char *action;      /* view, create, update, sign-in, export ... */
    const char *record_type; /* referral, patient, consent, user, session, audit */
    const char *record_id;   /* the record's public id; NULL = none */
    const char *outcome;     /* ok, denied, invalid, error */
    const char *client;      /* client address */
    const char *prev_hash;   /* the previous entry's hash; audit_chain_genesis for the first */
    const char *hash;        /* this entry's hash (ignored by audit_chain_hash) */
    int scheme;              /* enum audit_scheme; 0 when appending (the store chooses) */
    const char *const *listed; /* a list entry's records: their public ids, as shown (NULL */
    size_t n_listed;           /* when n_listed is 0); the entry's record_id is then NULL */
};

/* The keys the trail uses, both derived from the secret key file's key: one for the links, one
 * for the head anchor. */
struct audit_key {
    unsigned char chain[AUDIT_KEY_BYTES];
    unsigned char head[AUDIT_KEY_BYTES];
};

/* The prev_hash of the first entry: 64 zeros. */
extern const char audit_chain_genesis[AUDIT_HASH_LEN + 1];

/* Scheme 1: computes e's hash as 64 lower-case hex digits plus NUL into out. The serialisation
 * is a version tag, then each field in the order of struct audit_entry (id .. prev_hash), each
 * as one byte 0 (absent: NULL, or user_id 0) or 1 followed by a 4-byte big-endian length and
 * the bytes; numbers as decimal text; then, when n_listed > 0, the listing: n_listed as a field,
 * then each listed id as a field. Returns 0, or -1 when a required field is NULL or over
 * 64 KiB, a listed id is NULL or empty, or n_listed is over AUDIT_LISTED_MAX (out is then
 * empty). */
int audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1]);
/* Scheme 2: HMAC-SHA-256 under k->chain of the same serialisation with its own version tag
 * (so a scheme-1 hash never equals a scheme-2 one). Same form of result and failures. */
int audit_chain_mac(const struct audit_entry *e, const struct audit_key *k,
                    char out[AUDIT_HASH_LEN + 1]);
/* Scheme 3: HMAC-SHA-256 under k->chain of its own tag, the scheme ("3") as a field, then the
 * same fields. Same form of result and failures. */
int audit_chain_mac3(const struct audit_entry *e, const struct audit_key *k,
                     char out[AUDIT_HASH_LEN + 1]);
/* Scheme 4: HMAC-SHA-256 under k->chain of its own tag, the scheme ("4") as a field, the same
 * fields, then the listing, always (n_listed 0 is serialised as the field "0"). Same form of
 * result and failures. */
int audit_chain_mac4(const struct audit_entry *e, const struct audit_key *k,
                     char out[AUDIT_HASH_LEN + 1]);
/* The hash e->scheme calls for (0 is read as 1); -1 when the scheme is unknown, or keyed and k
 * is NULL. */
int audit_chain_entry_hash(const struct audit_entry *e, const struct audit_key *k,
                           char out[AUDIT_HASH_LEN + 1]);
/* The head anchor's MAC: HMAC-SHA-256 under k->head of (last_id, last_hash), 64 hex digits.
 * last_id 0 with the genesis hash anchors an empty trail. 0, or -1 (last_hash NULL). */
int audit_chain_head_mac(const struct audit_key *k, long last_id, const char *last_hash,
                         char out[AUDIT_HASH_LEN + 1]);
/* The head anchor's MAC, form 2: under k->head, its own tag, then (last_id, last_hash,
 * first_keyed_id); first_keyed_id 0 (no keyed entry yet) is serialised as absent. */
int audit_chain_head_mac2(const struct audit_key *k, long last_id, const char *last_hash,
                          long first_keyed_id, char out[AUDIT_HASH_LEN + 1]);
/* Constant-time equality of two 64-hex-digit texts (false when either is not 64 long). */
bool audit_chain_hash_equal(const char *a, const char *b);

/* Derives the trail's keys from the secret key file's 32-byte key (libsodium
 * crypto_kdf_derive_from_key, context "hvnaudit", subkeys 1 and 2). 0, or -1. */
int audit_chain_key_derive(const unsigned char master[AUDIT_KEY_BYTES], struct audit_key *out);

/* The process's key: set once at start-up, before threads start, and only read afterwards
 * (audit_key_init does it for `haven serve` and `haven user`; `haven audit verify` too).
 * audit_chain_key() is NULL until then: the store then appends scheme-1 entries. The key is
 * never logged. */
void audit_chain_key_set(const struct audit_key *k);
void audit_chain_key_forget(void);
const struct audit_key *audit_chain_key(void);

#endif
