/* page: a patient's drug screens page: the form to record a screen (date collected, specimen,
 * observed, a result for each panel substance tested and up to two others, which positives a
 * prescription explains, the lab, a comment), the screens recorded (newest first, the lab
 * confirmation changeable on each: nothing else changes once recorded) and the per-substance
 * history. A form with problems comes back with them (422); a screen recorded goes back to the
 * page (303). Reads and writes are audited. */
#include "modules/screens/screens.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

#define OTHERS 2 /* "other" substances a form offers */

static const char *const result_codes[] = { "negative", "positive", "invalid", NULL };
static const char *const specimen_codes[] = { "urine", "oral-fluid", "breath", NULL };
static const char *const lab_codes[] = { "none", "pending", "confirmed", "not-confirmed", NULL };
static const char *const yes_no[] = { "yes", "no", NULL };

/* The options of a result select, `chosen` selected ("": not tested). */
static json_t *result_options(const char *chosen)
{
    json_t *out = json_array();

    json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label", "Not tested",
                                         "selected", !chosen || !*chosen));
    for (size_t i = 0; result_codes[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", result_codes[i], "label",
                                             result_codes[i], "selected",
                                             chosen && !strcmp(chosen, result_codes[i])));
    return out;
}

static const char *kept(const json_t *m, const char *name)
{
    const char *v = json_string_value(json_object_get(json_object_get(m, "form"), name));

    return v ? v : "";
}

/* The problem of field name, or null (a new reference either way). */
static json_t *err_of(const json_t *m, const char *name)
{
    json_t *v = json_object_get(json_object_get(m, "err"), name);

    return v ? json_incref(v) : json_null();
}

static bool ticked(const json_t *m, const char *name)
{
    return !strcmp(kept(m, name), "yes");
}

/* The form's rows (m.panel, m.others, m.specimens, m.labs) from the values in m.form. */
static void form_rows(json_t *m)
{
    json_t *panel = json_array(), *others = json_array(), *specimens = json_array();
    json_t *labs = json_array();
    char f[48], x[48], n[48];

    for (size_t i = 0; i < SCREEN_N_PANEL; i++) {
        snprintf(f, sizeof(f), "r_%s", screen_panel(i));
        snprintf(x, sizeof(x), "x_%s", screen_panel(i));
        json_array_append_new(panel, json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "label",
                                               screen_panel_label(i), "field", f, "xfield", x,
                                               "options", result_options(kept(m, f)), "expected",
                                               ticked(m, x), "problem", err_of(m, f)));
    }
    for (int k = 1; k <= OTHERS; k++) {
        snprintf(n, sizeof(n), "other%d_name", k);
        snprintf(f, sizeof(f), "other%d_result", k);
        snprintf(x, sizeof(x), "other%d_expected", k);
        json_array_append_new(others, json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o}",
                                                "k", k, "nfield", n, "name", kept(m, n), "field", f,
                                                "xfield", x, "options", result_options(kept(m, f)),
                                                "expected", ticked(m, x), "err_name", err_of(m, n),
                                                "err_result", err_of(m, f)));
    }
    for (size_t i = 0; specimen_codes[i]; i++)
        json_array_append_new(specimens,
                              json_pack("{s:s, s:s, s:b}", "value", specimen_codes[i], "label",
                                        screen_specimen_label(specimen_codes[i]), "checked",
                                        !strcmp(kept(m, "specimen"), specimen_codes[i])));
    for (size_t i = 0; lab_codes[i]; i++)
        json_array_append_new(labs, json_pack("{s:s, s:s, s:b}", "value", lab_codes[i], "label",
                                              screen_lab_label(lab_codes[i]), "selected",
                                              !strcmp(kept(m, "lab"), lab_codes[i])));
    json_object_set_new(m, "panel", panel);
    json_object_set_new(m, "others", others);
    json_object_set_new(m, "specimens", specimens);
    json_object_set_new(m, "labs", labs);
    json_object_set_new(m, "observed_yes", json_boolean(!strcmp(kept(m, "observed"), "yes")));
    json_object_set_new(m, "observed_no", json_boolean(!strcmp(kept(m, "observed"), "no")));
}

/* The page's model for patient id with its screens: *m (the request's), or the error. */
static enum err page_model(struct req *r, const char *id, json_t **m)
{
    json_t *p = NULL, *list = NULL;
    char title[300];
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, false, &p)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    if ((e = store_drug_screens_of(r->store, id, &list)) != E_OK) {
        json_decref(p);
        return e == E_NOTFOUND ? e : E_DB;
    }
    snprintf(title, sizeof(title), "Drug screens: %s %s",
             json_string_value(json_object_get(p, "first_name")),
             json_string_value(json_object_get(p, "last_name")));
    *m = req_model(r, view_staff_model(r, title));
    json_object_set_new(*m, "patient",
                        json_pack("{s:s, s:O, s:O}", "public_id", id, "first_name",
                                  json_object_get(p, "first_name"), "last_name",
                                  json_object_get(p, "last_name")));
    json_object_set_new(*m, "heading", json_string(title));
    screens_view(*m, list);
    json_decref(list);
    json_decref(p);
    return E_OK;
}

enum err screens_page(struct req *r)
{
    const char *id = req_param(r, "id");
    char today[11];
    json_t *m = NULL;
    enum err e;

