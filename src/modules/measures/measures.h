/* measures: the measures module (issue 10, measurement-based care): a patient's Measures page
 * (what is due, one form per instrument, each trend as a server-built SVG chart with its table,
 * the patient's clinical alerts), the clinical alerts list and the follow-up that closes one,
 * and their JSON API (docs/api.md "Measures and clinical alerts"). Clinical content: for
 * clinicians and medical staff only. Files depend one way: page.c, api.c and alerts.c use
 * trend.c; routes.c lists them all. */
#ifndef HAVEN_MODULES_MEASURES_H
#define HAVEN_MODULES_MEASURES_H

#include <jansson.h>

#include "core/err.h"
#include "domain/measure.h"
#include "domain/roles.h"
#include "http/req.h"
#include "http/router.h"
#include "store/measures.h"

#define MEASURES_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL)

extern const struct route_table measures_routes;

/* page.c: the staff screens of a patient's measures. */
enum err measures_page(struct req *r); /* GET /staff/patients/:id/measures */
enum err measures_post(struct req *r); /* POST /staff/patients/:id/measures */

/* api.c */
enum err measures_api_list(struct req *r);  /* GET /api/v1/patients/:id/measures */
enum err measures_api_add(struct req *r);   /* POST /api/v1/patients/:id/measures */
enum err measures_api_due(struct req *r);   /* GET /api/v1/patients/:id/measures/due */
enum err measures_api_trend(struct req *r); /* GET .../measures/:instrument/trend */

/* alerts.c: the clinical alerts, screens and API. */
enum err measures_alerts_page(struct req *r);     /* GET /staff/clinical-alerts */
enum err measures_alert_page(struct req *r);      /* GET /staff/clinical-alerts/:id */
enum err measures_alert_follow_up(struct req *r); /* POST /staff/clinical-alerts/:id/follow-up */
enum err measures_alerts_api(struct req *r);      /* GET /api/v1/clinical-alerts */
enum err measures_alert_follow_up_api(struct req *r); /* POST /api/v1/clinical-alerts/:id/... */

/* trend.c: the figures both views show. */
/* The trend of instrument d from the store's rows of that instrument (oldest first): {instrument,
 * name, title, max, source, bands: [{lo, hi, band, label}], baseline: {taken_on, total} or
 * null, points: [{id, taken_on, total, band, band_label, change_from_baseline, change_text,
 * substance, reached: [..]}], thresholds: the published ones (PHQ-9) or null, reached: those
 * the latest point reaches}. Names of thresholds: "response", "remission",
 * "improved-5-points", "worsened-5-points". New reference. */
json_t *measures_trend(const struct measure_def *d, const json_t *rows);
/* The trend's chart (web/trend_svg.h) as an SVG string (arena). */
const char *measures_trend_svg(struct req *r, const struct measure_def *d, const json_t *trend);
/* The patient :id (*p) or the refusal: E_NOTFOUND (audited as a view of the patient with its
 * outcome) or E_DB. */
enum err measures_patient(struct req *r, const char *action, struct measures_patient *p);
/* Checks the answers of an entry: fills a[] (MEASURE_ITEMS_MAX) and *n from a JSON array.
 * NULL when they fit d; else the problem's message (static) with *field naming the field
 * ("answers" or "answers[i]"; arena). */
const char *measures_answers(struct req *r, const struct measure_def *d, const json_t *answers,
                             int *a, size_t *n, const char **field);
/* Adds raised_local and followed_up_local (the clinic's time) to each alert of the store's. */
void measures_alert_times(struct req *r, json_t *alerts);
/* Today in the clinic's zone, "YYYY-MM-DD" (out: 11 bytes). */
char *measures_today(char *out);

#endif
