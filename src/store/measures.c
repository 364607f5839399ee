/* measures: standardized measures in the store (store/measures.h). An entry, its alert and
 * their audit entries are one transaction: a PHQ-9 whose item 9 is above 0 is never stored
 * without its urgent alert. Schedules are the clinic's settings, read as whole days. */
#include "store/measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/audit_chain.h"
#include "domain/measure.h"
#include "store/audit.h"
#include "store/clinical_alerts.h"
#include "store/db.h"
#include "store/staff.h"
#include "store/stamp.h"
#include "store/store_internal.h"

static const char sql_patient[] =
    "SELECT id, public_id, first_name, last_name, admission_date, status FROM patients"
    " WHERE public_id = ?1";
static const char sql_admission[] = "SELECT admission_date FROM patients WHERE id = ?1";
static const char sql_add[] =
    "INSERT INTO measures (public_id, patient_id, instrument, taken_on, answers, total,"
    " substance, source, entered_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_list[] =
    "SELECT m.public_id, m.instrument, m.taken_on, m.answers, m.total, COALESCE(m.substance, ''),"
    " m.source, m.created_at, COALESCE(u.name, '') FROM measures m"
    " LEFT JOIN users u ON u.id = m.entered_by"
    " WHERE m.patient_id = ?1 AND (?2 IS NULL OR m.instrument = ?2)"
    " ORDER BY m.instrument, m.taken_on, m.id";
static const char sql_last[] =
    "SELECT max(taken_on) FROM measures WHERE patient_id = ?1 AND instrument = ?2";

enum err store_measures_patient(struct store *s, const char *public_id,
                                struct measures_patient *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_patient);
    enum err e = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = (long)db_col_int64(st, 0);
        store_copy(out->public_id, sizeof(out->public_id), db_col_text(st, 1));
        store_copy(out->first_name, sizeof(out->first_name), db_col_text(st, 2));
        store_copy(out->last_name, sizeof(out->last_name), db_col_text(st, 3));
        store_copy(out->admission_date, sizeof(out->admission_date), db_col_text(st, 4));
        store_copy(out->status, sizeof(out->status), db_col_text(st, 5));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "measures patient");
    }
    db_finish(st);
    return e;
}

/* Whether m holds what the schema and the instrument accept; its total into m->total. */
static bool entry_ok(struct measure_entry *m)
{
    const struct measure_def *d = measure_find(m->instrument);
    caldate day;
    long bad;

    if (!d || !m->taken_on || !caldate_parse(m->taken_on, &day) || !m->source ||
        (strcmp(m->source, "staff") && strcmp(m->source, "portal")))
        return false;
    if (m->substance && (!d->has_substance || !measure_substance_ok(m->substance)))
        return false;
    return measure_score(d, m->answers, m->n_answers, &m->total, &bad) == E_OK;
}

/* The answers as a JSON array's text, "[0,1,3]" (at most 9 values of two digits). */
static void answers_text(const struct measure_entry *m, char *out, size_t size)
{
    size_t at = 0;

    out[at++] = '[';
    for (size_t i = 0; i < m->n_answers && at + 5 < size; i++)
        at += (size_t)snprintf(out + at, size - at, "%s%d", i ? "," : "", m->answers[i]);
    snprintf(out + at, size - at, "]");
}

/* The alert's sentence: which item, how often, when (the one answer the alert needs). */
static enum err raise_item9(struct store *s, struct measure_entry *m)
{
    const struct measure_def *d = measure_find("phq9");
    const char *how = measure_option_label(d, 8, m->answers[8]);
    char detail[400];

    snprintf(detail, sizeof(detail),
             "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered "
             "\"%s\" (%d of 3), taken %s.",
             how ? how : "above 0", m->answers[8], m->taken_on);
    return store_clinical_alert_raise(s, m->patient, "phq9-item9", true, detail, m->public_id,
                                      m->alert_id);
}

/* Appends audit's entry as (create, type, id). */
static enum err audit_as(struct store *s, const struct audit_entry *audit, const char *type,
                         const char *id)
{
    struct audit_entry e;

    if (!audit)
        return E_OK;
    e = *audit;
    e.action = "create";
    e.record_type = type;
    e.record_id = id;
    if (store_audit_append(s, &e) != E_OK) {
        log_error("audit: create %s %s not recorded: change rolled back", type, id);
        return E_DB;
    }
    return E_OK;
}

static enum err insert(struct store *s, struct measure_entry *m)
{
    struct db_stmt *st = db_prepare(s->db, sql_add);
    char answers[64], now[STAMP_LEN];

    if (!st)
        return E_DB;
    answers_text(m, answers, sizeof(answers));
    db_bind_text(st, 1, m->public_id);
    db_bind_int64(st, 2, m->patient);
    db_bind_text(st, 3, m->instrument);
    db_bind_text(st, 4, m->taken_on);
    db_bind_text(st, 5, answers);
    db_bind_int64(st, 6, m->total);
    db_bind_text_or_null(st, 7, m->substance);
    db_bind_text(st, 8, m->source);
    if (m->entered_by > 0)
        db_bind_int64(st, 9, m->entered_by);
    db_bind_text(st, 10, stamp_now(now));
    return db_run(st, "measure insert");
}

static enum err one_text(struct store *s, const char *sql, long patient, const char *key,
                         char *out, size_t size, bool *found);

