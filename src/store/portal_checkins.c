/* portal_checkins: a patient's daily check-ins (store/portal.h): added with their audit entry
 * and the clinical alerts they raise in one transaction (a counsellor never misses a reported
 * use because the alert failed after the check-in landed), listed newest first, and the name
 * of the counsellor the help after a check-in points to. */
#include "store/portal.h"

#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "store/admissions_internal.h"
#include "store/clinical_alerts.h"

static const char sql_add[] =
    "INSERT INTO checkins (public_id, patient_id, at, day, craving, mood, sleep, triggers,"
    " used, confidence, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_list[] =
    "SELECT public_id, at, day, craving, mood, sleep, triggers, used, confidence, note,"
    " note IS NULL FROM checkins WHERE patient_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2";
static const char sql_counsellor[] =
    "SELECT u.name FROM patients p JOIN users u ON u.id = p.counsellor_id WHERE p.id = ?1";

/* Binds the answers of c; triggers is the JSON text (the caller frees it). */
static void bind_answers(struct db_stmt *st, const struct portal_checkin *c, const char *triggers)
{
    db_bind_text(st, 4, c->day);
    db_bind_int64(st, 5, c->craving);
    db_bind_text(st, 6, c->mood);
    db_bind_text(st, 7, c->sleep);
    db_bind_text(st, 8, triggers);
    db_bind_text(st, 9, c->used);
    db_bind_int64(st, 10, c->confidence);
    db_bind_text_or_null(st, 11, c->note);
}

/* The alerts the check-in raises, inside the transaction. */
static enum err alerts(struct store *s, long patient, const char *id, const char *use_detail,
                       const char *craving_detail)
{
    enum err e = E_OK;

    if (use_detail)
        e = store_clinical_alert_raise(s, patient, ALERT_CHECKIN_USED, false, use_detail, id, NULL);
    if (e == E_OK && craving_detail)
        e = store_clinical_alert_raise(s, patient, ALERT_CHECKIN_CRAVING, false, craving_detail, id,
                                       NULL);
    return e;
}

enum err store_portal_checkin_add(struct store *s, long patient, const struct portal_checkin *c,
                                  const char *use_detail, const char *craving_detail,
                                  const struct audit_entry *a, char public_id[33])
{
    char *triggers = json_dumps(c->triggers, JSON_COMPACT);
    char id[33], at[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (!triggers || !json_is_array(c->triggers)) {
        free(triggers);
        return E_INVALID;
    }
    rand_hex(id, 16);
    if (db_begin(s->db) != E_OK) {
        free(triggers);
        return E_DB;
    }
    if (!(st = db_prepare(s->db, sql_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, stamp_now(at));
    bind_answers(st, c, triggers);
    if ((e = admissions_step_done(s, st, "checkin add")) == E_OK &&
        (e = alerts(s, patient, id, use_detail, craving_detail)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, id);
out:
    free(triggers);
    if ((e = admissions_finish(s, e)) == E_OK)
        memcpy(public_id, id, sizeof(id));
    return e;
}

/* A row for store_rows (NULL: not UTF-8, a failure there). */
static json_t *row_json(struct store *s, struct db_stmt *st, void *ctx)
{
    json_t *triggers = json_loads(db_col_text(st, 6), 0, NULL);

    (void)s, (void)ctx;
    if (!json_is_array(triggers)) {
        json_decref(triggers);
        triggers = json_array();
    }
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:I, s:o}", "id", db_col_text(st, 0),
                     "at", db_col_text(st, 1), "day", db_col_text(st, 2), "craving",
                     (json_int_t)db_col_int64(st, 3), "mood", db_col_text(st, 4), "sleep",
                     db_col_text(st, 5), "triggers", triggers, "used", db_col_text(st, 7),
                     "confidence", (json_int_t)db_col_int64(st, 8), "note",
                     db_col_int(st, 10) ? json_null() : json_string(db_col_text(st, 9)));
}

enum err store_portal_checkins(struct store *s, long patient, long limit, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, limit);
    return store_rows(s, st, row_json, NULL, "checkin list", out);
}

enum err store_portal_counsellor(struct store *s, long patient, char *name, size_t size)
{
    struct db_stmt *st = db_prepare(s->db, sql_counsellor);
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    name[0] = '\0';
    if ((rc = db_step(st)) == DB_ROW)
        store_copy(name, size, db_col_text(st, 0));
    else if (rc != DB_DONE)
        e = db_fail(s->db, "portal counsellor");
    db_reset(st);
    return e;
}
