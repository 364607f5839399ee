/* screens: a patient's drug screens (issue 10), for clinicians and medical staff: the page
 * with the form to record a screen, the list of screens (newest first, the lab confirmation
 * changeable on each) and a per-substance history (the trend), and the same over the JSON API.
 * Results never change once recorded: a wrong entry is corrected by a new screen with a
 * comment. An unexpected positive raises a clinical alert in the same transaction
 * (store/drug_screens.h). Every read and write is audited. */
#ifndef HAVEN_MODULES_SCREENS_H
#define HAVEN_MODULES_SCREENS_H

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"
#include "store/drug_screens.h"

extern const struct route_table screens_routes;

enum err screens_page(struct req *r);     /* GET /staff/patients/:id/screens */
enum err screens_add(struct req *r);      /* POST /staff/patients/:id/screens */
enum err screens_lab(struct req *r);      /* POST /staff/screens/:id/lab */
enum err screens_api_list(struct req *r); /* GET /api/v1/patients/:id/drug-screens */
enum err screens_api_add(struct req *r);  /* POST /api/v1/patients/:id/drug-screens */
enum err screens_api_lab(struct req *r);  /* PUT /api/v1/drug-screens/:id/lab */

/* view.c: what the page and the API share. */
/* The stored name of a substance given as a panel code, or "other" with a name (typed
 * names matching a panel substance become its code): out (SCREEN_SUBSTANCE_MAX + 1 bytes);
 * false when there is no usable name. */
bool screens_substance(const char *code, const char *name, char *out);
/* The clinic's date today, "YYYY-MM-DD" into out (11 bytes). */
const char *screens_today(char out[11]);
/* The patient's screens worded for the page: m.screens (each with its results and labels),
 * m.trend (a row per substance, a cell per screen, oldest to newest of the last eight) and
 * m.lab_options. screens: store_drug_screens_of's list (borrowed). */
void screens_view(json_t *m, const json_t *screens);

#endif
