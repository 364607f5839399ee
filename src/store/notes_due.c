/* notes_due: the notes due (store_notes_due): every session of the last NOTE_DUE_WINDOW_DAYS
 * clinic days that someone attended and whose documentation is not complete: no note yet, a
 * draft, an attendee without a signed section (a group), a note awaiting co-signature. A group
 * or workshop has one note; any other session one note per attending patient. */
#include "store/notes_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "core/xalloc.h"

#define DUE_SESSIONS(WHICH)                                                                    \
    "SELECT s.id, s.public_id, s.date, s.end_time, s.title, s.kind FROM program_sessions s"    \
    " WHERE s.date BETWEEN ?1 AND ?2 AND s.status = 'scheduled'"                               \
    " AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.status IN "        \
    NOTES_ATTENDED ")" WHICH " ORDER BY s.date, s.end_time, s.id"
/* Every session of the window with someone attending. */
static const char sql_sessions[] = DUE_SESSIONS("");
/* The sessions of the window ?3 runs (session_staff's (user_id, date) index) or wrote a note
 * for: a member's own, found from their rows, not by testing each of a network's thousands. */
static const char sql_sessions_of[] = DUE_SESSIONS(
    " AND s.id IN (SELECT ss.session_id FROM session_staff ss WHERE ss.user_id = ?3"
    " AND ss.date BETWEEN ?1 AND ?2 UNION SELECT n.session_id FROM notes n"
    " WHERE n.author_id = ?3 AND n.service_date BETWEEN ?1 AND ?2"
    " AND n.session_id IS NOT NULL)");
static const char sql_unsigned_sections[] =
    "SELECT count(*) FROM attendance a WHERE a.session_id = ?1 AND a.status IN " NOTES_ATTENDED
    " AND NOT EXISTS (SELECT 1 FROM note_sections ns WHERE ns.note_id = ?2"
    " AND ns.patient_id = a.patient_id AND ns.signed_at IS NOT NULL)";
static const char sql_attending[] =
    "SELECT p.id, p.public_id FROM attendance a JOIN patients p ON p.id = a.patient_id"
    " WHERE a.session_id = ?1 AND a.status IN " NOTES_ATTENDED " ORDER BY p.id";
static const char sql_note_of[] =
    "SELECT n.public_id, n.due_at, u.name, n.signed_at IS NOT NULL, n.cosign_needed,"
    " n.cosigned_at IS NOT NULL, n.id FROM notes n JOIN users u ON u.id = n.author_id"
    " WHERE n.session_id = ?1 AND n.kind = ?2 AND (?3 = 0 OR n.patient_id = ?3)";

/* A session in the window. */
struct due_session {
    long id;
    char public_id[PROGRAM_ID_TEXT], date[CALDATE_TEXT], end[6], kind[16], title[401 * 4];
};

/* A note of a session as the list needs it (found false: none). */
struct due_note {
    bool found, signed_, cosign_needed, cosigned;
    long id;
    char public_id[PROGRAM_ID_TEXT], due_at[STAMP_LEN], author[404];
};

static enum err note_of(struct store *s, long session, const char *kind, long patient,
                        struct due_note *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_note_of);
    enum err e = E_OK;
    int rc;

    memset(n, 0, sizeof(*n));
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, session);
    db_bind_text(st, 2, kind);
    db_bind_int64(st, 3, patient);
    if ((rc = db_step(st)) == DB_ROW) {
        n->found = true;
        store_copy(n->public_id, sizeof(n->public_id), db_col_text(st, 0));
        store_copy(n->due_at, sizeof(n->due_at), db_col_text(st, 1));
        store_copy(n->author, sizeof(n->author), db_col_text(st, 2));
        n->signed_ = db_col_int(st, 3);
        n->cosign_needed = db_col_int(st, 4);
        n->cosigned = db_col_int(st, 5);
        n->id = (long)db_col_int64(st, 6);
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read a due note");
    }
    db_reset(st);
    return e;
}

/* Attendees of a group session without a signed section in note. */
static enum err unsigned_sections(struct store *s, long session, long note, long *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_unsigned_sections);
    enum err e = E_OK;

    *n = 0;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, session);
    db_bind_int64(st, 2, note);
    if (db_step(st) == DB_ROW)
        *n = (long)db_col_int64(st, 0);
    else
        e = db_fail(s->db, "count unsigned sections");
    db_reset(st);
    return e;
}

/* Appends the session's row when its note n is not complete (missing: attendees of a signed
 * group note without a signed section). */
