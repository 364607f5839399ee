/* alerts: the clinical alerts (PHQ-9 item 9, a risk concern in a note, an unexpected positive
 * screen), open until a clinician records the follow-up. The list (urgent first, then the
 * signed-in member's own patients, then the oldest), one alert with its follow-up form, and
 * the same over the JSON API. Lists are audited as lists of the patients they name; one alert
 * as a view of its patient; the follow-up as an "update" of the alert, in its transaction. */
#include "modules/measures/measures.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "http/resp.h"
#include "modules/program/program.h"
#include "store/clinical_alerts.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

#define FOLLOW_UP_MISSING "Write what was done: who spoke with the patient, and the plan."

/* The patients an alert list names, each once, as audit_list wants them ([{public_id}]). */
static int audit_alerts(struct req *r, const json_t *alerts)
{
    json_t *patients = json_array(), *seen = json_object();
    const json_t *a;
    size_t i;
    int rc;

    json_array_foreach(alerts, i, a)
    {
        const char *pid = json_string_value(json_object_get(a, "patient_id"));
        if (json_object_get(seen, pid))
            continue;
        json_object_set_new(seen, pid, json_true());
        json_array_append_new(patients, json_pack("{s:s}", "public_id", pid));
    }
    rc = audit_list(r, "patient", patients);
    json_decref(patients);
    json_decref(seen);
    return rc;
}

/* A list read from the store (its answer e) audited as a list of its patients: E_OK, or E_DB
 * (alerts released) when the store failed or the entry could not be written. */
