/* kiosk: the check-in kiosk's rows (store/kiosk.h): devices with their hashed tokens, the count
 * of wrong codes that pauses a device, and patients' personal check-in codes, drawn from the
 * CSPRNG and checked free inside the write transaction (a check first rather than a refused
 * insert, which would abort the whole transaction on PostgreSQL). */
#include "store/kiosk.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/rand.h"
#include "store/audit.h"
#include "store/program_internal.h"

/* Draws before a free code is found: with 10^8 codes and even 10^6 patients holding one, eight
 * taken draws in a row happen once in 10^16 tries. */
#define CODE_TRIES 8

static const char sql_add[] =
    "INSERT INTO kiosk_devices (public_id, name, place, token_hash, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* Active devices first, then the revoked ones, newest first in each. */
#define DEVICE_SELECT                                                                              \
    "SELECT d.public_id, d.name, coalesce(d.place, ''), coalesce(u.name, ''), d.created_at,"       \
    " coalesce(d.last_used_at, ''), coalesce(d.last_used_from, ''), d.revoked_at IS NOT NULL,"     \
    " coalesce(d.revoked_at, ''), coalesce(v.name, '') FROM kiosk_devices d"                       \
    " LEFT JOIN users u ON u.id = d.created_by LEFT JOIN users v ON v.id = d.revoked_by"
static const char sql_list[] = DEVICE_SELECT " ORDER BY d.revoked_at IS NOT NULL, d.id DESC";
static const char sql_get[] = DEVICE_SELECT " WHERE d.public_id = ?1";
static const char sql_revoke[] = "UPDATE kiosk_devices SET revoked_at = ?2, revoked_by = ?3"
                                 " WHERE public_id = ?1 AND revoked_at IS NULL";
static const char sql_device_id[] = "SELECT id FROM kiosk_devices WHERE public_id = ?1";
static const char sql_device[] =
    "SELECT id, public_id, revoked_at IS NOT NULL, coalesce(paused_until, '')"
    " FROM kiosk_devices WHERE token_hash = ?1";
static const char sql_used[] =
    "UPDATE kiosk_devices SET last_used_at = ?2, last_used_from = ?3 WHERE id = ?1";
static const char sql_count[] =
    "SELECT wrong_count, coalesce(wrong_since, '') FROM kiosk_devices WHERE id = ?1";
static const char sql_count_set[] =
    "UPDATE kiosk_devices SET wrong_count = ?2, wrong_since = ?3, paused_until = ?4"
    " WHERE id = ?1";
static const char sql_code_of[] =
    "SELECT p.id, p.status = 'discharged', coalesce(c.code, '') FROM patients p"
    " LEFT JOIN checkin_codes c ON c.patient_id = p.id WHERE p.public_id = ?1";
static const char sql_code_taken[] = "SELECT count(*) FROM checkin_codes WHERE code = ?1";
static const char sql_code_put[] =
    "INSERT INTO checkin_codes (patient_id, code, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (patient_id) DO UPDATE SET code = excluded.code,"
    " created_at = excluded.created_at";
static const char sql_find[] =
    "SELECT p.public_id, p.first_name FROM checkin_codes c JOIN patients p"
    " ON p.id = c.patient_id WHERE c.code = ?1 AND p.status <> 'discharged'";
static const char sql_recorded[] =
    "SELECT count(*) FROM attendance a JOIN program_sessions s ON s.id = a.session_id"
    " JOIN patients p ON p.id = a.patient_id WHERE s.public_id = ?1 AND p.public_id = ?2";

/* Runs the cached one-row query sql keyed by text (by num when text is NULL) and has fill read
 * its row into out. E_OK, E_NOTFOUND (no row) or E_DB (logged with what). */
static enum err one_row(struct store *s, const char *sql, const char *text, long num,
                        void (*fill)(struct db_stmt *st, void *out), void *out, const char *what)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    if (text)
        db_bind_text(st, 1, text);
    else
        db_bind_int64(st, 1, num);
    if ((rc = db_step(st)) == DB_ROW) {
        fill(st, out);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, what);
    }
    db_reset(st);
    return e;
}

