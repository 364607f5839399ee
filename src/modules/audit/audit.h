/* audit: the audit module: the trail's screens for auditors and admins (routes.c lists them).
 * The trail itself is written by web/audit.c. */
#ifndef HAVEN_MODULES_AUDIT_H
#define HAVEN_MODULES_AUDIT_H

#include <stdbool.h>

#include <jansson.h>

#include "core/err.h"
#include "domain/audit_chain.h"
#include "http/req.h"
#include "http/router.h"
#include "store/audit.h"

enum err trail_page(struct req *r); /* GET /staff/audit: filter form and a page of entries */
enum err trail_csv(struct req *r);  /* GET /staff/audit.csv: the same filters as CSV */
enum err trail_api(struct req *r);  /* GET /api/v1/audit: {"entries": [...], "total": N} */

/* names.c: what one request shows beside the ids: the kinds of name its reader may see, the
 * names looked up so far (each once), and the record id the filter asks about. */
struct names {
    struct req *r;
    unsigned kinds;    /* 1 << enum audit_name_kind, per kind the reader may see */
    json_t *cache;     /* "type\nid" -> the name shown, or null */
    const char *match; /* the filter's record id (NULL: none), marked in listings */
};

/* Sets n up for r's reader; match may be NULL. names_free releases the cache. */
void names_init(struct names *n, struct req *r, const char *match);
void names_free(struct names *n);
/* The name shown beside id, a record of record_type, or NULL (none, or not for this reader).
 * The string lives as long as n. */
const char *names_of(struct names *n, const char *record_type, const char *id);
/* e as the API and the screen show it: its fields, record_name (null when none is shown),
 * listed ([{id, name (when shown), match (the filter's record)}]) and n_listed; for the screen
 * listed_text and listed_open, or listed_none for a list that showed nothing. New reference. */
json_t *names_entry(struct names *n, const struct audit_entry *e);

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table audit_routes;

#endif
