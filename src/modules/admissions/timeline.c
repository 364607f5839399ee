/* timeline: the history of a referral and of the patient it became, as rows to show
 * ({when, text, reason, by}): the referral page, the patient's chart and its printout tell it
 * alike, times in the clinic's zone. */
#include "modules/admissions/admissions.h"

#include <string.h>

#include "core/buf.h"
#include "web/view.h"
#include "domain/patient_flow.h"
#include "domain/referral_flow.h"
#include "modules/admissions/common.h"

/* A patient's status change: "Status: Active to Discharged on 2024-06-10 (Transferred)". */
static void patient_event_text(const json_t *ev, const char *from, const char *to,
                               const char *detail, struct buf *t)
{
    enum patient_status a = PATIENT_ACTIVE, b = PATIENT_ACTIVE;
    const char *date = json_string_value(json_object_get(ev, "date"));
    const char *why = patient_flow_discharge_reason_label(detail);

    if (patient_flow_status_parse(from, &a) != E_OK || patient_flow_status_parse(to, &b) != E_OK) {
        buf_adds(t, "Status changed");
        return;
    }
    buf_addf(t, "Status: %s to %s", patient_flow_status_label(a), patient_flow_status_label(b));
    if (date && *date)
        buf_addf(t, " on %s", date);
    if (why)
        buf_addf(t, " (%s)", why);
}

/* "Contact details changed: phone, e-mail" from the stored field codes. */
static void contact_event_text(const char *codes, struct buf *t)
{
    static const struct {
        const char *code, *label;
    } fields[] = {{"phone", "phone"},
                  {"email", "e-mail"},
                  {"address", "address"},
                  {"emergency_name", "emergency contact's name"},
                  {"emergency_phone", "emergency contact's phone"},
                  {"emergency_relationship", "emergency contact's relationship"}};
    size_t n = 0;

    buf_adds(t, "Contact details changed");
    for (size_t i = 0; codes && i < sizeof(fields) / sizeof(fields[0]); i++) {
        size_t len = strlen(fields[i].code);
        const char *at = strstr(codes, fields[i].code);
        /* a whole code of the comma-separated list ("phone" is not "emergency_phone") */
        while (at && ((at != codes && at[-1] != ',') || (at[len] && at[len] != ',')))
            at = strstr(at + 1, fields[i].code);
        if (at)
            buf_addf(t, "%s%s", n++ ? ", " : ": ", fields[i].label);
    }
}

/* "Consent to disclose to Dr. Lee revoked (verbally)": the recipient is the event's party, how
 * the patient revoked is its to-value (absent before migration 0013). */
static void consent_event_text(const json_t *ev, const char *kind, const char *how,
                               struct buf *t)
{
    const char *party = json_string_value(json_object_get(ev, "party"));
    const char *words = patient_flow_revoke_how_words(how);

    buf_adds(t, "Consent to disclose");
    if (party && *party)
        buf_addf(t, " to %s", party);
    if (!strcmp(kind, "consent-signed")) {
        buf_adds(t, " recorded");
        return;
    }
    buf_adds(t, " revoked");
    if (words)
        buf_addf(t, " (%s)", words);
}

static const char *event_text(struct req *r, const json_t *ev)
{
    const char *kind = json_string_value(json_object_get(ev, "kind"));
    const char *from = json_string_value(json_object_get(ev, "from"));
    const char *to = json_string_value(json_object_get(ev, "to"));
    const char *detail = json_string_value(json_object_get(ev, "detail"));
    enum referral_status a = REFERRAL_NEW, b = REFERRAL_NEW;
    struct buf t = BUF_INIT;
    const char *out;

    if (!strcmp(kind, "status")) {
        referral_flow_status_parse(from, &a);
        referral_flow_status_parse(to, &b);
        buf_addf(&t, "Status: %s to %s", referral_flow_status_label(a),
                 referral_flow_status_label(b));
        if (referral_flow_close_reason_label(detail))
            buf_addf(&t, " (%s)", referral_flow_close_reason_label(detail));
        else if (b == REFERRAL_INTAKE_SCHEDULED && referral_flow_parse_utc(detail) >= 0)
            buf_addf(&t, " (intake %s)", view_time(r, detail));
    } else if (!strcmp(kind, "call")) {
        const char *l = referral_flow_call_outcome_label(detail);
        buf_addf(&t, "Call logged: %s", l ? l : detail);
    } else if (!strcmp(kind, "assign")) {
        const char *who = json_string_value(json_object_get(ev, "party"));
        if (*detail)
            buf_addf(&t, "Assigned to %s", *who ? who : "a former staff member");
        else
            buf_adds(&t, "Unassigned");
    } else if (!strcmp(kind, "intake")) {
        buf_addf(&t, "Intake: level of care %s", admissions_level_title(detail));
    } else if (!strcmp(kind, "admit")) {
        /* the referral's side of the admission; the patient's side follows as "admitted" */
        buf_adds(&t, "Referral completed: admitted");
    } else if (!strcmp(kind, "admitted")) {
        buf_addf(&t, "Admitted as a patient: %s", admissions_level_title(detail));
    } else if (!strcmp(kind, "consent-signed") || !strcmp(kind, "consent-revoked")) {
        consent_event_text(ev, kind, to, &t);
    } else if (!strcmp(kind, "status-change")) {
        patient_event_text(ev, from, to, detail, &t);
    } else if (!strcmp(kind, "contact-updated")) {
        contact_event_text(detail, &t);
    } else if (!strcmp(kind, "counsellor-changed")) {
        buf_addf(&t, "Primary counsellor: %s to %s", from && *from ? from : "a former staff member",
                 to && *to ? to : "a former staff member");
    } else {
        buf_adds(&t, kind);
    }
    out = arena_strdup(r->arena, buf_cstr(&t));
    buf_free(&t);
    return out;
}

json_t *timeline_view(struct req *r, const json_t *events)
{
    json_t *out = json_array(), *ev;
    size_t i;

    json_array_foreach(events, i, ev) {
        const char *at = json_string_value(json_object_get(ev, "at"));
        json_array_append_new(out, json_pack("{s:s, s:s, s:O, s:O}", "when", view_time(r, at),
                                             "text", event_text(r, ev), "reason",
                                             json_object_get(ev, "reason"), "by",
                                             json_object_get(ev, "by")));
    }
    return out;
}
