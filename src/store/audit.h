/* audit: the store's interface for the append-only, hash-chained audit trail and its head
 * anchor (migrations 0003 and 0009; the hash rule is domain/audit_chain.h). */
#ifndef HAVEN_STORE_AUDIT_H
#define HAVEN_STORE_AUDIT_H

#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/store.h"

#define AUDIT_REASON_MAX 200
#define AUDIT_COUNT_CAP 10000 /* the screen counts up to this many, then shows "10,000+" */

/* Which entries a query or count selects; NULL or empty strings select everything. */
struct audit_filter {
    const char *user_email;  /* exact, ignoring case */
    const char *record_type; /* exact */
    const char *record_id;   /* exact (a patient's or other record's public id): the entries
                              * about that record and the list entries that named it */
    const char *action;      /* exact */
    const char *from;        /* "YYYY-MM-DD": entries on or after that UTC day */
    const char *to;          /* "YYYY-MM-DD": entries on or before that UTC day */
    long max_id;             /* entries with id <= max_id (0 = any): a stable snapshot to page */
    long limit;              /* at most this many (0 = no limit); query only */
    long offset;             /* skip this many first; query only */
};

/* What the verify walk found: entries checked, and the first broken link (broken_id 0 when the
 * chain is intact). A problem with the head anchor names the first entry it concerns: for
 * "entries after N are missing" that is N + 1, an entry that is no longer there. Without the
 * key (audit_chain_key() NULL) the walk checks what it can: every link, the unkeyed entries'
 * hashes and where the anchor points; what needs the key is counted in unchecked and
 * anchor_unchecked, and a trail rewritten without the key would look intact: the caller must
 * not call it so (`haven audit verify` exits 3). */
struct audit_verify {
    long entries;
    long broken_id;
    char reason[AUDIT_REASON_MAX];
    long keyed;                             /* entries with a keyed scheme (HMAC) */
    long unchecked;                         /* keyed entries whose hash needs the missing key */
    bool anchor_unchecked;                  /* a sealed anchor whose MAC needs the missing key */
    long listed;                            /* ids the list entries walked name */
    bool anchor_sealed;                     /* the head anchor has a MAC, and it holds */
    bool had_key;          /* the database has had a key (secret_key_check, a keyed anchor, or
                            * a key loaded): its anchor must be sealed */
    bool needs_seal;       /* broken only because the anchor is unsealed (haven audit seal) */
    long first_keyed_id;   /* where keying began, as the anchor records it (0: not yet) */
    long head_id;                           /* the newest entry walked (0: none), and its */
    char head_hash[AUDIT_HASH_LEN + 1];     /* hash: note them elsewhere to detect a roll-back */
};

/* What store_audit_seal found. */
enum audit_seal {
    AUDIT_SEAL_ALREADY, /* the anchor was sealed under this key */
    AUDIT_SEAL_DONE,    /* an unkeyed trail's anchor is sealed now */
    AUDIT_SEAL_REFUSED, /* not sealed (logged): it does not match the trail, has another MAC,
                         * or the database is not new (store/audit.c, may_seal) */
};

/* Appends e (its id, at, prev_hash and hash are set here and ignored if given) in one
 * transaction (or inside the caller's, when one is open): reads the last entry's hash,
 * computes the new one, inserts it with its listing (e->listed: the ids a list entry names,
 * audit_listed; record_id must then be NULL) and moves the head anchor (sealed only if it was:
 * an unsealed one found by a process holding the key is logged and left unsealed). *id (may be
 * NULL) gets the new entry's id.
 * E_INVALID when a field is missing or out of bounds, E_DB otherwise (logged). */
enum err store_audit_append(struct store *s, const struct audit_entry *e);
enum err store_audit_append_id(struct store *s, const struct audit_entry *e, long *id);
/* Group commit from now on (on) or not (the default): an append made outside a transaction
 * waits in a queue, and one caller appends every queued entry in one transaction on its own
 * connection, the others returning once it has committed (store/audit_group.c). Call at
 * start-up, before threads start, and only in a process whose stores all open one database
 * (`haven serve`): a caller writes other threads' entries through its own store. */
