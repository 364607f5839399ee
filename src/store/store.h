/* store: the only door to the database. The interface is narrow and domain-shaped; the modules
 * behind it are written once against store/db.h, so that another engine is another driver
 * (store/sqlite/ today). One struct store is one connection: use it from one thread at a
 * time. */
#ifndef HAVEN_STORE_H
#define HAVEN_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct store; /* opaque */
struct audit_entry;
/* Each staff module's part of the interface is in its own header: store/staff.h (users, roles,
 * sessions, sign-in throttling), store/audit.h (the append-only, hash-chained audit trail),
 * store/admissions.h (referral queue, intake, patients, consent). */

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

/* Opens the database at path (creating it), with the pragmas of DESIGN.md §6. Logs and
 * returns E_DB on failure. */
enum err store_open(const char *path, struct store **out);
void store_close(struct store *s);
/* Applies pending migrations (each in its own transaction); *applied counts them. */
enum err store_migrate(struct store *s, int *applied);
/* Adds the call request (and its audit entry) in one transaction; fills r->public_id. E_INVALID
 * when the schema refuses a value. */
enum err store_referral_add(struct store *s, struct referral *r);
enum err store_referral_count(struct store *s, long *n);
/* The program's tracks with their weekly sessions, as a JSON array (new reference). */
enum err store_tracks_list(struct store *s, json_t **out);
/* Adds the demo tracks and schedule once (a track seeded now opens six weeks before today) and
 * fills in the clinic's details never set
 * (demo/clinic.sql), idempotent, in one transaction. */
enum err store_demo_seed(struct store *s);
/* A number that changes whenever any connection has committed a change to the database:
 * lets a worker keep a page built from the data until the data changes. */
enum err store_data_version(struct store *s, long long *out);

/* Operations (haven backup, haven check): the driver's (store/db.h) on this store's connection.
 * struct db_schema is in store/db.h. */
struct db_schema;
enum err store_schema_state(struct store *s, struct db_schema *out);
enum err store_check(struct store *s, char *problem, size_t size);
enum err store_backup(struct store *s, const char *path, char *problem, size_t size);

#endif
