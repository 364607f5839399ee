/* drug_screens: a patient's drug screens as store/drug_screens.h says: the screen and its
 * results written together with the alert their unexpected positives raise and the audit entry,
 * the lab confirmation changed alone, and the list of a patient's screens read in two queries
 * (the screens, then all their results in one go). */
#include "store/drug_screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "store/admissions_internal.h"
#include "store/clinical_alerts.h"
#include "store/db.h"
#include "store/store_internal.h"

static const char sql_patient[] = "SELECT id FROM patients WHERE public_id = ?1";
static const char sql_add[] =
    "INSERT INTO drug_screens (public_id, patient_id, collected_on, specimen, observed, lab,"
    " comment, entered_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char sql_result[] =
    "INSERT INTO drug_screen_results (screen_id, substance, result, expected)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char sql_lab[] = "UPDATE drug_screens SET lab = ?2 WHERE public_id = ?1";
static const char sql_screen_patient[] =
    "SELECT p.public_id FROM drug_screens d JOIN patients p ON p.id = d.patient_id"
    " WHERE d.public_id = ?1";
/* ?1 the patient's public id, ?2 one screen's public id (NULL: all of them). */
static const char sql_list[] =
    "SELECT d.id, d.public_id, d.collected_on, d.specimen, d.observed, d.lab, d.comment, u.name,"
    " d.created_at FROM drug_screens d JOIN patients p ON p.id = d.patient_id"
    " LEFT JOIN users u ON u.id = d.entered_by WHERE p.public_id = ?1"
    " AND (?2 IS NULL OR d.public_id = ?2) ORDER BY d.collected_on DESC, d.id DESC";
static const char sql_results[] =
    "SELECT r.screen_id, r.substance, r.result, r.expected FROM drug_screen_results r"
    " JOIN drug_screens d ON d.id = r.screen_id JOIN patients p ON p.id = d.patient_id"
    " WHERE p.public_id = ?1 AND (?2 IS NULL OR d.public_id = ?2)"
    " ORDER BY r.screen_id, r.substance";

static enum err results_add(struct store *s, long screen, const struct drug_screen *in)
{
    struct db_stmt *st = db_prepare(s->db, sql_result);
    enum err e = E_OK;

    if (!st)
        return E_DB;
    for (size_t i = 0; i < in->n_results && e == E_OK; i++) {
        db_bind_int64(st, 1, screen);
        db_bind_text(st, 2, in->results[i].substance);
        db_bind_text(st, 3, in->results[i].result);
        db_bind_int64(st, 4, in->results[i].expected);
        e = admissions_step_done(s, st, "drug screen result");
    }
    return e;
}

enum err store_drug_screen_add(struct store *s, const char *patient_id,
                               const struct drug_screen *in, const struct audit_entry *a,
                               char public_id[33], bool *alerted)
{
    struct db_stmt *st;
    char now[STAMP_LEN], detail[400];
    long patient = 0, screen = 0;
    enum err e;

    *alerted = false;
    rand_hex(public_id, 16);
    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_id_of(s, sql_patient, patient_id ? patient_id : "", &patient)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, public_id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, in->collected_on);
    db_bind_text(st, 4, in->specimen);
    db_bind_int64(st, 5, in->observed);
    db_bind_text(st, 6, in->lab);
    db_bind_text_or_null(st, 7, in->comment);
    admissions_bind_user(st, 8, in->entered_by);
    db_bind_text(st, 9, now);
    if ((e = admissions_insert_id(s, st, "drug screen", &screen)) != E_OK ||
        (e = results_add(s, screen, in)) != E_OK)
        goto out;
    /* The alert lands with the screen or not at all: a positive is never left unannounced. */
    if (screen_alert_detail(in->results, in->n_results, detail, sizeof(detail))) {
        if ((e = store_clinical_alert_raise(s, patient, ALERT_SCREEN_POSITIVE, false, detail,
                                            public_id, NULL)) != E_OK)
            goto out;
        *alerted = true;
    }
    e = admissions_audit(s, a, NULL, NULL, public_id);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("drug screen %s added%s", public_id, *alerted ? ", alert raised" : "");
    else
        *alerted = false;
    return e;
}

/* The results of the screens listed (by row id in ids, order of rows), into each screen's
 * "results" in the panel's order then others by name, and its "unexpected". */
