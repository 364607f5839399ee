/* enrolments: POST /api/v1/patients/:id/enrolments and PATCH /api/v1/enrolments/:id (spec
 * program.md §2, §4, R8, R9): a patient joins a track from a date; discharge or a move sets
 * the end. The store checks overlap, capacity and conflicts in the write's transaction. */
#include "modules/program/program.h"

#include "domain/roles.h"
#include "web/audit.h"
#include "web/auth.h"

enum err program_enrol(struct req *r)
{
    const char *patient = req_param(r, "id");
    struct program_enrolment en = {.end = CALDATE_OPEN};
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    en.track_id = body_text(&b, "track_id", 64, true, "Name the track (its id).");
    body_date(&b, "start", true, &en.start);
    body_date(&b, "end", false, &en.end);
    en.override_reason = body_text(&b, "override_reason", 300, false,
                                   "A reason to go past the capacity is 1 to 300 characters.");
    en.is_admin = auth_can(r, ROLE_ADMIN);
    if ((e = program_checked(&b, "create", "enrolment", patient)) != E_OK)
        return e;
    e = store_enrol(r->store, patient, &en, audit_entry(r, "create", "enrolment", NULL), &out,
                    &why);
    return program_written(r, e, out, &why, "create", "enrolment", patient, 201);
}

enum err program_enrolment_end(struct req *r)
{
    const char *id = req_param(r, "id"), *reason;
    struct program_why why = {{0}, {0}};
    caldate end = CALDATE_OPEN;
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    /* null reopens the enrolment; absent is a mistake. */
    if (!body_has(&b, "end"))
        body_problem(&b, "end", "Give the last day of the enrolment, such as 2026-03-27.");
    else
        body_date(&b, "end", false, &end);
    reason = body_text(&b, "reason", 300, false, "A reason is 1 to 300 characters.");
    if ((e = program_checked(&b, "update", "enrolment", id)) != E_OK)
        return e;
    e = store_enrolment_end(r->store, id, end, reason, audit_entry(r, "update", "enrolment", id),
                            &out, &why);
    return program_written(r, e, out, &why, "update", "enrolment", id, 0);
}
