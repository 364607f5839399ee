/* web_audit: the audit trail's screens for auditors and admins (routes_audit.c lists them). */
#ifndef HAVEN_WEB_AUDIT_H
#define HAVEN_WEB_AUDIT_H

#include <stddef.h>

#include "http/req.h"
#include "store/store.h"

void web_audit(struct req *r);     /* GET /staff/audit: filter form and a page of entries */
void web_audit_csv(struct req *r); /* GET /staff/audit.csv: the same filters as CSV */
void api_audit(struct req *r);     /* GET /api/v1/audit: {"entries": [...], "total": N} */

/* Start-up, once, before threads start, after staff_secrets_init (which makes the key file on
 * a database's first start): loads the secret key file (HAVEN_SECRET_KEY_FILE, else db_path +
 * ".key"), derives the audit trail's key from it (audit_chain_key_set) so that new entries are
 * keyed, and seals the head anchor of a trail that was written without one. 0, or -1 (logged;
 * never the key) when the file is missing, unreadable or open to others, or the store failed.
 * A head anchor that does not match the trail is logged and left alone: that is not fatal. */
int web_audit_key_init(struct store *s, const char *db_path);
/* Only the loading part, for `haven audit verify` (which writes nothing): 0 loaded, 1 the file
 * does not exist (no key set), -1 (logged) any other problem. path gets the file's path. */
int web_audit_key_load(const char *db_path, char *path, size_t path_size);

#endif