/* Whether patients.id exists, inside the transaction. */
static enum err patient_exists(struct store *s, long patient)
{
    char admission[CALDATE_TEXT + 1];
    bool found;
    enum err e = one_text(s, sql_admission, patient, NULL, admission, sizeof(admission), &found);

    return e != E_OK ? e : found ? E_OK : E_NOTFOUND;
}

enum err store_measure_add(struct store *s, struct measure_entry *m,
                           const struct audit_entry *audit)
{
    enum err e;

    m->public_id[0] = m->alert_id[0] = '\0';
    if (!entry_ok(m))
        return E_INVALID;
    rand_hex(m->public_id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_exists(s, m->patient)) == E_OK)
        e = insert(s, m);
    if (e == E_OK && measure_item9_alert(measure_find(m->instrument), m->answers, m->n_answers))
        e = raise_item9(s, m);
    if (e == E_OK)
        e = audit_as(s, audit, "measure", m->public_id);
    if (e == E_OK && m->alert_id[0])
        e = audit_as(s, audit, "clinical-alert", m->alert_id);
    if (e == E_OK)
        e = db_commit(s->db);
    else
        db_rollback(s->db);
    if (e != E_OK)
        m->public_id[0] = m->alert_id[0] = '\0';
    return e;
}

/* One row of sql_list as JSON. */
static json_t *list_row(struct db_stmt *st)
{
    json_t *answers = json_loads(db_col_text(st, 3), 0, NULL);
    const char *substance = db_col_text(st, 5);

    return json_pack("{s:s, s:s, s:s, s:o, s:I, s:s?, s:s, s:s, s:s}", "id", db_col_text(st, 0),
                     "instrument", db_col_text(st, 1), "taken_on", db_col_text(st, 2),
                     "answers", answers ? answers : json_array(), "total",
                     (json_int_t)db_col_int64(st, 4), "substance", *substance ? substance : NULL,
                     "source", db_col_text(st, 6), "created_at", db_col_text(st, 7),
                     "entered_by", db_col_text(st, 8));
}

enum err store_measures_list(struct store *s, long patient, const char *instrument,
                             json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);
    json_t *list = json_array();
    enum err e = E_OK;
    int rc;

    *out = NULL;
    if (!st) {
        json_decref(list);
        return E_DB;
    }
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, instrument);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, list_row(st));
    if (rc != DB_DONE)
        e = db_fail(s->db, "measures list");
    db_finish(st);
    if (e != E_OK)
        json_decref(list);
    else
        *out = list;
    return e;
}

/* The text of the first column of a one-row query on (patient, key) into out ("" for NULL
 * or no row). */
static enum err one_text(struct store *s, const char *sql, long patient, const char *key,
                         char *out, size_t size, bool *found)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err e = E_OK;
    int rc;

    out[0] = '\0';
    *found = false;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    if (key)
        db_bind_text(st, 2, key);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *found = true;
        store_copy(out, size, db_col_text(st, 0));
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "measures read");
    }
    db_finish(st);
    return e;
}

/* The schedule of d in whole days: its setting, else migration 0020's default. */
static int schedule_days(struct store *s, const struct measure_def *d)
{
    char v[16];
    char *end;
    long n;

    if (store_setting_get(s, d->setting, v, sizeof(v)) != E_OK)
        return d->default_days;
    n = strtol(v, &end, 10);
    return end != v && !*end && n >= 0 && n <= 366 ? (int)n : d->default_days;
}

/* The due entry of d, or NULL when it is not scheduled. */
static enum err due_of(struct store *s, long patient, const struct measure_def *d,
                       caldate admission, caldate today, json_t **row)
{
    int days = schedule_days(s, d);
    char last_text[CALDATE_TEXT + 1], due_text[CALDATE_TEXT];
    caldate last = 0, due;
    bool found, has_last;
    enum err e;

    *row = NULL;
    if (days <= 0)
        return E_OK;
    e = one_text(s, sql_last, patient, d->code, last_text, sizeof(last_text), &found);
    if (e != E_OK)
        return e;
    has_last = caldate_parse(last_text, &last);
    due = measure_due_on(admission, has_last, last, days);
    *row = json_pack("{s:s, s:s, s:s, s:b, s:b, s:i}", "instrument", d->code, "name", d->name,
                     "due_on", caldate_format(due, due_text), "due", due <= today, "overdue",
                     due < today, "every_days", days);
    return E_OK;
}

enum err store_measures_due(struct store *s, long patient, const char *today, json_t **out)
{
    char admission_text[CALDATE_TEXT + 1];
    caldate admission, day;
    json_t *list, *row;
    bool found;
    enum err e;

    *out = NULL;
    if (!today || !caldate_parse(today, &day))
        return E_INVALID;
    e = one_text(s, sql_admission, patient, NULL, admission_text, sizeof(admission_text),
                 &found);
    if (e != E_OK || !found)
        return e != E_OK ? e : E_NOTFOUND;
    if (!caldate_parse(admission_text, &admission))
        admission = day;
    list = json_array();
    for (size_t i = 0; e == E_OK && i < measure_count(); i++)
        if ((e = due_of(s, patient, measure_at(i), admission, day, &row)) == E_OK && row)
            json_array_append_new(list, row);
    if (e != E_OK)
        json_decref(list);
    else
        *out = list;
    return e;
}
