/* today_clinical: the clinical record's part of the Today screen (issue 10), for clinicians
 * and medical staff: the open clinical alerts (PHQ-9 item 9, a risk in a note, an unexpected
 * positive screen, the portal's check-in), urgent and the member's own patients' first, each
 * until a clinician records its follow-up; the member's notes due and overdue (the clinic's
 * note_due_hours after the session); and the treatment plans due for review. The figures
 * come from the same store functions as the record's own screens and the API. */
#include "modules/calendar/calendar.h"

#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/roles.h"
#include "store/clinical_alerts.h"
#include "store/notes.h"
#include "store/plans.h"
#include "web/auth.h"

/* Open alerts shown at most; the rest are counted and the list of all is one link away. */
#define TODAY_CLINICAL_MAX 50

/* Appends to list the first rows of all (up to TODAY_CLINICAL_MAX) and each one's patient to
 * shown (for the list's audit entry; key names the patient's public id in a row); returns
 * how many were left out. */
static size_t take(json_t *list, json_t *all, const char *key, json_t *shown)
{
    size_t i, more = 0;
    json_t *a;

    json_array_foreach(all, i, a)
    {
        if (json_array_size(list) >= TODAY_CLINICAL_MAX) {
            more++;
            continue;
        }
        json_array_append(list, a);
        json_array_append_new(shown, json_pack("{s:O}", "public_id", json_object_get(a, key)));
    }
    return more;
}

/* The plans whose review is due within the week or overdue: the member's own patients', or
 * everyone's for a member who is nobody's counsellor (a medical director). */
static enum err reviews_due(struct req *r, json_t *m, json_t *shown)
{
    char today[11];
    json_t *all = NULL, *list = json_array();
    enum err e;
    size_t more;

    timefmt_today(time(NULL), today);
    e = store_plan_reviews_due(r->store, today, auth_user_id(r), &all);
    if (e == E_OK && !json_array_size(all)) {
        json_decref(all);
        all = NULL;
        e = store_plan_reviews_due(r->store, today, 0, &all);
    }
    if (e != E_OK) {
        json_decref(list);
        return E_DB;
    }
    more = take(list, all, "patient_id", shown);
    json_decref(all);
    json_object_set_new(m, "reviews", list);
    json_object_set_new(m, "reviews_none", json_boolean(!json_array_size(list)));
    if (more) /* a 0 would show: the template engine takes every number as true */
        json_object_set_new(m, "reviews_more", json_integer((json_int_t)more));
    return E_OK;
}

/* What a note due is waiting for, in the words of the Today screen. */
static const char *due_reason(const char *reason)
{
    static const struct {
        const char *code, *text;
    } words[] = {
        {"no-note", "no note yet"},
        {"unsigned", "note not signed"},
        {"sections-missing", "a member's section missing or unsigned"},
        {"awaiting-cosign", "awaiting the supervisor's co-signature"},
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (reason && !strcmp(words[i].code, reason))
            return words[i].text;
    return reason ? reason : "";
}

/* The member's notes due (sessions they staff or notes they wrote), overdue marked. */
static enum err notes_due(struct req *r, json_t *m, json_t *shown)
{
    char now[32];
    json_t *all = NULL, *list = json_array(), *n;
    size_t i, more = 0;

    if (store_notes_due(r->store, timefmt_utc(time(NULL), now, sizeof(now)), auth_user_id(r),
                        &all) != E_OK) {
        json_decref(list);
        return E_DB;
    }
    json_array_foreach(all, i, n)
    {
        const char *pid = json_string_value(json_object_get(n, "patient_id"));
        json_t *v;

        if (json_array_size(list) >= TODAY_CLINICAL_MAX) {
            more++;
            continue;
        }
        v = json_deep_copy(n);
        json_object_set_new(v, "reason_text", json_string(due_reason(json_string_value(
                                                  json_object_get(n, "reason")))));
        json_object_set_new(v, "group", json_boolean(pid == NULL));
        if (pid)
            json_array_append_new(shown, json_pack("{s:s}", "public_id", pid));
        json_array_append_new(list, v);
    }
    json_decref(all);
    json_object_set_new(m, "notes_due", list);
    json_object_set_new(m, "notes_due_none", json_boolean(!json_array_size(list)));
    if (more)
        json_object_set_new(m, "notes_due_more", json_integer((json_int_t)more));
    return E_OK;
}

/* The open clinical alerts, urgent first, as the Today screen lists them; shown gets each
 * patient listed (for the list's audit entry). */
static enum err clinical_alerts(struct req *r, json_t *m, json_t *shown)
{
    json_t *all = NULL, *list = json_array();
    size_t more;

    if (store_clinical_alerts_open(r->store, auth_user_id(r), &all) != E_OK) {
        json_decref(list);
        return E_DB;
    }
    more = take(list, all, "patient_id", shown);
    json_decref(all);
    json_object_set_new(m, "clinical_alerts", list);
    json_object_set_new(m, "clinical_alerts_none", json_boolean(!json_array_size(list)));
    if (more)
        json_object_set_new(m, "clinical_alerts_more", json_integer((json_int_t)more));
    return E_OK;
}

enum err calendar_today_clinical(struct req *r, json_t *today, json_t *shown)
{
    json_t *m;
    enum err e;

    if (!auth_can(r, ROLE_CLINICIAN | ROLE_MEDICAL))
        return E_OK;
    m = json_object();
    if ((e = clinical_alerts(r, m, shown)) != E_OK || (e = notes_due(r, m, shown)) != E_OK ||
        (e = reviews_due(r, m, shown)) != E_OK) {
        json_decref(m);
        return e;
    }
    json_object_set_new(today, "clinical", m);
    return E_OK;
}
