/* store: the only door to the database. The interface is narrow and domain-shaped so that a
 * PostgreSQL backend is a second table of functions (struct store_ops). One struct store is
 * one connection: use it from one thread at a time. */
#ifndef HAVEN_STORE_H
#define HAVEN_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct store;
struct audit_entry;
/* Each staff module's part of the interface, in its own header (store_<module>.h). */
struct store_staff_ops;      /* store_staff.h: users, roles, sessions, sign-in throttling */
struct store_audit_ops;      /* store_audit.h: the append-only, hash-chained audit trail */
struct store_admissions_ops; /* store_admissions.h: referral queue, intake, patients, consent */

/* A call request from the public assessment: contact details, the answers, the computed result
 * and the spec version, stored together in one transaction. */
struct referral {
    const char *name;
    const char *phone;
    const char *email;     /* may be NULL */
    const char *best_time; /* morning | afternoon | evening | any */
    bool voicemail_ok;
    const char *answers;   /* JSON text */
    const char *result;    /* JSON text */
    const char *spec_version;
    const char *level;     /* recommendation level, for the queue */
    const char *flags;     /* JSON array text, for the queue */
    /* The audit entry of the creation (may be NULL): appended in the same transaction, with its
     * record_id set to the new public id, so the referral and its entry land together. */
    struct audit_entry *audit;
    char public_id[33];    /* out: random id for URLs */
};

struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    enum err (*migrate)(struct store *s, int *applied);
    enum err (*referral_add)(struct store *s, struct referral *r);
    enum err (*referral_count)(struct store *s, long *n);
    /* The program's tracks with their weekly sessions, as a JSON array (new reference). */
    enum err (*tracks_list)(struct store *s, json_t **out);
    /* Replaces the demo tracks and schedule (idempotent), in one transaction. */
    enum err (*demo_seed)(struct store *s);
    /* A number that changes whenever any connection has committed a change to the database:
     * lets a worker keep a page built from the data until the data changes. */
    enum err (*data_version)(struct store *s, long long *out);
    const struct store_staff_ops *staff;
    const struct store_audit_ops *audit;
    const struct store_admissions_ops *admissions;
};

struct store {
    const struct store_ops *ops;
};

/* Opens the database at path (creating it), with the pragmas of DESIGN.md §6. Logs and
 * returns E_DB on failure. */
enum err store_open(const char *path, struct store **out);
void store_close(struct store *s);
/* Applies pending migrations (each in its own transaction); *applied counts them. */
enum err store_migrate(struct store *s, int *applied);
enum err store_referral_add(struct store *s, struct referral *r);
enum err store_referral_count(struct store *s, long *n);
enum err store_tracks_list(struct store *s, json_t **out);
enum err store_demo_seed(struct store *s);
enum err store_data_version(struct store *s, long long *out);

#endif