static enum err listed(struct req *r, enum err e, json_t *alerts)
{
    if (e != E_OK) {
        audit_record(r, "list", "patient", NULL, audit_outcome(e));
        return E_DB;
    }
    if (audit_alerts(r, alerts) < 0) {
        json_decref(alerts);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err measures_alerts_page(struct req *r)
{
    json_t *alerts, *m;
    enum err e;

    e = store_clinical_alerts_open(r->store, auth_user_id(r), &alerts);
    if ((e = listed(r, e, alerts)) != E_OK)
        return e;
    measures_alert_times(r, alerts);
    m = req_model(r, view_staff_model(r, "Clinical alerts"));
    json_object_set_new(m, "has_alerts", json_boolean(json_array_size(alerts) > 0));
    json_object_set_new(m, "alerts", alerts);
    json_object_set_new(m, "done", json_boolean(req_query(r, "done") != NULL));
    return E_OK;
}

/* The alert :id as one screen's model (*m, the request's), audited as a view of its patient
 * (the refusal as a view of the alert). */
static enum err alert_model(struct req *r, const char *action, json_t **m)
{
    const char *id = req_param(r, "id"), *from;
    json_t *a = NULL, *one;
    enum err e;

    *m = NULL;
    if ((e = store_clinical_alert_get(r->store, id, &a)) != E_OK) {
        audit_record(r, action, "clinical-alert", id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such clinical alert." : NULL;
        return e == E_NOTFOUND ? e : E_DB;
    }
    one = json_pack("[O]", a);
    measures_alert_times(r, one);
    json_decref(one);
    *m = req_model(r, view_staff_model(r, "Clinical alert"));
    json_object_set_new(*m, "alert", a);
    from = req_query(r, "from") ? req_query(r, "from") : req_form(r, "from");
    json_object_set_new(*m, "from_patient", json_boolean(from && !strcmp(from, "patient")));
    return E_OK;
}

enum err measures_alert_page(struct req *r)
{
    json_t *m;
    enum err e;

    if ((e = alert_model(r, "view", &m)) != E_OK)
        return e;
    json_object_set_new(m, "form", json_object());
    json_object_set_new(m, "err", json_object());
    if (audit_record(r, "view", "patient",
                     json_string_value(json_object_get(json_object_get(m, "alert"), "patient_id")),
                     "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* The 303 after a follow-up: the patient's Measures page when the form came from there. */
static void done(struct req *r, const json_t *alert)
{
    char url[160];
    const char *from = req_form(r, "from");

    if (from && !strcmp(from, "patient"))
        snprintf(url, sizeof(url), "/staff/patients/%s/measures#alerts",
                 json_string_value(json_object_get(alert, "patient_id")));
    else
        snprintf(url, sizeof(url), "/staff/clinical-alerts?done=1");
    resp_redirect(r, 303, url);
}

enum err measures_alert_follow_up(struct req *r)
{
    const char *id = req_param(r, "id"), *text;
    json_t *m;
    struct form f;
    enum err e;

    if ((e = alert_model(r, "update", &m)) != E_OK)
        return e;
    form_init(&f, r, m);
    text = form_text(&f, "follow_up", CLINICAL_ALERT_FOLLOW_UP_MAX, true, true,
                     FOLLOW_UP_MISSING);
    if (f.problems) {
        audit_record(r, "update", "clinical-alert", id, "invalid");
        return E_INVALID;
    }
    e = store_clinical_alert_follow_up(r->store, id, auth_user_id(r), text,
                                       audit_entry(r, "update", "clinical-alert", id));
    if (e != E_OK) {
        audit_record(r, "update", "clinical-alert", id, audit_outcome(e));
        r->model = NULL;
        if (e == E_CONFLICT)
            r->message = "This alert was followed up already: the follow-up recorded first "
                         "stands. Go back to the list to see it.";
        return e == E_CONFLICT || e == E_NOTFOUND ? e : E_DB;
    }
    done(r, json_object_get(m, "alert"));
    r->model = NULL;
    return E_OK;
}

enum err measures_alerts_api(struct req *r)
{
    const char *pid = req_query(r, "patient");
    struct measures_patient p;
    json_t *alerts;
    enum err e;

    if (pid) {
        if ((e = store_measures_patient(r->store, pid, &p)) != E_OK) {
            audit_record(r, "list", "patient", pid, audit_outcome(e));
            if (e == E_NOTFOUND)
                return program_invalid(r, "patient", "There is no such patient.");
            return E_DB;
        }
        e = store_clinical_alerts_of(r->store, p.id, true, &alerts);
    } else {
        e = store_clinical_alerts_open(r->store, auth_user_id(r), &alerts);
    }
    if ((e = listed(r, e, alerts)) != E_OK)
        return e;
    req_model(r, alerts);
    return E_OK;
}

/* The follow-up's text: 1-2000 bytes of readable text (lines allowed), or NULL (a problem). */
static const char *follow_up_text(struct body *b)
{
    const char *s = json_string_value(json_object_get(b->root, "follow_up"));
    size_t n = s ? strlen(s) : 0;
    bool blank = true, control = false;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        control |= (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
        blank &= c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
    if (!s || blank || control || n > CLINICAL_ALERT_FOLLOW_UP_MAX || !utf8_valid(s, n) ||
        utf8_has_format(s)) {
        body_problem(b, "follow_up", FOLLOW_UP_MISSING " (at most 2000 characters)");
        return NULL;
    }
    return s;
}

enum err measures_alert_follow_up_api(struct req *r)
{
    const char *id = req_param(r, "id"), *text;
    json_t *a = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "update", "clinical-alert", id, "invalid");
        return e;
    }
    text = follow_up_text(&b);
    if ((e = program_checked(&b, "update", "clinical-alert", id)) != E_OK)
        return e;
    e = store_clinical_alert_follow_up(r->store, id, auth_user_id(r), text,
                                       audit_entry(r, "update", "clinical-alert", id));
    if (e == E_CONFLICT)
        r->message = "This alert was followed up already.";
    if (e == E_NOTFOUND)
        r->message = "There is no such clinical alert.";
    if (e != E_OK)
        return program_refused(r, e, NULL, "update", "clinical-alert", id);
    if (store_clinical_alert_get(r->store, id, &a) != E_OK)
        return E_DB;
    req_model(r, a);
    return E_OK;
}
