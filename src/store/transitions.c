/* transitions: the chart's writes of a patient's way through the program (store/transitions.h):
 * a move or a step ends the open enrolment and enrols in the new track in one transaction, with
 * the checks applied to every enrolment (the track's opening, the patient's other enrolments,
 * R8, R9); a discharge ends the enrolment covering its date and sets the patient discharged.
 * Each writes its timeline event (patient_events, kinds of migration 0019) and its audit
 * entries. */
#include "store/transitions.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/utf8.h"
#include "domain/track.h"
#include "store/program_internal.h"

static const char sql_patient[] = "SELECT id, level, status FROM patients WHERE public_id = ?1";
static const char sql_open[] =
    "SELECT e.id, e.public_id, e.start_date, e.track_id, t.code FROM enrolments e"
    " JOIN tracks t ON t.id = e.track_id WHERE e.patient_id = ?1 AND e.end_date IS NULL";
static const char sql_patient_track[] =
    "UPDATE patients SET level = ?2, track = ?3, updated_at = ?4 WHERE id = ?1";
static const char sql_event[] =
    "INSERT INTO patient_events (patient_id, at, by_user, kind, detail, from_value, to_value,"
    " reason, on_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_enrolment[] =
    "SELECT e.id, e.start_date, coalesce(e.end_date, ''), t.code FROM enrolments e"
    " JOIN patients p ON p.id = e.patient_id JOIN tracks t ON t.id = e.track_id"
    " WHERE e.public_id = ?1 AND p.public_id = ?2";
static const char sql_later[] =
    "SELECT t.name, e.start_date FROM enrolments e JOIN tracks t ON t.id = e.track_id"
    " WHERE e.patient_id = ?1 AND e.start_date > ?2 ORDER BY e.start_date LIMIT 1";
static const char sql_covering[] =
    "SELECT id, public_id FROM enrolments WHERE patient_id = ?1 AND start_date <= ?2"
    " AND (end_date IS NULL OR end_date > ?2)";
static const char sql_discharge[] =
    "UPDATE patients SET status = 'discharged', discharge_date = ?2, discharge_reason = NULL,"
    " discharge_disposition = ?3, discharge_note = ?4, aftercare_note = ?5, updated_at = ?6"
    " WHERE id = ?1 AND status = ?7";
static const char sql_list[] =
    "SELECT e.public_id, t.public_id, t.code, t.name, t.level, e.start_date,"
    " coalesce(e.end_date, ''), coalesce(e.override_reason, ''), coalesce(e.end_reason, ''),"
    " coalesce(u.name, '') FROM enrolments e JOIN tracks t ON t.id = e.track_id"
    " LEFT JOIN users u ON u.id = e.created_by WHERE e.patient_id = ?1"
    " ORDER BY e.start_date, e.id";

/* The patient, the new track and the open enrolment, as a move reads them. */
struct move_state {
    long patient, track, open, open_track;
    char level[16], status[16], track_level[16], code[TRACK_CODE_MAX + 1];
    char open_id[PROGRAM_ID_TEXT], open_code[TRACK_CODE_MAX + 1];
    int capacity;
    caldate opens, open_start;
};

/* One timeline event; NULL strings are stored as NULL. */
struct event {
    const char *kind, *detail, *from, *to, *reason;
    caldate on;
};

static long by_of(const struct audit_entry *a)
{
    return a ? a->user_id : 0;
}

static enum err event_add(struct store *s, long patient, const struct audit_entry *a,
                          const char *now, const struct event *ev)
{
    struct db_stmt *st = db_prepare(s->db, sql_event);
    char d[CALDATE_TEXT];

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, now);
    admissions_bind_user(st, 3, by_of(a));
    db_bind_text(st, 4, ev->kind);
    db_bind_text_or_null(st, 5, ev->detail);
    db_bind_text_or_null(st, 6, ev->from);
    db_bind_text_or_null(st, 7, ev->to);
    db_bind_text_or_null(st, 8, ev->reason);
    db_bind_text(st, 9, caldate_format(ev->on, d));
    return admissions_step_done(s, st, "patient event");
}

/* A reason's own rule: 1 to max characters, no invisible formatting. */
static enum err text_ok(const char *text, long max, const char *field, const char *message,
                        struct program_why *why)
{
    long n = text ? utf8_count(text) : 1;

    if (n < 1 || n > max || (text && utf8_has_format(text)))
        return store_program_why(why, E_INVALID, field, "%s", message);
    return E_OK;
}