    if ((e = page_model(r, id, &m)) != E_OK) {
        audit_record(r, "view", "patient", id, audit_outcome(e));
        return e;
    }
    if (audit_record(r, "view", "patient", id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_object_set_new(m, "form",
                        json_pack("{s:s, s:s, s:s, s:s}", "collected_on", screens_today(today),
                                  "specimen", "urine", "observed", "yes", "lab", "none"));
    json_object_set_new(m, "err", json_object());
    form_rows(m);
    return E_OK;
}

/* One "other" substance k of the form into res[*n] (when a name or a result is given). */
static void other_read(struct form *f, int k, struct screen_result *res, size_t *n)
{
    char nf[32], rf[32], xf[32];
    const char *name, *result;

    snprintf(nf, sizeof(nf), "other%d_name", k);
    snprintf(rf, sizeof(rf), "other%d_result", k);
    snprintf(xf, sizeof(xf), "other%d_expected", k);
    name = form_text(f, nf, SCREEN_SUBSTANCE_MAX, false, false, NULL);
    result = form_choice(f, rf, result_codes, false, "Choose negative, positive or invalid.");
    bool expected = form_checked(f, xf);
    if (!name && !result)
        return;
    if (!name) {
        form_problem(f, nf, "Name the other substance, or set its result to Not tested.");
        return;
    }
    if (!result) {
        form_problem(f, rf, "Choose the result for this substance.");
        return;
    }
    if (screens_substance("other", name, res[*n].substance)) {
        res[*n].result = result;
        res[*n].expected = expected;
        (*n)++;
    }
}

/* The form into d (results in res, SCREEN_RESULTS_MAX), each problem beside its field. */
static void screen_read(struct form *f, struct drug_screen *d, struct screen_result *res)
{
    char today[11], field[48];
    const char *why;
    size_t at;

    d->collected_on = form_date(f, "collected_on", true, "Give the date the specimen was taken.");
    if (d->collected_on && strcmp(d->collected_on, screens_today(today)) > 0)
        form_problem(f, "collected_on", "The date collected cannot be after today.");
    d->specimen = form_choice(f, "specimen", specimen_codes, true, "Choose the specimen.");
    const char *obs =
        form_choice(f, "observed", yes_no, true, "Say whether the collection was observed.");
    d->observed = obs && !strcmp(obs, "yes");
    d->lab = form_choice(f, "lab", lab_codes, true, "Choose the lab confirmation.");
    d->comment = form_text(f, "comment", SCREEN_COMMENT_MAX, false, true, NULL);
    d->n_results = 0;
    for (size_t i = 0; i < SCREEN_N_PANEL; i++) {
        snprintf(field, sizeof(field), "r_%s", screen_panel(i));
        const char *v =
            form_choice(f, field, result_codes, false, "Choose negative, positive or invalid.");
        snprintf(field, sizeof(field), "x_%s", screen_panel(i));
        bool expected = form_checked(f, field);
        if (!v)
            continue;
        snprintf(res[d->n_results].substance, sizeof(res[0].substance), "%s", screen_panel(i));
        res[d->n_results].result = v;
        res[d->n_results].expected = expected;
        d->n_results++;
    }
    for (int k = 1; k <= OTHERS; k++)
        other_read(f, k, res, &d->n_results);
    d->results = res;
    if (!f->problems && screen_check_results(res, d->n_results, &at, &why) < 0)
        form_problem(f, d->n_results ? "other1_name" : "results", why);
}

enum err screens_add(struct req *r)
{
    const char *id = req_param(r, "id");
    struct screen_result res[SCREEN_RESULTS_MAX];
    struct drug_screen d = { 0 };
    char screen_id[33], url[160];
    bool alerted = false;
    json_t *m = NULL;
    struct form f;
    enum err e;

    if ((e = page_model(r, id, &m)) != E_OK)
        goto out;
    form_init(&f, r, m);
    screen_read(&f, &d, res);
    form_rows(m);
    if (f.problems) {
        e = E_INVALID;
        goto out;
    }
    d.entered_by = auth_user_id(r);
    e = store_drug_screen_add(r->store, id, &d, audit_entry(r, "create", "drug-screen", NULL),
                              screen_id, &alerted);
    if (e == E_OK) {
        r->model = NULL;
        snprintf(url, sizeof(url), "/staff/patients/%s/screens?added=%s%s#screen-%s", id, screen_id,
                 alerted ? "&alert=1" : "", screen_id);
        resp_redirect(r, 303, arena_strdup(r->arena, url));
        return E_OK;
    }
    r->model = NULL;
out:
    audit_record(r, "create", "drug-screen", id, audit_outcome(e));
    return e;
}

enum err screens_lab(struct req *r)
{
    const char *id = req_param(r, "id"), *lab = req_form(r, "lab");
    char patient[33] = "", url[160];
    json_t *out = NULL;
    enum err e;

    if (!screen_is(screen_lab, SCREEN_N_LABS, lab)) {
        r->message = "Choose one of the lab confirmation states.";
        e = E_INVALID;
    } else {
        e = store_drug_screen_lab(r->store, id, lab, audit_entry(r, "update", "drug-screen", id),
                                  patient, &out);
    }
    json_decref(out);
    if (e != E_OK) {
        audit_record(r, "update", "drug-screen", id, audit_outcome(e));
        return e;
    }
    snprintf(url, sizeof(url), "/staff/patients/%s/screens#screen-%s", patient, id);
    resp_redirect(r, 303, arena_strdup(r->arena, url));
    return E_OK;
}
