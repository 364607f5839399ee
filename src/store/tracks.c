/* tracks: the program's standing tracks and their weekly pattern (spec program.md §2): adding
 * one, changing one (a new pattern changes future sessions only: past ones keep what happened,
 * a slot that stays keeps its sessions and their ids), and reading them with operates_days and
 * the census. The rules of each field are domain/track's; this file applies them before it
 * writes, so that no caller can store a track the spec refuses. */
#include "store/program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/hours.h"

#define TRACK_COLS                                                                             \
    "SELECT id, public_id, code, name, level, population, capacity, opens,"                    \
    " min_weekly_minutes FROM tracks"
static const char sql_track_by_id[] = TRACK_COLS " WHERE public_id = ?1";
static const char sql_track_all[] = TRACK_COLS " ORDER BY code, id";
static const char sql_code_taken[] = "SELECT 1 FROM tracks WHERE code = ?1 AND id <> ?2";
static const char sql_track_add[] =
    "INSERT INTO tracks (public_id, code, name, summary, position, level, population, capacity,"
    " opens, min_weekly_minutes, created_at) VALUES (?1, ?2, ?3, '',"
    " (SELECT coalesce(max(position), 0) + 1 FROM tracks), ?4, ?5, ?6, ?7, ?8, ?9)"
    " RETURNING id";
static const char sql_track_set[] =
    "UPDATE tracks SET code = ?2, name = ?3, level = ?4, population = ?5, capacity = ?6,"
    " opens = ?7, min_weekly_minutes = ?8 WHERE id = ?1";
static const char sql_track_opens[] = "SELECT opens, coalesce(made_until, '') FROM tracks"
                                      " WHERE id = ?1";
static const char sql_slot_add[] =
    "INSERT INTO track_sessions (track_id, weekday, starts, ends, title, kind)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char sql_slots_of[] =
    "SELECT id, weekday, starts, ends, title, kind FROM track_sessions"
    " WHERE track_id = ?1 AND retired = 0 ORDER BY weekday, starts, id";
static const char sql_slot_set[] =
    "UPDATE track_sessions SET title = ?2, kind = ?3 WHERE id = ?1";
static const char sql_slot_sessions_set[] =
    "UPDATE program_sessions SET title = ?2, kind = ?3 WHERE slot_id = ?1 AND date >= ?4";
static const char sql_slot_retire[] = "UPDATE track_sessions SET retired = 1 WHERE id = ?1";
/* A retired slot's future sessions go, with what names them, unless attendance was taken. */
static const char sql_slot_drop_walkins[] =
    "DELETE FROM session_patients WHERE session_id IN (SELECT id FROM program_sessions s"
    " WHERE s.slot_id = ?1 AND s.date >= ?2 AND NOT EXISTS"
    " (SELECT 1 FROM attendance a WHERE a.session_id = s.id))";
static const char sql_slot_drop_staff[] =
    "DELETE FROM session_staff WHERE session_id IN (SELECT id FROM program_sessions s"
    " WHERE s.slot_id = ?1 AND s.date >= ?2 AND NOT EXISTS"
    " (SELECT 1 FROM attendance a WHERE a.session_id = s.id))";
static const char sql_slot_drop[] =
    "DELETE FROM program_sessions WHERE slot_id = ?1 AND date >= ?2 AND NOT EXISTS"
    " (SELECT 1 FROM attendance a WHERE a.session_id = program_sessions.id)";
/* The open enrolments and those ending on or after the date, as two ranges of the index
 * enrolments_track_end (migration 0026): an OR of the two would read every enrolment of the
 * track. */
static const char sql_census[] =
    "SELECT (SELECT count(*) FROM enrolments WHERE track_id = ?1 AND end_date IS NULL"
    "  AND start_date <= ?2)"
    " + (SELECT count(*) FROM enrolments WHERE track_id = ?1 AND end_date >= ?2"
    "  AND start_date <= ?2)";

/* Whether text is 1 to max characters of well-formed UTF-8 without invisible characters. */
static bool text_ok(const char *text, long max)
{
    long n = text ? utf8_count(text) : -1;

    return n >= 1 && n <= max && !utf8_has_format(text);
}

/* The spec's rules for a track as written (E_INVALID with the field at fault). */
static enum err track_check(const struct program_track *t, struct program_why *why)
{
    const char *problem = track_code_problem(t->code), *field;
    char hhmm[6];
    int i;

