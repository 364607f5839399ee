/* audit_chain: the audit trail's hash rule. Each entry's hash is SHA-256 over a canonical
 * serialisation of its fields and the previous entry's hash, so changing, removing or inserting
 * an entry breaks every link after it. Pure: no I/O. */
#ifndef HAVEN_AUDIT_CHAIN_H
#define HAVEN_AUDIT_CHAIN_H

#include <stddef.h>

#define AUDIT_HASH_LEN 64 /* hex digits of a SHA-256 */

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
};

/* The prev_hash of the first entry: 64 zeros. */
extern const char audit_chain_genesis[AUDIT_HASH_LEN + 1];

/* Computes e's hash as 64 lower-case hex digits plus NUL into out. The serialisation is a
 * version tag, then each field in the order of struct audit_entry (id .. prev_hash), each as one
 * byte 0 (absent: NULL, or user_id 0) or 1 followed by a 4-byte big-endian length and the
 * bytes; numbers as decimal text. Returns 0, or -1 when a required field is NULL or over
 * 64 KiB (out is then empty). */
int audit_chain_hash(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1]);

#endif
