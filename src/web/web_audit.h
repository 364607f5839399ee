/* web_audit: the audit trail's screens for auditors and admins (routes_audit.c lists them). */
#ifndef HAVEN_WEB_AUDIT_H
#define HAVEN_WEB_AUDIT_H

#include "http/req.h"

void web_audit(struct req *r);     /* GET /staff/audit: filter form and a page of entries */
void web_audit_csv(struct req *r); /* GET /staff/audit.csv: the same filters as CSV */
void api_audit(struct req *r);     /* GET /api/v1/audit: {"entries": [...], "total": N} */

#endif