enum err store_kiosk_add(struct store *s, const char *name, const char *place,
                         const char *token_hash, long by, const struct audit_entry *a,
                         char public_id[33])
{
    struct db_stmt *st;
    char now[STAMP_LEN], id[33];
    enum err e;

    rand_hex(id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text_or_null(st, 3, place);
    db_bind_text(st, 4, token_hash);
    admissions_bind_user(st, 5, by);
    db_bind_text(st, 6, stamp_now(now));
    if ((e = admissions_step_done(s, st, "kiosk add")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, id);
out:
    if ((e = admissions_finish(s, e)) == E_OK)
        memcpy(public_id, id, sizeof(id));
    return e;
}

static json_t *device_json(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "public_id",
                     db_col_text(st, 0), "name", db_col_text(st, 1), "place", db_col_text(st, 2),
                     "created_by", db_col_text(st, 3), "created_at", db_col_text(st, 4),
                     "last_used_at", db_col_text(st, 5), "last_used_from", db_col_text(st, 6),
                     "revoked", db_col_int(st, 7), "revoked_at", db_col_text(st, 8), "revoked_by",
                     db_col_text(st, 9));
}

/* The devices a statement (bound) selects, into *out; the statement is reset. */
static enum err devices(struct store *s, struct db_stmt *st, json_t **out)
{
    json_t *rows = json_array();
    enum db_step rc;
    enum err e = E_OK;

    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, device_json(st), "kiosk device")) {
            e = E_DB;
            break;
        }
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, "kiosk list");
    db_reset(st);
    if (e != E_OK) {
        json_decref(rows);
        rows = NULL;
    }
    *out = rows;
    return e;
}

enum err store_kiosk_list(struct store *s, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);

    *out = NULL;
    return st ? devices(s, st, out) : E_DB;
}

enum err store_kiosk_get(struct store *s, const char *public_id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_get);
    json_t *rows = NULL;
    enum err e;

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((e = devices(s, st, &rows)) == E_OK)
        e = store_program_one(rows, out);
    return e;
}

enum err store_kiosk_revoke(struct store *s, const char *public_id, long by,
                            const struct audit_entry *a)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long id;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_revoke))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, public_id ? public_id : "");
    db_bind_text(st, 2, stamp_now(now));
    admissions_bind_user(st, 3, by);
    if ((e = admissions_step_done(s, st, "kiosk revoke")) != E_OK)
        goto out;
    if (db_changes(s->db) == 0) {
        /* Nothing changed: no such device, or one revoked already. */
        e = admissions_id_of(s, sql_device_id, public_id ? public_id : "", &id);
        e = e == E_OK ? E_CONFLICT : e;
        goto out;
    }
    e = admissions_audit(s, a, NULL, NULL, public_id);
out:
    return admissions_finish(s, e);
}

static void device_fill(struct db_stmt *st, void *out)
{
    struct kiosk_device *d = out;

    d->id = (long)db_col_int64(st, 0);
    store_copy(d->public_id, sizeof(d->public_id), db_col_text(st, 1));
    d->revoked = db_col_int(st, 2) != 0;
    d->paused_until = stamp_parse(db_col_text(st, 3));
}

enum err store_kiosk_device(struct store *s, const char *token_hash, struct kiosk_device *out)
{
    return one_row(s, sql_device, token_hash ? token_hash : "", 0, device_fill, out,
                   "kiosk device");
}

enum err store_kiosk_used(struct store *s, long id, long now, const char *client,
                          const struct audit_entry *a)
{
    struct db_stmt *st;
    char at[STAMP_LEN];
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_used))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, stamp_iso(now, at));
    db_bind_text(st, 3, client && *client ? client : "-");
    if ((e = admissions_step_done(s, st, "kiosk used")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

/* The device's count of wrong codes and when its window began (0: none). */
struct wrong_row {
    long count, since;
};

static void wrong_fill(struct db_stmt *st, void *out)
{
    struct wrong_row *w = out;

    w->count = (long)db_col_int64(st, 0);
    w->since = stamp_parse(db_col_text(st, 1));
}

enum err store_kiosk_wrong(struct store *s, long id, long now, int limit, long window, long pause,
                           const struct audit_entry *a, const struct audit_entry *pause_entry,
                           bool *paused)
{
    struct db_stmt *st;
    char since_text[STAMP_LEN], until_text[STAMP_LEN];
    struct wrong_row w = { 0, 0 };
    long count, since;
    enum err e;

    *paused = false;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = one_row(s, sql_count, NULL, id, wrong_fill, &w, "kiosk wrong count")) != E_OK)
        goto out;
    count = w.count;
    since = w.since;
    if (!since || now - since >= window) {
        count = 0;
        since = now;
    }
    if (++count >= limit)
        *paused = true;
    if (!(st = db_prepare(s->db, sql_count_set))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, *paused ? 0 : count);
    if (*paused) {
        db_bind_null(st, 3);
        db_bind_text(st, 4, stamp_iso(now + pause, until_text));
    } else {
        db_bind_text(st, 3, stamp_iso(since, since_text));
        db_bind_null(st, 4);
    }
    if ((e = admissions_step_done(s, st, "kiosk wrong code")) != E_OK ||
        (e = admissions_audit(s, a, NULL, NULL, NULL)) != E_OK)
        goto out;
    if (*paused)
        e = admissions_audit(s, pause_entry, NULL, NULL, NULL);
out:
    if (e != E_OK)
        *paused = false;
    return admissions_finish(s, e);
}

