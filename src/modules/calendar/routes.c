/* routes: the calendar module's addresses, one row per action, with the spec's roles for
 * sessions and attendance (program.md §4: administrators, clinicians, admissions; not
 * billing, auditors or medical staff, who see Today on the home screen). Every form that
 * changes something is R_CSRF. */
#include "modules/calendar/calendar.h"

#define FORM_BODY 4096     /* a cancellation, a closure, a walk-in */
#define NEW_BODY 16384     /* a one-off session naming up to 50 patients and 20 staff */
#define ROSTER_BODY 32768  /* a roster of up to a few hundred rows of status and minutes */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/staff/calendar", .handler = calendar_page,
     .roles = CALENDAR_ROLES, .view = "calendar/calendar", .record = "session",
     .nav = "Calendar"},
    {.method = "GET", .pattern = "/staff/calendar/new", .handler = calendar_new_form,
     .roles = CALENDAR_ROLES, .view = "calendar/new", .record = "session"},
    {.method = "POST", .pattern = "/staff/calendar/new", .handler = calendar_new_post,
     .body = BODY_FORM, .body_limit = NEW_BODY, .roles = CALENDAR_ROLES, .flags = R_CSRF,
     .view = "calendar/new", .record = "session"},
    {.method = "GET", .pattern = "/staff/calendar/closure", .handler = calendar_closure_page,
     .roles = CALENDAR_ROLES, .view = "calendar/closure", .record = "session"},
    {.method = "POST", .pattern = "/staff/calendar/closure", .handler = calendar_closure_post,
     .body = BODY_FORM, .body_limit = FORM_BODY, .roles = CALENDAR_ROLES, .flags = R_CSRF,
     .view = "calendar/closure", .record = "session"},
    {.method = "GET", .pattern = "/staff/sessions/:id", .handler = calendar_session_page,
     .roles = CALENDAR_ROLES, .view = "calendar/session", .record = "session"},
    {.method = "POST", .pattern = "/staff/sessions/:id/attendance",
     .handler = calendar_attendance_post, .body = BODY_FORM, .body_limit = ROSTER_BODY,
     .roles = CALENDAR_ROLES, .flags = R_CSRF, .view = "calendar/session", .record = "session"},
    {.method = "POST", .pattern = "/staff/sessions/:id/walk-in", .handler = calendar_walk_in_post,
     .body = BODY_FORM, .body_limit = FORM_BODY, .roles = CALENDAR_ROLES, .flags = R_CSRF,
     .view = "calendar/session", .record = "session"},
    {.method = "GET", .pattern = "/staff/sessions/:id/cancel", .handler = calendar_cancel_page,
     .roles = CALENDAR_ROLES, .view = "calendar/cancel", .record = "session"},
    {.method = "POST", .pattern = "/staff/sessions/:id/cancel", .handler = calendar_cancel_post,
     .body = BODY_FORM, .body_limit = FORM_BODY, .roles = CALENDAR_ROLES, .flags = R_CSRF,
     .view = "calendar/cancel", .record = "session"},
};

const struct route_table calendar_routes = {rows, sizeof(rows) / sizeof(rows[0])};