/* Binds a row id (?1) and a date (?2) to st and steps it once. */
static enum db_step step_id_date(struct db_stmt *st, long id, caldate day)
{
    char d[CALDATE_TEXT];

    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, caldate_format(day, d));
    return db_step(st);
}

static enum err patient_of(struct store *s, const char *public_id, struct move_state *c)
{
    struct db_stmt *st = db_prepare(s->db, sql_patient);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        c->patient = (long)db_col_int64(st, 0);
        store_copy(c->level, sizeof(c->level), db_col_text(st, 1));
        store_copy(c->status, sizeof(c->status), db_col_text(st, 2));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "transition patient");
    }
    db_reset(st);
    return e;
}

static enum err track_of(struct store *s, const char *public_id, struct move_state *c,
                         struct program_why *why)
{
    struct program_track_row t;
    enum err e = store_program_track_row(s, public_id, "transition track", &t);

    if (e == E_NOTFOUND)
        return store_program_why(why, E_INVALID, "track_id",
                                 "Please choose a track from the list.");
    if (e == E_OK) {
        c->track = t.id;
        c->opens = t.opens;
        c->capacity = t.capacity;
        store_copy(c->track_level, sizeof(c->track_level), t.level);
        store_copy(c->code, sizeof(c->code), t.code);
    }
    return e;
}

/* The open enrolment (at most one: an open one covers every later date); c->open 0: none. */
static enum err open_of(struct store *s, struct move_state *c)
{
    struct db_stmt *st = db_prepare(s->db, sql_open);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, c->patient);
    if ((rc = db_step(st)) == DB_ROW) {
        c->open = (long)db_col_int64(st, 0);
        store_copy(c->open_id, sizeof(c->open_id), db_col_text(st, 1));
        if (!caldate_parse(db_col_text(st, 2), &c->open_start))
            c->open_start = 0;
        c->open_track = (long)db_col_int64(st, 3);
        store_copy(c->open_code, sizeof(c->open_code), db_col_text(st, 4));
    }
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "open enrolment");
}

/* What the move asks of the patient, the track and the open enrolment, before any write. */
static enum err move_allowed(const struct move_state *c, const struct transition_move *m,
                             struct program_why *why)
{
    char d[CALDATE_TEXT];
    bool same_level = strcmp(c->level, c->track_level) == 0;

    if (!strcmp(c->status, "discharged"))
        return store_program_why(why, E_CONFLICT, "track_id",
                                 "The patient is discharged: re-activate them first.");
    if (m->start < c->opens)
        return store_program_why(why, E_INVALID, "start", "The track opens on %s.",
                                 caldate_format(c->opens, d));
    if (m->step && same_level)
        return store_program_why(why, E_INVALID, "track_id",
                                 "That track is at the patient's level of care now. To change "
                                 "the track only, use \"Move to another track\".");
    if (!m->step && !same_level)
        return store_program_why(why, E_INVALID, "track_id",
                                 "That track is at another level of care. To change the level, "
                                 "use \"Step up or down\".");
    if (!c->open && !m->step)
        return store_program_why(why, E_CONFLICT, "track_id",
                                 "The patient has no open enrolment to move. Please use \"Join "
                                 "a track\".");
    if (c->open && c->open_track == c->track)
        return store_program_why(why, E_INVALID, "track_id", "The patient is in this track now.");
    if (c->open && m->start <= c->open_start)
        return store_program_why(why, E_INVALID, "start",
                                 "The new track starts after the present enrolment's first day "
                                 "(%s).",
                                 caldate_format(c->open_start, d));
    return E_OK;
}

/* Ends the open enrolment on the day before the move (the new enrolment's checks then find any
 * other that is left). */
static enum err open_end(struct store *s, const struct move_state *c,
                         const struct transition_move *m, const struct audit_entry *a)
{
    enum err e;

    if (!c->open)
        return E_OK;
    if ((e = store_program_set_end(s, c->open, m->start - 1, m->reason)) != E_OK)
        return e;
    return admissions_audit(s, a, "update", "enrolment", c->open_id);
}

/* The new enrolment (with the checks every enrolment gets), the patient's level and track, the
 * event and the entries. */