    if (problem)
        return store_program_why(why, E_INVALID, "code", "%s", problem);
    if (!text_ok(t->name, TRACK_NAME_MAX))
        return store_program_why(why, E_INVALID, "name",
                                 "Give the track a name of 1 to 100 characters.");
    if (t->capacity < 1 || t->capacity > 100)
        return store_program_why(why, E_INVALID, "capacity", "The capacity is 1 to 100.");
    if (t->min_weekly_minutes < -2 || t->min_weekly_minutes > 3000)
        return store_program_why(why, E_INVALID, "min_weekly_minutes",
                                 "The weekly minimum is 0 to 3000 minutes, or none.");
    if (t->n_slots > TRACK_SLOTS_MAX)
        return store_program_why(why, E_INVALID, "slots", "A track has at most %d slots.",
                                 TRACK_SLOTS_MAX);
    for (size_t k = 0; k < t->n_slots; k++)
        if ((problem = track_slot_problem(&t->slots[k], &field)))
            return store_program_why(why, E_INVALID, "slots", "Slot %zu (%s): %s", k + 1, field,
                                     problem);
    if ((i = track_slots_overlap(t->slots, t->n_slots)) >= 0)
        return store_program_why(why, E_INVALID, "slots",
                                 "Slot %d overlaps another slot of the same day (%s).", i + 1,
                                 caldate_time_format(t->slots[i].start, hhmm));
    return E_OK;
}

/* The minimum to store: the level's default for -2, NULL (none) for HOURS_NONE. */
static void bind_minimum(struct db_stmt *st, int i, const struct program_track *t)
{
    int m = t->min_weekly_minutes == -2 ? track_default_minimum(t->level, t->population)
                                        : t->min_weekly_minutes;
    if (m < 0)
        db_bind_null(st, i);
    else
        db_bind_int64(st, i, m);
}

static enum err code_free(struct store *s, const char *code, long self, struct program_why *why)
{
    struct db_stmt *st = db_prepare_once(s->db, sql_code_taken);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, self);
    rc = db_step(st);
    db_finish(st);
    if (rc == DB_ROW)
        return store_program_why(why, E_CONFLICT, "code", "Another track has the code %s.",
                                 code);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "track code");
}

static enum err slot_add(struct store *s, long track, const struct track_slot *sl, long *id)
{
    struct db_stmt *st = db_prepare_once(s->db, sql_slot_add);
    char a[6], b[6];
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, track);
    db_bind_int64(st, 2, sl->weekday);
    db_bind_text(st, 3, caldate_time_format(sl->start, a));
    db_bind_text(st, 4, caldate_time_format(sl->end, b));
    db_bind_text(st, 5, sl->title);
    db_bind_text(st, 6, track_slot_kind_name(sl->kind));
    e = admissions_insert_id(s, st, "track slot", id);
    db_finish(st);
    return e;
}

/* Binds the track's own fields from placeholder `first` on (opens: its date text, which must
 * outlive the statement's use). */
static void bind_track(struct db_stmt *st, const struct program_track *t, int first,
                       const char *opens)
{
    db_bind_text(st, first, t->code);
    db_bind_text(st, first + 1, t->name);
    db_bind_text(st, first + 2, track_level_name(t->level));
    db_bind_text(st, first + 3, track_population_name(t->population));
    db_bind_int64(st, first + 4, t->capacity);
    db_bind_text(st, first + 5, opens);
    bind_minimum(st, first + 6, t);
}

enum err store_track_add(struct store *s, const struct program_track *t,
                         const struct audit_entry *a, char public_id[33],
                         struct program_why *why)
{
    struct db_stmt *st = NULL;
    char now[STAMP_LEN], opens[CALDATE_TEXT];
    long track = 0, slot;
    enum err e;

