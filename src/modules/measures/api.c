/* api: a patient's measures over the JSON API (docs/api.md "Measures and clinical alerts"):
 * the list, an entry (201 with its total, band, change from baseline and the alert it raised),
 * what is due, and an instrument's trend. Bodies are read with the program module's body.c, so
 * a refusal is the same {"error": "invalid", "details": [{field, message}]} with the field
 * named; a refused entry stores nothing. Every read is audited as a view of the patient. */
#include "modules/measures/measures.h"

#include <string.h>

#include "modules/program/program.h"
#include "web/audit.h"
#include "web/auth.h"

/* Audits a read of patient p; the model m (a new reference) becomes the answer, or E_DB. */
static enum err answer_read(struct req *r, const struct measures_patient *p, json_t *m)
{
    if (audit_record(r, "view", "patient", p->public_id, "ok") < 0) {
        json_decref(m);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, m);
    return E_OK;
}

/* A store failure of a read: audited, answered as E_DB (or as it is for E_NOTFOUND). */
static enum err read_failed(struct req *r, const struct measures_patient *p, enum err e)
{
    audit_record(r, "view", "patient", p->public_id, audit_outcome(e));
    return e == E_NOTFOUND ? e : E_DB;
}

enum err measures_api_list(struct req *r)
{
    struct measures_patient p;
    json_t *list;
    enum err e;

    if ((e = measures_patient(r, "view", &p)) != E_OK)
        return e;
    if ((e = store_measures_list(r->store, p.id, NULL, &list)) != E_OK)
        return read_failed(r, &p, e);
    return answer_read(r, &p, list);
}

enum err measures_api_due(struct req *r)
{
    struct measures_patient p;
    char today[11];
    json_t *due;
    enum err e;

    if ((e = measures_patient(r, "view", &p)) != E_OK)
        return e;
    if ((e = store_measures_due(r->store, p.id, measures_today(today), &due)) != E_OK)
        return read_failed(r, &p, e);
    return answer_read(r, &p, json_pack("{s:s, s:o}", "as_of", today, "due", due));
}

enum err measures_api_trend(struct req *r)
{
    const struct measure_def *d = measure_find(req_param(r, "instrument"));
    struct measures_patient p;
    json_t *list, *trend;
    enum err e;

    if ((e = measures_patient(r, "view", &p)) != E_OK)
        return e;
    if (!d) {
        audit_record(r, "view", "patient", p.public_id, "invalid");
        return program_invalid(r, "instrument", "The instrument is phq9, gad7, pacs or craving.");
    }
    if ((e = store_measures_list(r->store, p.id, d->code, &list)) != E_OK)
        return read_failed(r, &p, e);
    trend = measures_trend(d, list);
    json_decref(list);
    return answer_read(r, &p, trend);
}

/* The body's instrument, or NULL (a problem). */
static const struct measure_def *instrument(struct body *b)
{
    const char *code = body_text(b, "instrument", 16, true,
                                 "The instrument is phq9, gad7, pacs or craving.");
    const struct measure_def *d = code ? measure_find(code) : NULL;

    if (code && !d)
        body_problem(b, "instrument", "The instrument is phq9, gad7, pacs or craving.");
    return d;
}

/* Reads the entry's fields into me (and a[]), each problem with its field. */
static void read_body(struct req *r, struct body *b, struct measure_entry *me, int *a)
{
    const struct measure_def *d = instrument(b);
    const char *problem, *field;
    char today[11];
    caldate day;
    size_t n = 0;

    if (body_date(b, "taken_on", true, &day)) {
        me->taken_on = json_string_value(json_object_get(b->root, "taken_on"));
        if (strcmp(me->taken_on, measures_today(today)) > 0)
            body_problem(b, "taken_on", "The date cannot be after today.");
    }
    if (body_has(b, "substance") && !json_is_null(json_object_get(b->root, "substance"))) {
        me->substance = body_text(b, "substance", MEASURE_SUBSTANCE_MAX, false,
                                  "Name the substance in letters (e.g. cocaine).");
        if (d && !d->has_substance)
            body_problem(b, "substance", "Only the PACS names a substance.");
        else if (me->substance && !measure_substance_ok(me->substance))
            body_problem(b, "substance", "Name the substance in letters (e.g. cocaine).");
    }
    if (!d)
        return;
    me->instrument = d->code;
    if (!body_has(b, "answers"))
        body_problem(b, "answers", "Give the answers, one whole number per item, in order.");
    else if ((problem = measures_answers(r, d, json_object_get(b->root, "answers"), a, &n,
                                         &field)))
        body_problem(b, field, problem);
    me->n_answers = n;
}

/* The 201 answer: the entry with its band, its change from the baseline and its alert. */
static enum err created(struct req *r, const struct measures_patient *p,
                        const struct measure_entry *me)
{
    const struct measure_def *d = measure_find(me->instrument);
    json_t *list = NULL, *trend, *last;

    if (store_measures_list(r->store, p->id, d->code, &list) != E_OK) {
        r->message = "The measure was saved, but it could not be read back.";
        return E_DB;
    }
    trend = measures_trend(d, list);
    json_decref(list);
    last = NULL;
    for (size_t i = 0; i < json_array_size(json_object_get(trend, "points")); i++)
        if (!strcmp(json_string_value(json_object_get(
                        json_array_get(json_object_get(trend, "points"), i), "id")),
                    me->public_id))
            last = json_array_get(json_object_get(trend, "points"), i);
    req_model(r, json_pack("{s:s, s:s, s:s, s:i, s:O?, s:O?, s:O?, s:s?}", "id", me->public_id,
                           "instrument", me->instrument, "taken_on", me->taken_on, "total",
                           me->total, "band", json_object_get(last, "band"),
                           "change_from_baseline", json_object_get(last, "change_from_baseline"),
                           "reached", json_object_get(last, "reached"), "alert_id",
                           me->alert_id[0] ? me->alert_id : NULL));
    json_decref(trend);
    r->status = 201;
    return E_OK;
}

enum err measures_api_add(struct req *r)
{
    struct measures_patient p;
    struct measure_entry me = {0};
    int a[MEASURE_ITEMS_MAX] = {0};
    struct body b;
    enum err e;

    if ((e = measures_patient(r, "create", &p)) != E_OK)
        return e;
    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "create", "measure", p.public_id, "invalid");
        return e;
    }
    me = (struct measure_entry){.patient = p.id, .answers = a, .source = "staff",
                                .entered_by = auth_user_id(r)};
    read_body(r, &b, &me, a);
    if ((e = program_checked(&b, "create", "measure", p.public_id)) != E_OK)
        return e;
    e = store_measure_add(r->store, &me, audit_entry(r, "create", "measure", NULL));
    if (e != E_OK)
        return program_refused(r, e, NULL, "create", "measure", p.public_id);
    return created(r, &p, &me);
}
