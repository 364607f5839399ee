/* plans_internal: what the plan store's files (plans.c: reads; plan_writes.c: writes) share and
 * nothing outside store/ includes: a plan's row as a write checks it, and the whole plan read
 * inside the caller's transaction. */
#ifndef HAVEN_PLANS_INTERNAL_H
#define HAVEN_PLANS_INTERNAL_H

#include <jansson.h>

#include "domain/plan.h"
#include "store/plans.h"

/* A plan's row as a write checks it. */
struct plans_row {
    long id, patient;
    int version;
    enum plan_status status;
};

/* The row of the plan public_id: E_NOTFOUND, E_DB. */
enum err store_plans_row(struct store *s, const char *public_id, struct plans_row *out);
/* The plan of row id as store_plan_get answers it (inside the caller's transaction, if any). */
enum err store_plans_load(struct store *s, long id, json_t **out);
/* The patient's draft or signed version, if any: its version number into *version (0: none). */
enum err store_plans_open_version(struct store *s, long patient, int *version);

#endif