    if ((e = track_check(t, why)) != E_OK)
        return e;
    rand_hex(public_id, 16);
    stamp_now(now);
    caldate_format(t->opens, opens);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = code_free(s, t->code, 0, why)) != E_OK)
        goto out;
    if (!(st = db_prepare_once(s->db, sql_track_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, public_id);
    bind_track(st, t, 2, opens);
    db_bind_text(st, 9, now);
    e = admissions_insert_id(s, st, "track", &track);
    db_finish(st);
    for (size_t i = 0; i < t->n_slots && e == E_OK; i++)
        e = slot_add(s, track, &t->slots[i], &slot);
    if (e == E_OK)
        e = admissions_audit(s, a, NULL, "track", public_id);
out:
    e = admissions_finish(s, e);
    if (e == E_OK)
        log_info("track %s added", public_id);
    return e;
}

/* A slot of the stored pattern. */
struct old_slot {
    long id;
    struct track_slot slot;
    bool kept;
};

/* Cached: every chart view reads the pattern of the patient's track. */
static enum err old_slots(struct store *s, long track, struct old_slot **out, size_t *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_slots_of);
    struct old_slot *v = NULL;
    size_t k = 0, cap = 0;
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, track);
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
        memset(&v[k], 0, sizeof(v[k]));
        v[k].id = (long)db_col_int64(st, 0);
        v[k].slot.weekday = db_col_int(st, 1);
        caldate_time_parse(db_col_text(st, 2), &v[k].slot.start);
        caldate_time_parse(db_col_text(st, 3), &v[k].slot.end);
        store_copy(v[k].slot.title, sizeof(v[k].slot.title), db_col_text(st, 4));
        track_slot_kind_parse(db_col_text(st, 5), &v[k].slot.kind);
        k++;
    }
    db_reset(st);
    *out = v;
    *n = k;
    return rc == DB_DONE ? E_OK : db_fail(s->db, "track pattern");
}

/* Runs a statement of the pattern change bound to a slot id and a date. */
static enum err slot_run(struct store *s, const char *sql, long slot, const char *date,
                         const char *what)
{
    struct db_stmt *st = db_prepare_once(s->db, sql);
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, slot);
    if (date)
        db_bind_text(st, 2, date);
    e = admissions_step_done(s, st, what);
    db_finish(st);
    return e;
}

/* Keeps a slot that stays (same day and times): a new title or kind reaches its sessions from
 * `from` on. */
static enum err slot_keep(struct store *s, const struct old_slot *o, const struct track_slot *n,
                          const char *from)
{
    struct db_stmt *st;
    enum err e;

    if (!strcmp(o->slot.title, n->title) && o->slot.kind == n->kind)
        return E_OK;
    for (int pass = 0; pass < 2; pass++) {
        if (!(st = db_prepare_once(s->db, pass ? sql_slot_sessions_set : sql_slot_set)))
            return E_DB;
        db_bind_int64(st, 1, o->id);
        db_bind_text(st, 2, n->title);
        db_bind_text(st, 3, track_slot_kind_name(n->kind));
        if (pass)
            db_bind_text(st, 4, from);
        e = admissions_step_done(s, st, "track slot title");
        db_finish(st);
        if (e != E_OK)
            return e;
    }
    return E_OK;
}

/* A slot that left the pattern: retired (it stays the source of its past sessions); its
 * sessions from `from` on go, but for those where attendance was taken. */
static enum err slot_retire(struct store *s, long slot, const char *from)
{
    enum err e;

    if ((e = slot_run(s, sql_slot_drop_walkins, slot, from, "slot walk-ins")) != E_OK ||
        (e = slot_run(s, sql_slot_drop_staff, slot, from, "slot staff")) != E_OK ||
        (e = slot_run(s, sql_slot_drop, slot, from, "slot sessions")) != E_OK)
        return e;
    return slot_run(s, sql_slot_retire, slot, NULL, "slot retire");
}

/* Applies the new pattern from `from` on; new slots get their sessions on the dates already
 * made (from `from` or the opening, whichever is later). */
static enum err pattern_set(struct store *s, long track, const struct program_track *t,
                            caldate from)
{
    struct old_slot *old = NULL;
    struct db_stmt *st;
    char date[CALDATE_TEXT];
    caldate made = 0, opens = t->opens;
    bool any_made = false;
    size_t n = 0;
    long id;
    enum err e;

    caldate_format(from, date);
    if (!(st = db_prepare_once(s->db, sql_track_opens)))
        return E_DB;
    db_bind_int64(st, 1, track);
    if (db_step(st) == DB_ROW)
        any_made = caldate_parse(db_col_text(st, 1), &made);
    db_finish(st);
    if ((e = old_slots(s, track, &old, &n)) != E_OK)
        goto out;
    for (size_t i = 0; i < t->n_slots && e == E_OK; i++) {
        const struct track_slot *ns = &t->slots[i];
        size_t k = 0;
        while (k < n && (old[k].kept || old[k].slot.weekday != ns->weekday ||
                         old[k].slot.start != ns->start || old[k].slot.end != ns->end))
            k++;
        if (k < n) {
            old[k].kept = true;
            e = slot_keep(s, &old[k], ns, date);
        } else if ((e = slot_add(s, track, ns, &id)) == E_OK && any_made) {
            e = store_program_make_days(s, track, from > opens ? from : opens, made);
        }
    }
    for (size_t k = 0; k < n && e == E_OK; k++)
        if (!old[k].kept)
            e = slot_retire(s, old[k].id, date);
out:
    free(old);
    return e;
}