/* ---- check-in codes ---------------------------------------------------------------------- */

/* A code of eight digits from the CSPRNG, uniform: draws at or above the largest multiple of
 * 10^8 that fits 32 bits are drawn again, so that no code is likelier than another. */
static void code_draw(char out[KIOSK_CODE_TEXT])
{
    const uint32_t span = 100000000u, top = 4200000000u; /* 42 * span <= 2^32 */
    uint32_t v;

    do
        rand_bytes(&v, sizeof(v));
    while (v >= top);
    snprintf(out, KIOSK_CODE_TEXT, "%08u", (unsigned)(v % span));
}

/* A patient as their code needs them: row id, discharged or not, code ("" when none). */
struct code_row {
    long patient;
    bool discharged;
    char *code; /* KIOSK_CODE_TEXT bytes */
};

static void code_fill(struct db_stmt *st, void *out)
{
    struct code_row *c = out;

    c->patient = (long)db_col_int64(st, 0);
    c->discharged = db_col_int(st, 1) != 0;
    store_copy(c->code, KIOSK_CODE_TEXT, db_col_text(st, 2));
}

static enum err code_of(struct store *s, const char *public_id, struct code_row *c)
{
    return one_row(s, sql_code_of, public_id ? public_id : "", 0, code_fill, c, "checkin code of");
}

/* Gives the patient a new code no one holds, inside the caller's write transaction. */
static enum err code_put(struct store *s, long patient, char out[KIOSK_CODE_TEXT])
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    enum db_step rc;
    long taken = 1;

    for (int i = 0; i < CODE_TRIES && taken; i++) {
        if (!(st = db_prepare(s->db, sql_code_taken)))
            return E_DB;
        code_draw(out);
        db_bind_text(st, 1, out);
        rc = db_step(st);
        taken = rc == DB_ROW ? (long)db_col_int64(st, 0) : -1;
        db_reset(st);
        if (taken < 0)
            return db_fail(s->db, "checkin code taken");
    }
    if (taken || !(st = db_prepare(s->db, sql_code_put)))
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, out);
    db_bind_text(st, 3, stamp_now(now));
    return admissions_step_done(s, st, "checkin code");
}

/* The patient's code, a new one when renew or when they have none (a discharged patient gets
 * none: E_CONFLICT); the audit entry a with it. */
static enum err code_make(struct store *s, const char *public_id, bool renew,
                          const struct audit_entry *a, char *out)
{
    struct code_row c = { 0, false, out };
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = code_of(s, public_id, &c)) != E_OK)
        goto out;
    if (*out && !renew)
        goto out; /* made meanwhile by another request */
    if (c.discharged) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = code_put(s, c.patient, out)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, public_id);
out:
    if (e != E_OK)
        *out = '\0';
    return admissions_finish(s, e);
}

enum err store_checkin_code(struct store *s, const char *patient_public_id, char *out)
{
    struct code_row c = { 0, false, out };
    enum err e;

    /* Most views find the code made already: a read, no write lock. */
    if ((e = code_of(s, patient_public_id, &c)) != E_OK || *out)
        return e;
    return code_make(s, patient_public_id, false, NULL, out);
}

enum err store_checkin_code_renew(struct store *s, const char *patient_public_id,
                                  const struct audit_entry *a, char *out)
{
    return code_make(s, patient_public_id, true, a, out);
}

/* The patient a code names: public id and first name. */
struct found_row {
    char *public_id, *first_name;
};

static void found_fill(struct db_stmt *st, void *out)
{
    struct found_row *f = out;

    store_copy(f->public_id, 33, db_col_text(st, 0));
    store_copy(f->first_name, KIOSK_TEXT_MAX, db_col_text(st, 1));
}

enum err store_checkin_find(struct store *s, const char *code, char patient_public_id[33],
                            char first_name[KIOSK_TEXT_MAX])
{
    struct found_row f = { patient_public_id, first_name };

    return one_row(s, sql_find, code ? code : "", 0, found_fill, &f, "checkin find");
}

enum err store_checkin_recorded(struct store *s, const char *session_id, const char *patient_id,
                                bool *recorded)
{
    struct db_stmt *st = db_prepare(s->db, sql_recorded);
    enum db_step rc;

    *recorded = false;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, session_id ? session_id : "");
    db_bind_text(st, 2, patient_id ? patient_id : "");
    if ((rc = db_step(st)) == DB_ROW)
        *recorded = db_col_int64(st, 0) > 0;
    db_reset(st);
    return rc == DB_ROW ? E_OK : db_fail(s->db, "checkin recorded");
}
