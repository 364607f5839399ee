/* checkin: the daily check-in (/me/check-in): one short form (craving 0-10, mood, sleep, the
 * triggers met today from the clinic's list, any use since the last check-in, confidence 0-10,
 * a note), checked by domain/checkin.h, kept with its audit entry and, in the same
 * transaction, the alerts it raises for the counsellor: use reported, or a craving at or above
 * the level the clinic chose (portal_craving_alert; unset: none). The answer is a kind
 * confirmation (/me/check-in/done); after use or a craving at that level it also shows the
 * help at hand: the crisis lines, the counsellor's name and the clinic's number. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>

#include "domain/checkin.h"
#include "http/resp.h"
#include "store/clinic.h"
#include "store/portal.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

#define CRAVING_SETTING "portal_craving_alert"

/* The clinic's trigger list, and how many. */
static size_t triggers_of(struct req *r, char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1])
{
    char v[CHECKIN_TRIGGERS_MAX * (CHECKIN_TRIGGER_MAX + 2) + 1];

    if (store_setting_get(r->store, "portal_triggers", v, sizeof(v)) != E_OK)
        v[0] = '\0';
    return checkin_triggers_parse(v, names);
}

/* [{value, label, id, checked}] of a list of words, the chosen one checked. */
static json_t *word_options(const char *field, enum checkin_list list, const char *chosen)
{
    json_t *out = json_array();
    size_t n;
    const struct checkin_word *w = checkin_words(list, &n);
    char id[48];

    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "%s-%s", field, w[i].code);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "value", w[i].code, "label",
                                             w[i].label, "id", id, "checked",
                                             chosen && !strcmp(chosen, w[i].code)));
    }
    return out;
}

/* The 0-10 scale's options, the chosen one checked; the ends say what they mean. */
static json_t *scale_options(const char *field, const char *chosen, const char *low,
                             const char *high)
{
    json_t *out = json_array();
    char v[4], id[32];

    for (int i = 0; i <= CHECKIN_SCALE_MAX; i++) {
        snprintf(v, sizeof(v), "%d", i);
        snprintf(id, sizeof(id), "%s-%d", field, i);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "value", v, "id", id, "label",
                                             i == 0                   ? low
                                             : i == CHECKIN_SCALE_MAX ? high
                                                                      : v,
                                             "checked", chosen && !strcmp(chosen, v)));
    }
    return out;
}

/* Whether the form ticked the trigger name. */
static bool ticked(const struct req *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (!strcmp(r->fields[i].name, "trigger") && !strcmp(r->fields[i].value, name))
            return true;
    return false;
}

/* The form's page model, filled from what was posted (nothing on a first view). */
static json_t *form_model(struct req *r, bool posted)
{
    char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1], id[32];
    size_t n = triggers_of(r, names);
    json_t *m = portal_model(r, "Daily check-in"), *t = json_array();
    const char *v = posted ? NULL : "";

    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "trigger-%zu", i);
        json_array_append_new(t, json_pack("{s:s, s:s, s:b}", "name", names[i], "id", id, "checked",
                                           posted && ticked(r, names[i])));
    }
    json_object_set_new(m, "triggers", t);
    json_object_set_new(
        m, "options",
        json_pack("{s:o, s:o, s:o, s:o, s:o}", "craving",
                  scale_options("craving", v ? v : req_form(r, "craving"), "None", "Strongest"),
                  "mood", word_options("mood", CHECKIN_MOOD, v ? v : req_form(r, "mood")), "sleep",
                  word_options("sleep", CHECKIN_SLEEP, v ? v : req_form(r, "sleep")), "used",
                  word_options("used", CHECKIN_USE, v ? v : req_form(r, "used")), "confidence",
                  scale_options("confidence", v ? v : req_form(r, "confidence"), "Not at all",
                                "Completely")));
    return m;
}

enum err portal_checkin_form(struct req *r)
{
    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, form_model(r, false));
    return E_OK;
}

/* The answers of the posted form into c (triggers: a new array for the caller); problems in f. */
static void check(struct req *r, struct form *f, struct portal_checkin *c, json_t *triggers)
{
    char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1];
    size_t n = triggers_of(r, names), known = 0, given = 0;
    const char *why;

    if (!checkin_scale_parse(req_form(r, "craving"), &c->craving))
        form_problem(f, "craving", "Choose how strong your craving is, from 0 to 10.");
    if (!checkin_label(CHECKIN_MOOD, c->mood = req_form(r, "mood")))
        form_problem(f, "mood", "Choose the word closest to your mood.");
    if (!checkin_label(CHECKIN_SLEEP, c->sleep = req_form(r, "sleep")))
        form_problem(f, "sleep", "Choose how you slept.");
    for (size_t i = 0; i < n; i++)
        if (ticked(r, names[i])) {
            json_array_append_new(triggers, json_string(names[i]));
            known++;
        }
    for (size_t i = 0; i < r->n_fields; i++)
        given += !strcmp(r->fields[i].name, "trigger");
    if (given != known)
        form_problem(f, "triggers", "The list of triggers changed. Please tick them again.");
    if (!checkin_label(CHECKIN_USE, c->used = req_form(r, "used")))
        form_problem(f, "used", "Choose an answer (\"I'd rather not say\" is fine).");
    if (!checkin_scale_parse(req_form(r, "confidence"), &c->confidence))
        form_problem(f, "confidence", "Choose how sure you feel, from 0 to 10.");
    c->note = form_text(f, "note", CHECKIN_NOTE_MAX * 4, false, true, NULL);
    if ((why = checkin_note_problem(c->note)))
        form_problem(f, "note", why);
    c->triggers = triggers;
}

/* The words of the alerts the check-in raises (arena; NULL: none). */
static void alert_words(struct req *r, const struct portal_checkin *c, const char **use,
                        const char **craving)
{
    char level[16] = "", *text;

    *use =
        checkin_use_alerts(c->used) ? "Use since the last check-in reported in the portal." : NULL;
    *craving = NULL;
    if (store_setting_get(r->store, CRAVING_SETTING, level, sizeof(level)) == E_OK &&
        checkin_craving_alerts(c->craving, level)) {
        text = arena_alloc(r->arena, 128);
        snprintf(text, 128, "Craving %d of 10 in a portal check-in (the clinic's alert level: %s).",
                 c->craving, level);
        *craving = text;
    }
}

enum err portal_checkin_post(struct req *r)
{
    struct portal_checkin c = { 0 };
    json_t *triggers = json_array();
    const char *use, *craving;
    char day[11], id[33];
    struct form f;
    enum err e;

    form_init(&f, r, req_model(r, form_model(r, true)));
    check(r, &f, &c, triggers);
    if (f.problems) {
        json_decref(triggers);
        portal_audit(r, "create", "checkin", NULL, "invalid");
        return E_INVALID;
    }
    portal_today(day);
    c.day = day;
    alert_words(r, &c, &use, &craving);
    e = store_portal_checkin_add(r->store, auth_patient_id(r), &c, use, craving,
                                 portal_entry(r, "create", "checkin", NULL, "ok"), id);
    json_decref(triggers);
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, "create", "checkin", NULL, audit_outcome(e));
        r->message = "Your check-in could not be saved. Please try again in a minute.";
        return E_DB;
    }
    resp_redirect(r, 303, "/me/check-in/done");
    return E_OK;
}
