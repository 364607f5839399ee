/* messages: threads between a patient and the care team (store/messages.h). Who may read a
 * thread is decided here, once, by store_message_may_read, on the thread's patient and that
 * patient's counsellor of the moment; every read and write goes through it. Messages keep
 * millisecond times so that a message and its answer in the same second stay in order. */
#include "store/messages.h"

#include <string.h>

#include "core/rand.h"
#include "store/admissions_internal.h"

/* ?1 patient reader, ?2 staff reader, ?3 admin, ?4 the side whose messages are unread to the
 * reader (1: the patient's). */
#define THREAD_COLS                                                                             \
    "SELECT t.public_id, t.subject, p.public_id, p.first_name || ' ' || p.last_name,"          \
    " COALESCE(u.name, ''), t.created_at, t.last_at,"                                         \
    " (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.from_patient = ?4"       \
    "  AND m.read_at IS NULL),"                                                                \
    " (SELECT min(m.at) FROM messages m WHERE m.thread_id = t.id AND m.from_patient = 1"       \
    "  AND m.at > COALESCE((SELECT max(x.at) FROM messages x WHERE x.thread_id = t.id"         \
    "  AND x.from_patient = 0), '')), t.id, t.patient_id, p.counsellor_id"                      \
    " FROM message_threads t JOIN patients p ON p.id = t.patient_id"                           \
    " LEFT JOIN users u ON u.id = p.counsellor_id"

static const char sql_threads[] =
    THREAD_COLS " WHERE (?1 > 0 AND t.patient_id = ?1)"
                " OR (?1 <= 0 AND ?2 > 0 AND (?3 = 1 OR p.counsellor_id = ?2))"
                " ORDER BY t.last_at DESC, t.id DESC";
static const char sql_thread[] = THREAD_COLS " WHERE t.public_id = ?5";
static const char sql_unread[] =
    "SELECT count(*) FROM messages m JOIN message_threads t ON t.id = m.thread_id"
    " JOIN patients p ON p.id = t.patient_id WHERE m.read_at IS NULL AND"
    " ((?1 > 0 AND t.patient_id = ?1 AND m.from_patient = 0)"
    " OR (?1 <= 0 AND ?2 > 0 AND p.counsellor_id = ?2 AND m.from_patient = 1))";
static const char sql_start[] =
    "INSERT INTO message_threads (public_id, patient_id, subject, created_at, last_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id";
static const char sql_add[] =
    "INSERT INTO messages (thread_id, from_patient, author_user_id, body, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_touch[] = "UPDATE message_threads SET last_at = ?2 WHERE id = ?1";
static const char sql_mark[] =
    "UPDATE messages SET read_at = ?3 WHERE thread_id = ?1 AND from_patient = ?2"
    " AND read_at IS NULL";
static const char sql_messages[] =
    "SELECT m.from_patient, COALESCE(u.name, ''), m.body, m.at FROM messages m"
    " LEFT JOIN users u ON u.id = m.author_user_id WHERE m.thread_id = ?1 ORDER BY m.at, m.id";
static const char sql_notify_get[] =
    "SELECT notify_messages FROM portal_prefs WHERE patient_id = ?1";
static const char sql_notify_set[] =
    "INSERT INTO portal_prefs (patient_id, notify_messages, updated_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (patient_id) DO UPDATE SET notify_messages = excluded.notify_messages,"
    " updated_at = excluded.updated_at";
static const char sql_email[] = "SELECT COALESCE(email, '') FROM patients WHERE id = ?1";

bool store_message_may_read(const struct message_reader *r, long p, long c)
{
    if (r->patient > 0)
        return r->patient == p;
    return r->user > 0 && (r->admin || r->user == c);
}

static bool body_ok(const char *t, size_t max)
{
    return t && t[0] && strlen(t) <= max;
}

/* Binds the reader's part of THREAD_COLS. */
static void bind_reader(struct db_stmt *st, const struct message_reader *r)
{
    db_bind_int64(st, 1, r->patient);
    db_bind_int64(st, 2, r->user);
    db_bind_int64(st, 3, r->admin);
    db_bind_int64(st, 4, r->patient > 0 ? 0 : 1);
}

