/* audit: the audit trail's front door for handlers. Every read and every change of a referral,
 * patient, consent or user record, and every sign-in attempt, calls audit_record. */
#ifndef HAVEN_AUDIT_H
#define HAVEN_AUDIT_H

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

#endif