static enum err move_write(struct store *s, const struct move_state *c,
                           const struct transition_move *m, const struct audit_entry *a,
                           char id[PROGRAM_ID_TEXT], struct program_why *why)
{
    const struct program_enrolment en = {.track_id = m->track_id, .start = m->start,
                                         .end = CALDATE_OPEN,
                                         .override_reason = m->override_reason,
                                         .is_admin = m->is_admin};
    struct db_stmt *st;
    char now[STAMP_LEN];
    long row = 0;
    enum err e;

    stamp_now(now);
    if ((e = store_program_enrol_in(s, c->patient, c->track, c->capacity, &en, a, now, id, &row,
                                    why)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_patient_track)))
        return E_DB;
    db_bind_int64(st, 1, c->patient);
    db_bind_text(st, 2, m->step ? c->track_level : c->level);
    db_bind_text(st, 3, c->code);
    db_bind_text(st, 4, now);
    if ((e = admissions_step_done(s, st, "patient track")) != E_OK)
        return e;
    return event_add(s, c->patient, a, now,
                     &(struct event){.kind = m->step ? "level-changed" : "track-moved",
                                     .detail = id,
                                     .from = m->step ? c->level : c->open_code,
                                     .to = m->step ? c->track_level : c->code,
                                     .reason = m->reason, .on = m->start});
}

/* store_program_sessions_ready of the public ids; nothing when one is missing (the
 * transaction names what is). */
static enum err sessions_ready(struct store *s, const char *patient_id, const char *track_id,
                               caldate from)
{
    long patient = 0, track = 0;

    if (store_program_patient_id(s, patient_id, &patient) != E_OK ||
        store_program_track_id(s, track_id, &track) != E_OK)
        return E_OK;
    return store_program_sessions_ready(s, patient, track, from);
}

enum err store_transition_move(struct store *s, const char *patient_id,
                               const struct transition_move *m, const struct audit_entry *a,
                               char enrolment_id[33], struct program_why *why)
{
    struct move_state c = {0};
    enum err e;

    if (m->step && !m->reason)
        return store_program_why(why, E_INVALID, "reason",
                                 "Please give the reason for the change of level.");
    if ((m->reason && (e = text_ok(m->reason, 300, "reason",
                                   "A reason is 1 to 300 characters.", why))) ||
        (m->override_reason &&
         (e = text_ok(m->override_reason, 300, "override_reason",
                      "A reason to go past the capacity is 1 to 300 characters.", why))))
        return e;
    if ((e = sessions_ready(s, patient_id, m->track_id, m->start)) != E_OK)
        return e;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_of(s, patient_id, &c)) != E_OK ||
        (e = track_of(s, m->track_id, &c, why)) != E_OK || (e = open_of(s, &c)) != E_OK ||
        (e = move_allowed(&c, m, why)) != E_OK || (e = open_end(s, &c, m, a)) != E_OK ||
        (e = move_write(s, &c, m, a, enrolment_id, why)) != E_OK)
        goto out;
    e = admissions_audit(s, a, "update", "patient", patient_id);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("patient %s %s to enrolment %s", patient_id, m->step ? "stepped" : "moved",
                 enrolment_id);
    return e;
}

/* The enrolment being ended: row id, start, present end (CALDATE_OPEN) and track code. */
struct ending {
    long id;
    caldate start, end;
    char code[TRACK_CODE_MAX + 1];
};

static enum err ending_of(struct store *s, const char *patient_id, const char *enrolment_id,
                          struct ending *x)
{
    struct db_stmt *st = db_prepare(s->db, sql_enrolment);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, enrolment_id ? enrolment_id : "");
    db_bind_text(st, 2, patient_id ? patient_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        x->id = (long)db_col_int64(st, 0);
        if (!caldate_parse(db_col_text(st, 1), &x->start))
            x->start = 0;
        if (!caldate_parse(db_col_text(st, 2), &x->end))
            x->end = CALDATE_OPEN;
        store_copy(x->code, sizeof(x->code), db_col_text(st, 3));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "enrolment");
    }
    db_reset(st);
    return e;
}

enum err store_transition_end(struct store *s, const char *patient_id, const char *enrolment_id,
                              caldate end, const char *reason, const struct audit_entry *a,
                              struct program_why *why)
{
    struct ending x = {0};
    char now[STAMP_LEN], d[CALDATE_TEXT];
    long patient = 0;
    enum err e;

