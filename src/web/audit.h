/* audit: the audit trail's front door for handlers. Every read and every change of a referral,
 * patient, consent or user record, and every sign-in attempt, calls audit_record. */
#ifndef HAVEN_AUDIT_H
#define HAVEN_AUDIT_H

#include "http/req.h"

/* Appends one entry: now, r->user (or "anonymous"), its roles, action ("view", "create",
 * "update", "sign-in", "export", ...), record_type ("referral", "patient", "consent", "user",
 * "session", "audit"), record_id (public id, may be NULL), outcome ("ok", "denied", "invalid",
 * "error"), r->client. Returns 0, or -1 when the entry could not be written (logged; the caller
 * decides whether to refuse the action). */
int audit_record(struct req *r, const char *action, const char *record_type,
                 const char *record_id, const char *outcome);

#endif
