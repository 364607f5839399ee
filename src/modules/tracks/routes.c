/* routes: the Tracks screens' addresses, for administrators only (spec program.md §4: tracks
 * are an administrator's, as on the API). The new-track form's address comes before the
 * track's own so that "new" is never taken for an id. */
#include "modules/tracks/tracks.h"

#include "domain/roles.h"

#define TRACK_FORM_LIMIT (32 * 1024) /* the track's fields and 42 slot rows of five fields */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/staff/tracks", .handler = tracks_list, .roles = ROLE_ADMIN,
     .view = "tracks/list", .record = "track", .nav = "Tracks"},
    {.method = "GET", .pattern = "/staff/tracks/new", .handler = tracks_new, .roles = ROLE_ADMIN,
     .view = "tracks/form", .record = "track"},
    {.method = "POST", .pattern = "/staff/tracks", .handler = tracks_create, .body = BODY_FORM,
     .body_limit = TRACK_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "tracks/form", .record = "track"},
    {.method = "GET", .pattern = "/staff/tracks/:id", .handler = tracks_page, .roles = ROLE_ADMIN,
     .view = "tracks/track", .record = "track"},
    {.method = "GET", .pattern = "/staff/tracks/:id/edit", .handler = tracks_edit,
     .roles = ROLE_ADMIN, .view = "tracks/form", .record = "track"},
    {.method = "POST", .pattern = "/staff/tracks/:id", .handler = tracks_update,
     .body = BODY_FORM, .body_limit = TRACK_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "tracks/form", .record = "track"},
};

const struct route_table tracks_routes = {rows, sizeof(rows) / sizeof(rows[0])};