    if (reason && (e = text_ok(reason, 300, "end_reason", "A reason is 1 to 300 characters.",
                               why)) != E_OK)
        return e;
    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = store_program_patient_id(s, patient_id, &patient)) != E_OK ||
        (e = ending_of(s, patient_id, enrolment_id, &x)) != E_OK)
        goto out;
    if (end < x.start) {
        e = store_program_why(why, E_INVALID, "end", "The enrolment started on %s: it cannot "
                              "end before then.", caldate_format(x.start, d));
        goto out;
    }
    /* Shortening only: a later end adds dates to the track's roster, which the API checks. */
    if (x.end != CALDATE_OPEN && end >= x.end) {
        e = store_program_why(why, E_INVALID, "end", "The enrolment ends on %s already.",
                              caldate_format(x.end, d));
        goto out;
    }
    if ((e = store_program_set_end(s, x.id, end, reason)) != E_OK ||
        (e = event_add(s, patient, a, now,
                       &(struct event){.kind = "enrolment-ended", .detail = enrolment_id,
                                       .to = x.code, .reason = reason, .on = end})) != E_OK)
        goto out;
    e = admissions_audit(s, a, "update", "enrolment", enrolment_id);
out:
    return admissions_finish(s, e);
}

/* The discharge's enrolments: none may start after its date; the one covering it (or ending
 * later) ends on it, audited. */
static enum err discharge_enrolments(struct store *s, long patient,
                                     const struct transition_discharge *d,
                                     const struct audit_entry *a, struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_later);
    char id[PROGRAM_ID_TEXT] = "";
    long row = 0;
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    if ((rc = step_id_date(st, patient, d->date)) == DB_ROW)
        e = store_program_why(why, E_CONFLICT, "discharge_date",
                              "The patient's enrolment in %s starts on %s, after this date. "
                              "Please end it first, or discharge on a later date.",
                              db_col_text(st, 0), db_col_text(st, 1));
    else if (rc != DB_DONE)
        e = db_fail(s->db, "later enrolment");
    db_reset(st);
    if (e != E_OK || !(st = db_prepare(s->db, sql_covering)))
        return e != E_OK ? e : E_DB;
    if ((rc = step_id_date(st, patient, d->date)) == DB_ROW) {
        row = (long)db_col_int64(st, 0);
        store_copy(id, sizeof(id), db_col_text(st, 1));
    }
    db_reset(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? E_OK : db_fail(s->db, "covering enrolment");
    if ((e = store_program_set_end(s, row, d->date, d->enrolment_reason)) != E_OK)
        return e;
    return admissions_audit(s, a, "update", "enrolment", id);
}

enum err store_transition_discharge(struct store *s, const char *patient_id,
                                    const struct transition_discharge *d,
                                    const struct audit_entry *a, struct program_why *why)
{
    struct move_state c = {0};
    struct db_stmt *st;
    char now[STAMP_LEN], day[CALDATE_TEXT];
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_of(s, patient_id, &c)) != E_OK)
        goto out;
    if (!d->from || strcmp(d->from, c.status) != 0 || !strcmp(c.status, "discharged")) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = discharge_enrolments(s, c.patient, d, a, why)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_discharge))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, c.patient);
    db_bind_text(st, 2, caldate_format(d->date, day));
    db_bind_text(st, 3, d->reason);
    db_bind_text_or_null(st, 4, d->note);
    db_bind_text_or_null(st, 5, d->aftercare);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, c.status);
    if ((e = admissions_step_done(s, st, "discharge")) != E_OK)
        goto out;
    /* The status change every reader of a discharge knows (the consents' end of treatment). */
    if ((e = event_add(s, c.patient, a, now,
                       &(struct event){.kind = "status-change", .detail = d->reason,
                                       .from = c.status, .to = "discharged", .reason = d->note,
                                       .on = d->date})) != E_OK)
        goto out;
    e = admissions_audit(s, a, "update", "patient", patient_id);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("patient %s discharged", patient_id);
    return e;
}

static json_t *enrolment_row(struct store *s, struct db_stmt *st, void *ctx)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          db_col_text(st, 0), "track_id", db_col_text(st, 1), "track_code",
                          db_col_text(st, 2), "track_name", db_col_text(st, 3), "level",
                          db_col_text(st, 4), "start", db_col_text(st, 5), "end",
                          db_col_text(st, 6), "override_reason", db_col_text(st, 7),
                          "end_reason", db_col_text(st, 8), "by", db_col_text(st, 9));
    (void)s;
    (void)ctx;
    if (!o)
        log_error("store: a stored enrolment does not fit the chart's model (not UTF-8?)");
    return o;
}

enum err store_transition_enrolments(struct store *s, const char *patient_id, json_t **out)
{
    struct db_stmt *st;
    long patient = 0;
    enum err e = store_program_patient_id(s, patient_id, &patient);

    if (e != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_list)))
        return E_DB;
    db_bind_int64(st, 1, patient);
    return store_rows(s, st, enrolment_row, NULL, "enrolments", out);
}