static enum err results_read(struct store *s, const char *patient_id, const char *screen_id,
                             json_t *by_row)
{
    struct db_stmt *st = db_prepare(s->db, sql_results);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, patient_id);
    db_bind_text_or_null(st, 2, screen_id);
    while ((rc = db_step(st)) == DB_ROW) {
        char key[24];
        struct screen_result r = { .result = db_col_text(st, 2), .expected = db_col_int(st, 3) };
        snprintf(key, sizeof(key), "%lld", (long long)db_col_int64(st, 0));
        snprintf(r.substance, sizeof(r.substance), "%s", db_col_text(st, 1));
        json_t *screen = json_object_get(by_row, key);
        if (!screen)
            continue;
        bool unexpected = screen_unexpected(&r);
        json_array_append_new(json_object_get(screen, "results"),
                              json_pack("{s:s, s:s, s:b, s:b}", "substance", r.substance, "result",
                                        r.result, "expected", r.expected, "unexpected",
                                        unexpected));
        if (unexpected)
            json_object_set_new(screen, "unexpected", json_true());
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "drug screen results");
}

/* The panel's position of a substance (others after it, by name). */
static size_t panel_rank(const char *substance)
{
    for (size_t i = 0; i < SCREEN_N_PANEL; i++)
        if (!strcmp(screen_panel(i), substance))
            return i;
    return SCREEN_N_PANEL;
}

static int result_order(const void *pa, const void *pb)
{
    const char *a = json_string_value(json_object_get(*(json_t *const *)pa, "substance"));
    const char *b = json_string_value(json_object_get(*(json_t *const *)pb, "substance"));
    size_t ra = panel_rank(a), rb = panel_rank(b);

    return ra != rb ? (ra > rb) - (ra < rb) : strcmp(a, b);
}

static void results_sort(json_t *screen)
{
    json_t *arr = json_object_get(screen, "results"), *items[SCREEN_RESULTS_MAX * 4];
    size_t n = json_array_size(arr);

    if (n > sizeof(items) / sizeof(items[0]))
        return;
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(arr, i));
    qsort(items, n, sizeof(items[0]), result_order);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, items[i]);
}

static enum err screens_read(struct store *s, const char *patient_id, const char *screen_id,
                             json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);
    json_t *arr = json_array(), *by_row = json_object(), *o;
    enum db_step rc;
    enum err e = E_OK;
    size_t i;

    if (!st) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, patient_id);
    db_bind_text_or_null(st, 2, screen_id);
    while ((rc = db_step(st)) == DB_ROW) {
        char key[24];
        o = json_pack(
            "{s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:s, s:[], s:b}", "id", db_col_text(st, 1),
            "collected_on", db_col_text(st, 2), "specimen", db_col_text(st, 3), "observed",
            db_col_int(st, 4), "lab", db_col_text(st, 5), "comment",
            db_col_is_null(st, 6) ? json_null() : json_string(db_col_text(st, 6)), "entered_by",
            db_col_is_null(st, 7) ? json_null() : json_string(db_col_text(st, 7)), "created_at",
            db_col_text(st, 8), "results", "unexpected", 0);
        if (!admissions_push(arr, o, "drug screen")) {
            e = E_DB;
            break;
        }
        snprintf(key, sizeof(key), "%lld", (long long)db_col_int64(st, 0));
        json_object_set(by_row, key, o);
    }
    db_reset(st);
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, "drug screens");
    if (e == E_OK)
        e = results_read(s, patient_id, screen_id, by_row);
    json_array_foreach(arr, i, o) results_sort(o);
out:
    json_decref(by_row);
    if (e == E_OK)
        *out = arr;
    else
        json_decref(arr);
    return e;
}

enum err store_drug_screens_of(struct store *s, const char *patient_id, json_t **out)
{
    long patient;
    enum err e;

    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    e = admissions_id_of(s, sql_patient, patient_id ? patient_id : "", &patient);
    if (e == E_OK)
        e = screens_read(s, patient_id, NULL, out);
    if (db_commit(s->db) != E_OK && e == E_OK) {
        json_decref(*out);
        e = E_DB;
    }
    return e;
}

/* The public id of the patient of a screen (patient_id, 33 bytes): E_NOTFOUND when none. */
static enum err screen_patient(struct store *s, const char *screen_id, char patient_id[33])
{
    struct db_stmt *st = db_prepare(s->db, sql_screen_patient);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, screen_id);
    if ((rc = db_step(st)) == DB_ROW) {
        store_copy(patient_id, 33, db_col_text(st, 0));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "drug screen's patient");
    }
    db_reset(st);
    return e;
}

enum err store_drug_screen_lab(struct store *s, const char *screen_id, const char *lab,
                               const struct audit_entry *a, char patient_id[33], json_t **out)
{
    struct db_stmt *st;
    json_t *list = NULL;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = screen_patient(s, screen_id ? screen_id : "", patient_id)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_lab))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, screen_id);
    db_bind_text(st, 2, lab);
    if ((e = admissions_step_done(s, st, "drug screen lab")) != E_OK ||
        (e = admissions_audit(s, a, NULL, NULL, screen_id)) != E_OK)
        goto out;
    e = screens_read(s, patient_id, screen_id, &list);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    return e;
}
