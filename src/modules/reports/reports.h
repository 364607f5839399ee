/* reports: the program's reports for administrators and billing (issue 9): the census per
 * track today (active, capacity, the week's admissions and discharges), the weekly hours of
 * every enrolled patient for a chosen ISO week (scheduled, attended, minimum, shortfalls) and
 * the billable days (H0015) of a date range with their CSV export. Names, dates and minutes
 * only: nothing clinical. Every figure comes from store/program.h, as the API's do. */
#ifndef HAVEN_MODULES_REPORTS_H
#define HAVEN_MODULES_REPORTS_H

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"
#include "web/form.h"

extern const struct route_table reports_routes;

enum err reports_census(struct req *r);  /* GET /staff/reports */
enum err reports_hours(struct req *r);   /* GET /staff/reports/hours */
enum err reports_billing(struct req *r); /* GET /staff/reports/billing */
enum err reports_outcomes(struct req *r);     /* GET /staff/reports/outcomes */
enum err reports_outcomes_api(struct req *r); /* GET /api/v1/reports/outcomes */

/* filters.c: what the three pages share. */
/* The page model: the staff frame, the report's title and its tab (census, hours, billing). */
json_t *reports_model(struct req *r, const char *title, const char *tab);
/* The track filter of query `track`: m.track_options [{value, label, selected}] (every track,
 * by code) after "All tracks"; *track_id the one chosen (NULL: all); a problem in f when the
 * query names no track. m.track_codes maps each track's id to its code. E_OK or E_DB. */
enum err reports_track_filter(struct form *f, const char **track_id);
/* The query's value of name kept in m.form (what the filter shows again), or NULL when blank. */
const char *reports_query(struct form *f, const char *name);

#endif
