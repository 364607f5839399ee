/* audit_internal: what the audit trail's store files share (audit.c: rows and the head anchor;
 * audit_group.c and audit_append.c: appending, audit_verify.c: verifying and sealing,
 * audit_query.c: the screen's reads). Nothing outside store/audit* includes it. */
#ifndef HAVEN_STORE_AUDIT_INTERNAL_H
#define HAVEN_STORE_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/audit.h"
#include "store/db.h"

/* An entry's columns in struct audit_entry's order (audit_row_read reads them), and the query
 * that reads them. */
#define AUDIT_FIELDS                                                                           \
    "id, at, user_id, user_email, roles, action, record_type, record_id, outcome, client,"     \
    " prev_hash, hash, scheme"
#define AUDIT_COLUMNS "SELECT " AUDIT_FIELDS " FROM audit_log"

/* A listing as read back: owned copies of the ids, which an entry's listed points into. */
struct listing {
    char **ids;
    size_t n, cap;
};

void audit_listing_add(struct listing *l, const char *id);
void audit_listing_clear(struct listing *l);
void audit_listing_free(struct listing *l);
/* Points e's listed at l's ids (valid while l is unchanged). */
void audit_listing_attach(const struct listing *l, struct audit_entry *e);
/* Entry id's listing into l (emptied first). E_DB. */
enum err audit_listing_read(struct store *s, long id, struct listing *l);
/* Writes e's listing (e->id set) inside the append's transaction. E_INVALID when the table
 * refuses an id (over 64 characters), E_DB. */
enum err audit_listing_insert(struct store *s, const struct audit_entry *e);
/* The entry of an AUDIT_COLUMNS row into e (strings borrowed from st, no listing). */
void audit_row_read(struct db_stmt *st, struct audit_entry *e);
/* One row's existence (a SELECT 1 ... of static storage): 1, 0, or -1 (logged). */
int audit_row_exists(struct store *s, const char *sql);

/* The head anchor's row (audit_head). */
struct head {
    bool present;
    long last_id;
    char last_hash[AUDIT_HASH_LEN + 1];
    bool sealed; /* mac is set (not yet checked) */
    char mac[AUDIT_HASH_LEN + 1];
    long first_keyed_id; /* 0: no keyed entry recorded */
    int mac_scheme;      /* enum audit_head_scheme */
};

/* The anchor into h (h->present false when the row is missing). E_DB. */
enum err audit_head_read(struct store *s, struct head *h);
/* Whether h's MAC holds under k (in the form its mac_scheme names). */
bool audit_head_holds(const struct head *h, const struct audit_key *k);
/* Whether h names (last_id, last_hash) as the newest entry. */
bool audit_head_matches(const struct head *h, long last_id, const char *last_hash);
/* Points the anchor at (id, hash) with first_keyed_id, sealed with k (form 2) when k is set. */
enum err audit_head_move(struct store *s, const struct audit_key *k, long id, const char *hash,
                         long first_keyed_id);
/* Appends e as store_audit_append_id does, in its own transaction or inside the open one
 * (audit_append.c); on failure inside an open one, the caller must roll it back. */
enum err audit_append_entry(struct store *s, const struct audit_entry *e, long *id);

/* The newest entry's id, hash, scheme and time (at may be NULL): 0, the genesis hash, 0 and ""
 * for an empty trail. */
enum err audit_last_read(struct store *s, long *id, char hash[AUDIT_HASH_LEN + 1], int *scheme,
                         char at[32]);

#endif