enum err store_track_update(struct store *s, const char *track_id,
                            const struct program_track *t, caldate from,
                            const struct audit_entry *a, struct program_why *why)
{
    struct db_stmt *st;
    char opens[CALDATE_TEXT];
    long track = 0;
    enum err e;

    if ((e = track_check(t, why)) != E_OK)
        return e;
    caldate_format(t->opens, opens);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = store_program_track_id(s, track_id, &track)) != E_OK ||
        (e = code_free(s, t->code, track, why)) != E_OK)
        goto out;
    if (!(st = db_prepare_once(s->db, sql_track_set))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, track);
    bind_track(st, t, 2, opens);
    e = admissions_step_done(s, st, "track update");
    db_finish(st);
    if (e == E_OK)
        e = pattern_set(s, track, t, from);
    if (e == E_OK)
        e = admissions_audit(s, a, NULL, "track", track_id);
out:
    return admissions_finish(s, e);
}

/* The track of the current row of st (TRACK_COLS) with its slots, operates_days and census. */
static json_t *track_json(struct store *s, struct db_stmt *st, const char *today)
{
    long track = (long)db_col_int64(st, 0);
    struct old_slot *slot = NULL;
    struct track_slot days[TRACK_SLOTS_MAX];
    struct db_stmt *c;
    json_t *slots = json_array(), *o = NULL;
    char a[6], b[6];
    json_int_t census = 0;
    size_t n = 0, k = 0;

    if (old_slots(s, track, &slot, &n) != E_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(
            slots, json_pack("{s:i, s:s, s:s, s:s, s:s}", "weekday", slot[i].slot.weekday,
                             "start", caldate_time_format(slot[i].slot.start, a), "end",
                             caldate_time_format(slot[i].slot.end, b), "title",
                             slot[i].slot.title, "kind", track_slot_kind_name(slot[i].slot.kind)));
        if (k < TRACK_SLOTS_MAX)
            days[k++] = slot[i].slot;
    }
    if (!(c = db_prepare(s->db, sql_census)))
        goto out;
    db_bind_int64(c, 1, track);
    db_bind_text(c, 2, today);
    if (db_step(c) == DB_ROW)
        census = db_col_int64(c, 0);
    db_reset(c);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:O, s:i, s:I}", "id",
                  db_col_text(st, 1), "code", db_col_text(st, 2), "name", db_col_text(st, 3),
                  "level", db_col_text(st, 4), "population", db_col_text(st, 5), "capacity",
                  (json_int_t)db_col_int64(st, 6), "opens", db_col_text(st, 7),
                  "min_weekly_minutes",
                  db_col_is_null(st, 8) ? json_null() : json_integer(db_col_int64(st, 8)),
                  "slots", slots, "operates_days", track_operates_days(days, k), "census",
                  census);
out:
    json_decref(slots);
    free(slot);
    return o;
}

static json_t *track_row(struct store *s, struct db_stmt *st, void *ctx)
{
    return track_json(s, st, ctx);
}

/* The tracks a statement selects (bound by the caller), as an array. */
static enum err tracks_read(struct store *s, struct db_stmt *st, caldate today, json_t **out)
{
    char date[CALDATE_TEXT];

    return store_rows(s, st, track_row, caldate_format(today, date), "tracks", out);
}

enum err store_track_get(struct store *s, const char *track_id, caldate today, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_track_by_id);
    json_t *arr = NULL;
    enum err e;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, track_id ? track_id : "");
    if ((e = tracks_read(s, st, today, &arr)) != E_OK)
        return e;
    return store_program_one(arr, out);
}

enum err store_track_list(struct store *s, caldate today, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_track_all);

    if (!st)
        return E_DB;
    return tracks_read(s, st, today, out);
}