/* A THREAD_COLS row as JSON. */
static json_t *thread_json(struct db_stmt *st, long reply_hours, long now)
{
    bool waiting = !db_col_is_null(st, 8);
    long since = waiting ? stamp_parse(db_col_text(st, 8)) : 0;

    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:b}", "id",
                     db_col_text(st, 0), "subject", db_col_text(st, 1), "patient_id",
                     db_col_text(st, 2), "patient_name", db_col_text(st, 3), "counsellor",
                     db_col_text(st, 4), "created_at", db_col_text(st, 5), "last_at",
                     db_col_text(st, 6), "unread", (json_int_t)db_col_int64(st, 7), "has_unread",
                     db_col_int64(st, 7) > 0, "waiting_since",
                     waiting ? json_string(db_col_text(st, 8)) : json_null(), "overdue",
                     waiting && since > 0 && now - since > reply_hours * 3600);
}

enum err store_message_threads(struct store *s, const struct message_reader *r, long reply_hours,
                               long now, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_threads);
    json_t *rows = json_array();
    enum db_step rc;
    enum err e = E_OK;

    *out = NULL;
    if (!st) {
        json_decref(rows);
        return E_DB;
    }
    bind_reader(st, r);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, thread_json(st, reply_hours, now), "message thread")) {
            e = E_DB;
            break;
        }
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, "message threads");
    db_reset(st);
    if (e == E_OK)
        *out = rows;
    else
        json_decref(rows);
    return e;
}

enum err store_message_unread(struct store *s, const struct message_reader *r, long *count)
{
    struct db_stmt *st = db_prepare(s->db, sql_unread);
    enum err e = E_OK;

    *count = 0;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, r->patient);
    db_bind_int64(st, 2, r->user);
    if (db_step(st) == DB_ROW)
        *count = (long)db_col_int64(st, 0);
    else
        e = db_fail(s->db, "message unread");
    db_reset(st);
    return e;
}

/* Adds a message to thread (row id) inside the caller's transaction, at `at`. */
static enum err add_message(struct store *s, long thread, const struct message_reader *r,
                            const char *body, const char *at)
{
    struct db_stmt *st = db_prepare(s->db, sql_add);
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, thread);
    db_bind_int64(st, 2, r->patient > 0);
    admissions_bind_user(st, 3, r->patient > 0 ? 0 : r->user);
    db_bind_text(st, 4, body);
    db_bind_text(st, 5, at);
    if ((e = admissions_step_done(s, st, "message add")) != E_OK ||
        !(st = db_prepare(s->db, sql_touch)))
        return e != E_OK ? e : E_DB;
    db_bind_int64(st, 1, thread);
    db_bind_text(st, 2, at);
    return admissions_step_done(s, st, "message touch");
}

enum err store_message_thread_start(struct store *s, long patient, const char *subject,
                                    const char *body, const struct audit_entry *a,
                                    char public_id[33])
{
    struct message_reader me = {.patient = patient};
    char id[33], now[STAMP_LEN];
    struct db_stmt *st;
    long thread = 0;
    enum err e;

    if (patient <= 0 || !body_ok(subject, MESSAGE_SUBJECT_MAX) ||
        !body_ok(body, MESSAGE_BODY_MAX))
        return E_INVALID;
    rand_hex(id, 16);
    stamp_now_ms(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_start))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, subject);
    db_bind_text(st, 4, now);
    if ((e = admissions_insert_id(s, st, "thread start", &thread)) == E_OK &&
        (e = add_message(s, thread, &me, body, now)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, id);
out:
    if ((e = admissions_finish(s, e)) == E_OK)
        memcpy(public_id, id, sizeof(id));
    return e;
}

/* The thread public_id as THREAD_COLS gives it (*out, new reference) with its row id, patient
 * and counsellor, when r may read it; E_NOTFOUND otherwise. */
static enum err thread_find(struct store *s, const char *public_id,
                            const struct message_reader *r, json_t **out, long ids[3])
{
    struct db_stmt *st = db_prepare(s->db, sql_thread);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    *out = NULL;
    if (!st)
        return E_DB;
    bind_reader(st, r);
    db_bind_text(st, 5, public_id);
    if ((rc = db_step(st)) == DB_ROW) {
        for (int i = 0; i < 3; i++)
            ids[i] = (long)db_col_int64(st, 9 + i);
        if (store_message_may_read(r, ids[1], ids[2]) &&
            (*out = thread_json(st, MESSAGE_REPLY_HOURS_DEFAULT, 0)))
            e = E_OK;
        else if (store_message_may_read(r, ids[1], ids[2]))
            e = E_DB;
    } else if (rc != DB_DONE)
        e = db_fail(s->db, "message thread");
    db_reset(st);
    return e;
}

