/* care: the administrator's screen for the clinic's care settings (issues 10 and 11): how often
 * treatment plans are reviewed, when notes fall due, the measurement schedule, and the patient
 * portal's settings (aftercare access, the craving level that alerts the counsellor, the
 * triggers a check-in lists). These are the clinic's choices, not clinical cut-offs: the
 * craving alert has no default (unset: no craving alert). All are saved together with one
 * audit entry, or none (422 with each field's problem). */
#include "modules/users/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "domain/checkin.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/view.h"

/* A whole-number setting: its key (also the form field), the range it may take, whether it may
 * be left empty (not set), the default the migrations gave it (shown when unset), and what it is
 * in the words of its problem ("<what> is a whole number from <min> to <max>."). */
static const struct number {
    const char *key;
    long min, max;
    bool optional;
    const char *fallback, *what;
} numbers[] = {
    {"plan_review_days", 7, 180, false, "30", "The days between plan reviews"},
    {"note_due_hours", 1, 168, false, "24", "The hours until a note is due"},
    {"measure_days_phq9", 0, 90, false, "14", "The days between PHQ-9s"},
    {"measure_days_gad7", 0, 90, false, "14", "The days between GAD-7s"},
    {"measure_days_pacs", 0, 90, false, "7", "The days between craving scales (PACS)"},
    {"measure_days_craving", 0, 90, false, "0", "The days between craving ratings"},
    {"portal_aftercare_days", 0, 365, false, "30", "The days of portal access after discharge"},
    {"portal_craving_alert", 0, 10, true, "", "The craving level that alerts"},
};
#define N_NUMBERS (sizeof(numbers) / sizeof(numbers[0]))
#define TRIGGERS_KEY "portal_triggers"
#define TRIGGERS_TEXT_MAX ((CHECKIN_TRIGGER_MAX + 2) * CHECKIN_TRIGGERS_MAX)

static json_t *care_model(struct req *r)
{
    return req_model(r, view_staff_model(r, "Care settings"));
}

enum err users_care_page(struct req *r)
{
    json_t *m = care_model(r), *form;
    char v[TRIGGERS_TEXT_MAX + 1];
    struct form f;

    form_init(&f, r, m);
    form = json_object_get(m, "form");
    for (size_t i = 0; i < N_NUMBERS; i++) {
        if (store_setting_get(r->store, numbers[i].key, v, sizeof(v)) != E_OK)
            snprintf(v, sizeof(v), "%s", numbers[i].fallback);
        json_object_set_new(form, numbers[i].key, json_string(v));
    }
    if (store_setting_get(r->store, TRIGGERS_KEY, v, sizeof(v)) != E_OK)
        snprintf(v, sizeof(v), "%s", CHECKIN_TRIGGERS_DEFAULT);
    json_object_set_new(form, TRIGGERS_KEY, json_string(v));
    if (req_query(r, "done"))
        json_object_set_new(m, "notice", json_string("The care settings are saved."));
    return E_OK;
}

/* The number typed in field i, canonical (no sign, no leading zeros), into out; NULL for an
 * optional field left empty; a problem recorded otherwise when it is not a whole number in its
 * range. */
static const char *number_of(struct form *f, size_t i, char out[16])
{
    const struct number *n = &numbers[i];
    char msg[160];
    const char *t;
    char *end;
    long v;

    snprintf(msg, sizeof(msg), "%s is a whole number from %ld to %ld.", n->what, n->min, n->max);
    if (!(t = form_text(f, n->key, 8, !n->optional, false, msg)))
        return NULL;
    v = strtol(t, &end, 10);
    if (*end || t[0] < '0' || t[0] > '9' || v < n->min || v > n->max) {
        form_problem(f, n->key, msg);
        return NULL;
    }
    snprintf(out, 16, "%ld", v);
    return out;
}

enum err users_care_save(struct req *r)
{
    json_t *m = care_model(r);
    const char *keys[N_NUMBERS + 1], *values[N_NUMBERS + 1], *t;
    char nums[N_NUMBERS][16], names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1];
    struct form f;

    form_init(&f, r, m);
    for (size_t i = 0; i < N_NUMBERS; i++) {
        keys[i] = numbers[i].key;
        values[i] = number_of(&f, i, nums[i]);
    }
    t = form_text(&f, TRIGGERS_KEY, TRIGGERS_TEXT_MAX, true, false,
                  "List at least one trigger, separated by commas.");
    /* The parser falls back to the default list when nothing is left: say so instead. */
    if (t && (strspn(t, " ,\t") == strlen(t) || checkin_triggers_parse(t, names) == 0))
        form_problem(&f, TRIGGERS_KEY, "List at least one trigger, separated by commas.");
    keys[N_NUMBERS] = TRIGGERS_KEY;
    values[N_NUMBERS] = t;
    if (f.problems) {
        audit_record(r, "update", "settings", "care", audit_outcome(E_INVALID));
        return E_INVALID;
    }
    if (store_settings_set_many(r->store, keys, values, N_NUMBERS + 1,
                                audit_entry(r, "update", "settings", "care")) != E_OK) {
        audit_record(r, "update", "settings", "care", audit_outcome(E_DB));
        r->model = NULL;
        r->message = "We could not save the settings. Nothing was changed. Please try again.";
        return E_DB;
    }
    log_info("care settings saved by user %ld", r->user->id);
    resp_redirect(r, 303, "/staff/settings/care?done=1");
    return E_OK;
}
