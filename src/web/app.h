/* app: process-wide, read-only state shared by every worker thread: parsed templates, static
 * file validators, and documents that are pure functions of the instrument tables. Built once
 * before the server starts; never changed afterwards, so no locks are needed. */
#ifndef HAVEN_APP_H
#define HAVEN_APP_H

#include <stddef.h>

#include "http/router.h"
#include "web/tmpl.h"

struct app {
    const struct route_table *const *routes; /* every module's table (the staff menu reads it) */
    struct tmpl_set *tmpl;
    char *questionnaire;     /* FHIR R4 Questionnaire, serialised JSON */
    size_t questionnaire_len;
    char *blank_form;        /* GET /assessment: a pure function of the tables, rendered once */
    size_t blank_form_len;
    char *blank_form_gz;     /* the same, gzip-compressed once (NULL if that failed) */
    size_t blank_form_gz_len;
    char asset_version[17];  /* hash of every static file: cache-busting query for URLs */
    unsigned char csrf_key[32];
    const char *clinic_name;
    /* "Ask us to call you" is a public write: at most HAVEN_CALL_LIMIT (default 20) an hour
     * from one address, so a flood cannot bury real requests in the queue. */
    struct ratelimit *call_limit;
};

/* Builds the app state; returns NULL (after logging why) if an embedded template fails to parse. */
struct app *app_new(const struct route_table *const *routes);
void app_free(struct app *a);

#endif
