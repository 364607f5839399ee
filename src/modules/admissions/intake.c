/* intake: "Start intake": the assessment's answers shown again (the person does not answer
 * twice) with the recommended level of care, which a clinician (or medical staff who also work
 * the queue) confirms or changes with a reason, and the intake's date and time (on the clinic's
 * clock; none given: now, the intake taking place as it is recorded). Saving it moves a
 * contacted referral to intake-scheduled, in the same write. */
#include "modules/admissions/admissions.h"

#include <string.h>
#include <time.h>

#include "domain/referral_flow.h"
#include "store/admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

static const char *const levels[] = {"emergency", "medically-managed", "residential", "php", "iop",
                                     "outpatient", "early-intervention", "none", NULL};

/* The intake page's model, with `level` selected. New reference. */
static json_t *intake_model(struct req *r, const char *id, const json_t *ref, const char *level)
{
    json_t *m = admissions_model(r, "Intake");
    const json_t *in = json_object_get(ref, "intake");
    enum referral_status st = REFERRAL_NEW;

    referral_flow_status_parse(admissions_string(ref, "status"), &st);
    json_object_set_new(m, "ref", admissions_summary(r, id, ref));
    json_object_set_new(m, "result", admissions_result_view(json_object_get(ref, "result")));
    json_object_set_new(m, "answers", admissions_answers_view(r, json_object_get(ref, "answers")));
    json_object_set_new(m, "levels", admissions_options(levels, level, true, NULL));
    json_object_set_new(m, "recommended",
                        json_string(admissions_level_title(admissions_string(ref, "level"))));
    /* Admissions staff see the intake; only those who may confirm a level get its form. */
    json_object_set_new(m, "can_confirm", json_boolean(auth_can(r, ADM_LEVEL_ROLES)));
    json_object_set_new(m, "open", json_boolean(st == REFERRAL_CONTACTED ||
                                                st == REFERRAL_INTAKE_SCHEDULED));
    json_object_set_new(m, "form", json_pack("{s:s, s:s}", "change_reason",
                                             in ? admissions_string(in, "change_reason") : "",
                                             "notes", in ? admissions_string(in, "notes") : ""));
    admissions_local_fields(json_object_get(m, "form"), admissions_string(ref, "intake_at"));
    if (*admissions_string(ref, "intake_at"))
        json_object_set_new(m, "intake_at",
                            json_string(view_time(r, admissions_string(ref, "intake_at"))));
    json_object_set_new(m, "done", json_boolean(in != NULL));
    return m;
}

enum err intake_page(struct req *r)
{
    const char *id = req_param(r, "id");
    const json_t *in;
    json_t *ref;
    enum err e;

    if ((e = admissions_referral_shown(r, id, &ref)) != E_OK)
        return e;
    in = json_object_get(ref, "intake");
    req_model(r, intake_model(r, id, ref,
                              in ? admissions_string(in, "confirmed_level")
                                 : admissions_string(ref, "level")));
    return E_OK;
}

enum err intake_post(struct req *r)
{
    const char *id = req_param(r, "id");
    enum referral_status from = REFERRAL_NEW, to;
    struct admissions_intake in;
    char now[32];
    struct form f;
    json_t *ref, *m;
    enum err e;

    if ((e = admissions_referral(r, id, "update", &ref)) != E_OK)
        return e;
    m = req_model(r, intake_model(r, id, ref, req_form(r, "confirmed_level")));
    form_init(&f, r, m);
    in.recommended_level = admissions_string(ref, "level");
    in.confirmed_level = form_choice(&f, "confirmed_level", levels, true,
                                     "Please choose the level of care.");
    in.change_reason = form_text(&f, "change_reason", REFERRAL_NOTE_MAX, false, true, NULL);
    in.notes = form_text(&f, "notes", 4000, false, true, NULL);
    in.intake_at = admissions_intake_at(&f, false);
    if (in.confirmed_level && strcmp(in.confirmed_level, in.recommended_level) && !in.change_reason)
        form_problem(&f, "change_reason",
                     "Please say why the level differs from the recommended one.");
    if (in.confirmed_level && !strcmp(in.confirmed_level, in.recommended_level))
        in.change_reason = NULL; /* confirmed as recommended: nothing to explain */
    referral_flow_status_parse(admissions_string(ref, "status"), &from);
    to = from == REFERRAL_CONTACTED ? REFERRAL_INTAKE_SCHEDULED : from;
    /* Scheduled by this save without a time given: the intake is the one being recorded. */
    if (!in.intake_at && to != from && !f.problems)
        in.intake_at = arena_strdup(r->arena, timefmt_utc(time(NULL), now, sizeof(now)));
    if (!f.problems && from != REFERRAL_INTAKE_SCHEDULED &&
        referral_flow_check(from, to, REFERRAL_VIA_INTAKE, NULL) != E_OK)
        form_problem(&f, "confirmed_level",
                     "An intake is only possible once the person has been contacted.");
    if (f.problems) {
        audit_record(r, "update", "referral", id, "invalid");
        return E_INVALID;
    }
    e = store_adm_intake_save(r->store, id, &in, referral_flow_status_name(from),
                              referral_flow_status_name(to), auth_user_id(r),
                              audit_entry(r, "update", "referral", id));
    if (e != E_OK)
        return admissions_failed(r, e, "update", "referral", id);
    return admissions_redirect(r, "/staff/referrals/", id, "/intake"); /* the saved intake */
}
