/* audit: the audit module: the trail's screens for auditors and admins (routes.c lists them).
 * The trail itself is written by web/audit.c. */
#ifndef HAVEN_MODULES_AUDIT_H
#define HAVEN_MODULES_AUDIT_H

#include "http/router.h"
#include "core/err.h"
#include "http/req.h"

enum err trail_page(struct req *r); /* GET /staff/audit: filter form and a page of entries */
enum err trail_csv(struct req *r);  /* GET /staff/audit.csv: the same filters as CSV */
enum err trail_api(struct req *r);  /* GET /api/v1/audit: {"entries": [...], "total": N} */

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table audit_routes;

#endif
