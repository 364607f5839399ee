/* audit: the audit trail's front door for handlers. Every read and every change of a referral,
 * patient, consent or user record, and every sign-in attempt, calls audit_record. */
#ifndef HAVEN_AUDIT_H
#define HAVEN_AUDIT_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "domain/audit_chain.h"
#include "http/req.h"

/* Appends one entry: now, r->user (or "anonymous"), its roles, action ("view", "create",
 * "update", "sign-in", "export", ...), record_type ("referral", "patient", "consent", "user",
 * "session", "audit"), record_id (public id, may be NULL), outcome ("ok", "denied", "invalid",
 * "error"), r->client. Returns 0, or -1 when the entry could not be written (logged; the caller
 * decides whether to refuse the action). */
int audit_record(struct req *r, const char *action, const char *record_type,
                 const char *record_id, const char *outcome);

/* Fills e with the entry audit_record would append (who, roles, client from r; the strings live
 * in r's arena or are the caller's), without appending it: for a store write that appends it
 * inside its own transaction, so that a change and its entry land together or not at all. */
void audit_entry_of(struct req *r, struct audit_entry *e, const char *action,
                    const char *record_type, const char *record_id, const char *outcome);

/* Records that the signed-in member was shown these records: one entry, action "list", naming
 * the items' "public_id"s in the order shown (its listing: store/audit.h); without ids when the
 * list is empty. 0, or -1 when it could not be written: then nothing may be shown. */
int audit_list(struct req *r, const char *record_type, const json_t *items);
/* The entry (arena) of a successful change, which a store write appends inside its own
 * transaction. */
const struct audit_entry *audit_entry(struct req *r, const char *action, const char *record_type,
                                      const char *record_id);
/* What a read says when its entry could not be written: no entry, no read. */
#define AUDIT_UNRECORDED                                                                           \
    "This could not be recorded in the audit trail, so it is not shown. Please try again in a "   \
    "minute."

/* The outcome an entry records for a handler's result: "ok", "invalid" or "error". */
const char *audit_outcome(enum err e);

struct store;

/* Start-up, once, before threads start, after secrets_init (which makes the key file on
 * a database's first start): loads the secret key file (HAVEN_SECRET_KEY_FILE, else db_path +
 * ".key"), derives the audit trail's key from it (audit_chain_key_set) so that new entries are
 * keyed, and seals the head anchor of a new database (store_audit_seal; any other unsealed
 * anchor is logged and waits for `haven audit seal`), and turns on group commit for the
 * appends (store_audit_group: the process serves this one database). 0, or -1 (logged;
 * never the key) when the file is missing, unreadable or open to others, or the store failed.
 * A head anchor that does not match the trail is logged and left alone: that is not fatal. */
int audit_key_init(struct store *s, const char *db_path);
/* Only the loading part, for `haven audit verify` (which writes nothing): 0 loaded, 1 the file
 * does not exist (no key set), -1 (logged) any other problem. path gets the file's path. */
int audit_key_load(const char *db_path, char *path, size_t path_size);

#endif