void store_audit_group(bool on);

/* What group commit has done since the process started: batches written (each one transaction,
 * or its entries one by one when it failed) and the entries in them; and now: whether a batch
 * is being written and how many entries wait for the next. For tests and monitoring. */
struct audit_group_stats {
    long batches, entries;
    bool leading;
    long waiting;
};
void store_audit_group_stats(struct audit_group_stats *out);
/* Streams the entries f selects, newest first, through each (called once per entry, with its
 * listing; the entry's strings live until it returns; it returns 0 to go on, anything else to
 * stop). */
enum err store_audit_query(struct store *s, const struct audit_filter *f,
                           int (*each)(const struct audit_entry *e, void *ctx), void *ctx);
/* How many entries f selects (ignoring limit and offset), counting at most cap of them
 * (cap 0 = all): *n == cap means "cap or more". */
enum err store_audit_count(struct store *s, const struct audit_filter *f, long cap, long *n);
/* Walks every entry in id order with its listing, recomputing each hash (audit_chain_key()
 * for keyed ones) and checking each prev link, one row at a time, then that no listing is left
 * without its entry, then the last entry against the head anchor and its MAC. E_OK with
 * out->broken_id set (or 0); E_DB when the walk could not run. */
enum err store_audit_verify(struct store *s, struct audit_verify *out);
/* At start-up with audit_chain_key() set: seals the head anchor of a new database (an empty
 * trail, no staff account yet), so that it cannot be moved without the key from now on. Any
 * other unsealed anchor is left alone (logged): a process holding the key knows the database
 * has had one, and an unsealed anchor is exactly what a forger without the key leaves, whatever
 * the rows say (store/audit.c, may_seal). Never seals an anchor that does not name the newest
 * entry, nor re-seals one with another MAC: that would bless a damaged trail. adopt (`haven
 * audit seal`, an operator who has checked the trail) lifts the "new database" condition, not
 * the others. Appends never seal. E_INVALID when no key is set. */
enum err store_audit_seal(struct store *s, enum audit_seal *out);
/* The operator's explicit seal of an unsealed anchor (`haven audit seal`): adopt, above. */
enum err store_audit_adopt(struct store *s, enum audit_seal *out);

/* Whose name a record id carries, for the trail's readers (modules/audit decides who may see
 * which kind). */
enum audit_name_kind {
    AUDIT_NAME_NONE,     /* no person (audit, settings, an address), or no such record */
    AUDIT_NAME_REFERRAL, /* the person who asked to be called (referrals.name) */
    AUDIT_NAME_PATIENT,  /* a patient (a patient's id, or a consent's: its patient) */
    AUDIT_NAME_USER,     /* a staff member (a user's or session's id: users.name) */
};

#define AUDIT_NAME_MAX 210 /* bytes of a name and its NUL: first and last name, 100 each */

/* The name behind record id of record_type into name (size bytes, truncated; "" for none) and
 * its kind into *kind. A patient entry may name a referral (an admission that failed names the
 * referral it came from), a consent entry its patient. E_DB (logged). */
enum err store_audit_name(struct store *s, const char *record_type, const char *id,
                          enum audit_name_kind *kind, char *name, size_t size);

/* The trail's columns whose values the screen offers as choices. */
enum audit_column {
    AUDIT_COL_ACTION,
    AUDIT_COL_TYPE,
};

/* The distinct values the trail holds in column c, in order, at most max of them, through each
 * (0 to go on). A skip scan of the column's index: one probe per value, whatever the trail's
 * size. E_DB (logged). */
enum err store_audit_values(struct store *s, enum audit_column c, long max,
                            int (*each)(const char *value, void *ctx), void *ctx);

#endif
