/* clinical_alerts: raising the clinical alerts of store/clinical_alerts.h, addressed to the
 * patient's counsellor as recorded at the moment the alert is raised; reading them (open ones
 * across the clinic, or one patient's) and the follow-up that closes one. */
#include "store/clinical_alerts.h"

#include <string.h>

#include "core/rand.h"
#include "domain/audit_chain.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/stamp.h"
#include "store/store_internal.h"

static const char sql_raise[] =
    "INSERT INTO clinical_alerts (public_id, patient_id, kind, urgent, detail, source_id,"
    " counsellor_id, raised_at)"
    " SELECT ?1, p.id, ?3, ?4, ?5, ?6, p.counsellor_id, ?7 FROM patients p WHERE p.id = ?2";

enum err store_clinical_alert_raise(struct store *s, long patient, const char *kind, bool urgent,
                                    const char *detail, const char *source_id, char *public_id)
{
    struct db_stmt *st = db_prepare(s->db, sql_raise);
    char id[33], now[STAMP_LEN];
    enum err e;

    if (!st)
        return E_DB;
    rand_hex(id, 16);
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, kind);
    db_bind_int64(st, 4, urgent);
    db_bind_text(st, 5, detail);
    db_bind_text_or_null(st, 6, source_id);
    db_bind_text(st, 7, stamp_now(now));
    e = db_run(st, "raise a clinical alert");
    if (e == E_OK && db_changes(s->db) != 1)
        e = E_NOTFOUND;
    if (e == E_OK && public_id)
        store_copy(public_id, 33, id);
    return e;
}

/* ---- reading and following up ------------------------------------------------------------ */

#define ALERT_COLUMNS                                                                           \
    "SELECT a.public_id, p.public_id, p.first_name || ' ' || p.last_name, a.kind, a.urgent,"    \
    " a.detail, COALESCE(a.source_id, ''), a.raised_at, COALESCE(u.name, ''),"                  \
    " COALESCE(u.public_id, ''), CASE WHEN a.counsellor_id = ?1 THEN 1 ELSE 0 END,"             \
    " a.followed_up_at IS NULL, COALESCE(a.followed_up_at, ''), COALESCE(f.name, ''),"          \
    " COALESCE(a.follow_up, '') FROM clinical_alerts a JOIN patients p ON p.id = a.patient_id"  \
    " LEFT JOIN users u ON u.id = a.counsellor_id LEFT JOIN users f ON f.id = a.followed_up_by"

static const char sql_open[] = ALERT_COLUMNS
    " WHERE a.followed_up_at IS NULL"
    " ORDER BY a.urgent DESC, CASE WHEN a.counsellor_id = ?1 THEN 0 ELSE 1 END, a.raised_at,"
    " a.id";
static const char sql_of[] = ALERT_COLUMNS
    " WHERE a.patient_id = ?2 AND (?3 = 0 OR a.followed_up_at IS NULL)"
    " ORDER BY a.followed_up_at IS NULL DESC, a.raised_at DESC, a.id DESC";
static const char sql_get[] = ALERT_COLUMNS " WHERE a.public_id = ?2";
static const char sql_follow_up[] =
    "UPDATE clinical_alerts SET followed_up_by = ?2, followed_up_at = ?3, follow_up = ?4"
    " WHERE public_id = ?1 AND followed_up_at IS NULL";
static const char sql_exists[] = "SELECT 1 FROM clinical_alerts WHERE public_id = ?1";

static json_t *alert_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s}",
                     "id", db_col_text(st, 0), "patient_id", db_col_text(st, 1), "patient_name",
                     db_col_text(st, 2), "kind", db_col_text(st, 3), "urgent", db_col_int(st, 4),
                     "detail", db_col_text(st, 5), "source_id", db_col_text(st, 6), "raised_at",
                     db_col_text(st, 7), "counsellor", db_col_text(st, 8), "counsellor_id",
                     db_col_text(st, 9), "mine", db_col_int(st, 10), "open", db_col_int(st, 11),
                     "followed_up_at", db_col_text(st, 12), "followed_up_by", db_col_text(st, 13),
                     "follow_up", db_col_text(st, 14));
}

/* Runs a prepared, bound alert query into a new array in *out. */
static enum err alert_rows(struct store *s, struct db_stmt *st, const char *what, json_t **out)
{
    json_t *list = json_array();
    enum err e = E_OK;
    int rc;

    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, alert_row(st));
    if (rc != DB_DONE)
        e = db_fail(s->db, what);
    db_finish(st);
    if (e != E_OK)
        json_decref(list);
    *out = e == E_OK ? list : NULL;
    return e;
}

enum err store_clinical_alerts_open(struct store *s, long counsellor, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_open);

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, counsellor);
    return alert_rows(s, st, "clinical alerts open", out);
}

enum err store_clinical_alerts_of(struct store *s, long patient, bool open_only, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_of);

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, 0);
    db_bind_int64(st, 2, patient);
    db_bind_int64(st, 3, open_only);
    return alert_rows(s, st, "clinical alerts of a patient", out);
}

enum err store_clinical_alert_get(struct store *s, const char *public_id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_get);
    json_t *list = NULL;
    enum err e;

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, 0);
    db_bind_text(st, 2, public_id);
    if ((e = alert_rows(s, st, "clinical alert get", &list)) != E_OK)
        return e;
    if (json_array_size(list))
        *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    return *out ? E_OK : E_NOTFOUND;
}

/* Why no row changed: no such alert, or one followed up already. */
static enum err follow_up_refusal(struct store *s, const char *public_id)
{
    struct db_stmt *st = db_prepare(s->db, sql_exists);
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    db_finish(st);
    return rc == DB_ROW ? E_CONFLICT : rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "alert");
}

enum err store_clinical_alert_follow_up(struct store *s, const char *public_id, long by_user,
                                        const char *follow_up, const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    struct audit_entry a;
    enum err e;

    if (!follow_up || !*follow_up || strlen(follow_up) > CLINICAL_ALERT_FOLLOW_UP_MAX)
        return E_INVALID;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_follow_up))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, public_id);
    db_bind_int64(st, 2, by_user);
    db_bind_text(st, 3, stamp_now(now));
    db_bind_text(st, 4, follow_up);
    if ((e = db_run(st, "clinical alert follow-up")) == E_OK && db_changes(s->db) != 1)
        e = follow_up_refusal(s, public_id);
    if (e == E_OK && audit) {
        a = *audit;
        a.action = "update";
        a.record_type = "clinical-alert";
        a.record_id = public_id;
        e = store_audit_append(s, &a) == E_OK ? E_OK : E_DB;
    }
out:
    if (e == E_OK)
        return db_commit(s->db);
    db_rollback(s->db);
    return e;
}