/* Marks the other side's messages read when the reader is the patient or their counsellor. */
static enum err mark_read(struct store *s, const struct message_reader *r, const long ids[3])
{
    char now[STAMP_LEN];
    struct db_stmt *st;

    if (r->patient <= 0 && r->user != ids[2])
        return E_OK;
    if (!(st = db_prepare(s->db, sql_mark)))
        return E_DB;
    db_bind_int64(st, 1, ids[0]);
    db_bind_int64(st, 2, r->patient > 0 ? 0 : 1);
    db_bind_text(st, 3, stamp_now_ms(now));
    return admissions_step_done(s, st, "message read");
}

/* The thread's messages into t. */
static enum err thread_messages(struct store *s, long thread, json_t *t)
{
    struct db_stmt *st = db_prepare(s->db, sql_messages);
    json_t *rows = json_array();
    enum db_step rc;
    enum err e = E_OK;

    json_object_set_new(t, "messages", rows);
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, thread);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows,
                             json_pack("{s:b, s:s, s:s, s:s}", "from_patient", db_col_int(st, 0),
                                       "author", db_col_text(st, 1), "body", db_col_text(st, 2),
                                       "at", db_col_text(st, 3)),
                             "message")) {
            e = E_DB;
            break;
        }
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, "messages");
    db_reset(st);
    return e;
}

enum err store_message_thread_open(struct store *s, const char *thread_id,
                                   const struct message_reader *r, const struct audit_entry *a,
                                   json_t **out)
{
    json_t *t = NULL;
    long ids[3];
    enum err e;

    *out = NULL;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = thread_find(s, thread_id, r, &t, ids)) == E_OK &&
        (e = mark_read(s, r, ids)) == E_OK && (e = thread_messages(s, ids[0], t)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, thread_id);
    if ((e = admissions_finish(s, e)) == E_OK)
        *out = t;
    else
        json_decref(t);
    return e;
}

/* Whether the patient asked to hear of new messages, and their address (size bytes). */
static enum err notify_target(struct store *s, long patient, bool *on, char *email, size_t size)
{
    struct db_stmt *st;
    enum err e;

    if ((e = store_message_notify_get(s, patient, on)) != E_OK || !*on || !email)
        return e;
    if (!(st = db_prepare(s->db, sql_email)))
        return E_DB;
    db_bind_int64(st, 1, patient);
    email[0] = '\0';
    if (db_step(st) == DB_ROW)
        store_copy(email, size, db_col_text(st, 0));
    db_reset(st);
    return E_OK;
}

enum err store_message_reply(struct store *s, const char *thread_id,
                             const struct message_reader *r, const char *body,
                             const struct audit_entry *a, bool *notify, char *email,
                             size_t size)
{
    char now[STAMP_LEN];
    bool on = false;
    json_t *t = NULL;
    long ids[3];
    enum err e;

    if (notify)
        *notify = false;
    if (!body_ok(body, MESSAGE_BODY_MAX))
        return E_INVALID;
    stamp_now_ms(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = thread_find(s, thread_id, r, &t, ids)) == E_OK &&
        (e = mark_read(s, r, ids)) == E_OK && (e = add_message(s, ids[0], r, body, now)) == E_OK &&
        (e = admissions_audit(s, a, NULL, NULL, thread_id)) == E_OK && r->patient <= 0)
        e = notify_target(s, ids[1], &on, email, size);
    json_decref(t);
    if ((e = admissions_finish(s, e)) == E_OK && notify)
        *notify = on;
    return e;
}

enum err store_message_notify_get(struct store *s, long patient, bool *on)
{
    struct db_stmt *st = db_prepare(s->db, sql_notify_get);
    enum db_step rc;
    enum err e = E_OK;

    *on = false;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    if ((rc = db_step(st)) == DB_ROW)
        *on = db_col_int(st, 0) == 1;
    else if (rc != DB_DONE)
        e = db_fail(s->db, "message notify");
    db_reset(st);
    return e;
}

enum err store_message_notify_set(struct store *s, long patient, bool on,
                                  const struct audit_entry *a)
{
    char now[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_notify_set))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, on);
    db_bind_text(st, 3, stamp_now(now));
    if ((e = admissions_step_done(s, st, "message notify")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}
