/* store_audit: the store's interface for the append-only, hash-chained audit trail. */
#ifndef HAVEN_STORE_AUDIT_H
#define HAVEN_STORE_AUDIT_H

#include "domain/audit_chain.h"
#include "store/store.h"

#define AUDIT_REASON_MAX 160

/* Which entries a query or count selects; NULL or empty strings select everything. */
struct audit_filter {
    const char *user_email;  /* exact, ignoring case */
    const char *record_type; /* exact */
    const char *record_id;   /* exact (a patient's or other record's public id) */
    const char *action;      /* exact */
    const char *from;        /* "YYYY-MM-DD": entries on or after that UTC day */
    const char *to;          /* "YYYY-MM-DD": entries on or before that UTC day */
    long max_id;             /* entries with id <= max_id (0 = any): a stable snapshot to page */
    long limit;              /* at most this many (0 = no limit); query only */
    long offset;             /* skip this many first; query only */
};

/* What the verify walk found: entries checked, and the first broken link (broken_id 0 when the
 * chain is intact). */
struct audit_verify {
    long entries;
    long broken_id;
    char reason[AUDIT_REASON_MAX];
};

struct store_audit_ops {
    const char *name;
    /* Appends e (its id, at, prev_hash and hash are set here and ignored if given) in one
     * transaction (or inside the caller's, when one is open): reads the last entry's hash,
     * computes the new one, inserts. *id (may be NULL) gets the new entry's id. E_INVALID when a
     * field is missing or out of bounds, E_DB otherwise (logged). */
    enum err (*append)(struct store *s, const struct audit_entry *e, long *id);
    /* Streams the entries f selects, newest first, through each (called once per entry; the
     * entry's strings live until it returns; it returns 0 to go on, anything else to stop). */
    enum err (*query)(struct store *s, const struct audit_filter *f,
                      int (*each)(const struct audit_entry *e, void *ctx), void *ctx);
    /* How many entries f selects (ignoring limit and offset). */
    enum err (*count)(struct store *s, const struct audit_filter *f, long *n);
    /* Walks every entry in id order, recomputing each hash and checking each prev link, one
     * row at a time. E_OK with out->broken_id set (or 0); E_DB when the walk could not run. */
    enum err (*verify)(struct store *s, struct audit_verify *out);
};

static inline enum err store_audit_append(struct store *s, const struct audit_entry *e)
{
    return s->ops->audit->append(s, e, NULL);
}

static inline enum err store_audit_append_id(struct store *s, const struct audit_entry *e,
                                             long *id)
{
    return s->ops->audit->append(s, e, id);
}

static inline enum err store_audit_query(struct store *s, const struct audit_filter *f,
                                         int (*each)(const struct audit_entry *e, void *ctx),
                                         void *ctx)
{
    return s->ops->audit->query(s, f, each, ctx);
}

static inline enum err store_audit_count(struct store *s, const struct audit_filter *f, long *n)
{
    return s->ops->audit->count(s, f, n);
}

static inline enum err store_audit_verify(struct store *s, struct audit_verify *out)
{
    return s->ops->audit->verify(s, out);
}

#endif