static void due_add(json_t *out, const struct due_session *ses, const struct due_note *n,
                    const char *patient, long missing, int hours, time_t now)
{
    const char *reason = NULL;
    char due[STAMP_LEN];
    time_t t;

    if (!n->found)
        reason = "no-note";
    else if (!n->signed_)
        reason = "unsigned";
    else if (missing > 0)
        reason = "sections-missing";
    else if (note_state(n->signed_, n->cosign_needed, n->cosigned) == NOTE_AWAITING_COSIGN)
        reason = "awaiting-cosign";
    if (!reason)
        return;
    if (n->found)
        store_copy(due, sizeof(due), n->due_at);
    else if (!store_notes_due_stamp(ses->date, ses->end, hours, due))
        return;
    if (timefmt_parse_utc(due, &t) < 0)
        t = 0;
    json_array_append_new(
        out, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:b, s:o}", "session_id",
                       ses->public_id, "date", ses->date, "title", ses->title, "kind", ses->kind,
                       "note_id", n->found ? json_string(n->public_id) : json_null(),
                       "patient_id", patient ? json_string(patient) : json_null(), "reason",
                       reason, "due_at", due, "overdue", note_overdue(t, now), "author",
                       n->found ? json_string(n->author) : json_null()));
}

/* The rows of one session. */
static enum err session_due(struct store *s, const struct due_session *ses, int hours,
                            time_t now, json_t *out)
{
    struct db_stmt *st;
    struct due_note n;
    json_t *people;
    long missing = 0;
    enum err e = E_OK;
    int rc;

    if (!strcmp(ses->kind, "group") || !strcmp(ses->kind, "workshop")) {
        if ((e = note_of(s, ses->id, "group", 0, &n)) == E_OK && n.found && n.signed_)
            e = unsigned_sections(s, ses->id, n.id, &missing);
        if (e == E_OK)
            due_add(out, ses, &n, NULL, missing, hours, now);
        return e;
    }
    if (!(st = db_prepare(s->db, sql_attending)))
        return E_DB;
    people = json_array();
    db_bind_int64(st, 1, ses->id);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(people, json_pack("[I, s]", (json_int_t)db_col_int64(st, 0),
                                                db_col_text(st, 1)));
    if (rc != DB_DONE)
        e = db_fail(s->db, "list attending patients");
    db_reset(st);
    for (size_t i = 0; e == E_OK && i < json_array_size(people); i++) {
        const json_t *p = json_array_get(people, i);
        if ((e = note_of(s, ses->id, ses->kind, (long)json_integer_value(json_array_get(p, 0)),
                         &n)) == E_OK)
            due_add(out, ses, &n, json_string_value(json_array_get(p, 1)), 0, hours, now);
    }
    json_decref(people);
    return e;
}

/* The sessions of the window from..to (clinic dates) for author (0: all). */
static enum err sessions_of(struct store *s, const char *from, const char *to, long author,
                            struct due_session **out, size_t *n)
{
    struct db_stmt *st = db_prepare(s->db, author ? sql_sessions_of : sql_sessions);
    size_t cap = 0;
    enum err e = E_OK;
    int rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    if (author)
        db_bind_int64(st, 3, author);
    while ((rc = db_step(st)) == DB_ROW) {
        struct due_session *d;
        if (*n == cap)
            *out = xrealloc(*out, (cap = cap ? cap * 2 : 32) * sizeof(**out));
        d = &(*out)[(*n)++];
        d->id = (long)db_col_int64(st, 0);
        store_copy(d->public_id, sizeof(d->public_id), db_col_text(st, 1));
        store_copy(d->date, sizeof(d->date), db_col_text(st, 2));
        store_copy(d->end, sizeof(d->end), db_col_text(st, 3));
        store_copy(d->title, sizeof(d->title), db_col_text(st, 4));
        store_copy(d->kind, sizeof(d->kind), db_col_text(st, 5));
    }
    if (rc != DB_DONE)
        e = db_fail(s->db, "list sessions due a note");
    db_reset(st);
    return e;
}

enum err store_notes_due(struct store *s, const char *now_utc, long author, json_t **out)
{
    struct due_session *ses = NULL;
    char from[CALDATE_TEXT], to[CALDATE_TEXT];
    caldate today;
    time_t now;
    size_t n = 0;
    int hours;
    enum err e;

    *out = json_array();
    if (timefmt_parse_utc(now_utc ? now_utc : "", &now) < 0)
        return E_INVALID;
    if (!caldate_parse(timefmt_today(now, to), &today))
        return E_INVALID;
    caldate_format(today - NOTE_DUE_WINDOW_DAYS, from);
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    hours = store_notes_due_hours(s);
    if ((e = sessions_of(s, from, to, author, &ses, &n)) == E_OK)
        for (size_t i = 0; i < n && e == E_OK; i++)
            e = session_due(s, &ses[i], hours, now, *out);
    free(ses);
    if (e == E_OK)
        return db_commit(s->db);
    db_rollback(s->db);
    json_array_clear(*out);
    return e;
}
