/* tracks: the administrators' Tracks screens (issue 9, spec program.md §2): the list of tracks
 * with their census, a track's page (its pattern, its roster today, census against capacity)
 * and the form that creates or edits one, its weekly slots included (the curriculum). Every
 * figure comes from store/program.h, as the API's do. Files depend one way: form.c and page.c
 * use list.c's labels; routes.c lists the handlers. */
#ifndef HAVEN_MODULES_TRACKS_H
#define HAVEN_MODULES_TRACKS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "domain/caldate.h"
#include "http/req.h"
#include "http/router.h"

extern const struct route_table tracks_routes;

/* list.c */
enum err tracks_list(struct req *r); /* GET /staff/tracks */
/* The clinic's date today. */
caldate tracks_today(void);
/* "Monday" ... "Sunday" for 1-7; "Mon" ... "Sun" when short. */
const char *tracks_weekday(int weekday, bool short_name);
/* A weekly minimum as people read it: "540 min (9 h)", "none" for null (arena). */
const char *tracks_minutes_text(struct req *r, const json_t *minutes);
/* Adds to a track of the store (store_track_get) what the screens show beyond its fields:
 * level_text, population_text, minimum_text, when ([{days: "Mon, Wed, Fri", span:
 * "09:00-12:00"}]), full (census at or over capacity). */
void tracks_decorate(struct req *r, json_t *track);
/* The levels and populations as {value, label, selected} for a select (new references). */
json_t *tracks_level_options(const char *chosen);
json_t *tracks_population_options(const char *chosen);

/* page.c */
enum err tracks_page(struct req *r); /* GET /staff/tracks/:id */

/* form.c */
enum err tracks_new(struct req *r);    /* GET /staff/tracks/new */
enum err tracks_create(struct req *r); /* POST /staff/tracks */
enum err tracks_edit(struct req *r);   /* GET /staff/tracks/:id/edit */
enum err tracks_update(struct req *r); /* POST /staff/tracks/:id */

#endif
