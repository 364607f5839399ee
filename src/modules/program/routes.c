/* routes: the program module's addresses, spec program.md §4 one row each, with the spec's
 * roles: tracks for administrators; enrolments, sessions and attendance for administrators,
 * clinicians and admissions (not billing or auditors); weeks and alerts for those and medical
 * staff; billable days for administrators and billing. Writes check the X-CSRF-Token header
 * (R_CSRF on an R_JSON row, web/view.c). */
#include "modules/program/program.h"

#include "domain/roles.h"

#define TRACK_ROLES ROLE_ADMIN
#define WORK_ROLES (ROLE_ADMIN | ROLE_CLINICIAN | ROLE_ADMISSIONS)
#define READ_ROLES (WORK_ROLES | ROLE_MEDICAL)
#define BILLING_ROLES (ROLE_ADMIN | ROLE_BILLING)
#define SMALL_BODY 4096        /* an enrolment, a cancellation, an attendance record */
#define PATIENT_BODY 8192      /* a direct admission's demographics and contacts */
#define SESSION_BODY 16384     /* a one-off session naming up to 50 patients and 20 staff */
#define TRACK_BODY (48 * 1024) /* a track with its 42 slots */
#define WRITE (R_JSON | R_CSRF)

static const struct route rows[] = {
    {.method = "POST", .pattern = "/api/v1/patients", .handler = program_patient_add,
     .body = BODY_JSON, .body_limit = PATIENT_BODY, .roles = WORK_ROLES, .flags = WRITE,
     .record = "patient"},
    {.method = "POST", .pattern = "/api/v1/tracks", .handler = program_track_add,
     .body = BODY_JSON, .body_limit = TRACK_BODY, .roles = TRACK_ROLES, .flags = WRITE,
     .record = "track"},
    {.method = "GET", .pattern = "/api/v1/tracks", .handler = program_track_list,
     .roles = TRACK_ROLES, .flags = R_JSON, .record = "track"},
    {.method = "GET", .pattern = "/api/v1/tracks/:id", .handler = program_track_get,
     .roles = TRACK_ROLES, .flags = R_JSON, .record = "track"},
    {.method = "POST", .pattern = "/api/v1/patients/:id/enrolments", .handler = program_enrol,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = WORK_ROLES, .flags = WRITE,
     .record = "patient"},
    {.method = "PATCH", .pattern = "/api/v1/enrolments/:id", .handler = program_enrolment_end,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = WORK_ROLES, .flags = WRITE,
     .record = "enrolment"},
    {.method = "GET", .pattern = "/api/v1/sessions", .handler = program_sessions,
     .roles = WORK_ROLES, .flags = R_JSON, .record = "session"},
    {.method = "POST", .pattern = "/api/v1/sessions", .handler = program_session_add,
     .body = BODY_JSON, .body_limit = SESSION_BODY, .roles = WORK_ROLES, .flags = WRITE,
     .record = "session"},
    {.method = "POST", .pattern = "/api/v1/sessions/:id/cancel", .handler = program_session_cancel,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = WORK_ROLES, .flags = WRITE,
     .record = "session"},
    {.method = "PUT", .pattern = "/api/v1/sessions/:id/attendance/:patient_id",
     .handler = program_attendance, .body = BODY_JSON, .body_limit = SMALL_BODY,
     .roles = WORK_ROLES, .flags = WRITE, .record = "session"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/weeks/:week", .handler = program_week,
     .roles = READ_ROLES, .flags = R_JSON, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/billing/days", .handler = program_billing,
     .roles = BILLING_ROLES, .flags = R_JSON, .record = "billable-days"},
    {.method = "GET", .pattern = "/api/v1/alerts", .handler = program_alerts,
     .roles = READ_ROLES, .flags = R_JSON, .record = "alert"},
};

const struct route_table program_routes = {rows, sizeof(rows) / sizeof(rows[0])};
