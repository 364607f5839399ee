/* store: opening and closing a store (one connection of the driver, store/db.h), migrations,
 * the data version, and the program's tracks (the public schedule and its demo content). */
#include "store/store.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/rand.h"
#include "domain/caldate.h"
#include "store/stamp.h"
#include "core/xalloc.h"

static const char sql_tracks[] =
    "SELECT t.code, t.name, t.summary, s.weekday, s.starts, s.ends, s.title, s.kind"
    " FROM tracks t JOIN track_sessions s ON s.track_id = t.id AND s.retired = 0"
    " ORDER BY t.position, s.weekday, s.starts";
/* A demo track seeded now opens on the Monday six weeks before today (static SQL cannot say
 * "six weeks ago"), with its public id. */
static const char sql_demo_open[] =
    "UPDATE tracks SET public_id = ?2, opens = ?3, min_weekly_minutes = 540, created_at = ?4"
    " WHERE id = ?1";
static const char sql_demo_new[] =
    "SELECT id FROM tracks WHERE public_id IS NULL OR created_at IS NULL";

enum err store_open(const char *path, struct store **out)
{
    struct store *s = xcalloc(1, sizeof(*s));

    if (db_open(path, &s->db) != E_OK) {
        free(s);
        return E_DB;
    }
    *out = s;
    return E_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    json_decref(s->alerts.alerts);
    db_close(s->db);
    free(s);
}

enum err store_migrate(struct store *s, int *applied)
{
    return db_migrate(s->db, applied);
}

enum err store_data_version(struct store *s, long long *out)
{
    return db_data_version(s->db, out);
}

void store_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static const char *const weekdays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                       "Thursday", "Friday", "Saturday", "Sunday"};

static int minutes(const char *hhmm)
{
    return ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
}

/* Groups the joined rows into tracks -> days -> sessions, and sums scheduled hours. */
enum err store_tracks_list(struct store *s, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_tracks);
    json_t *tracks = json_array(), *track = NULL, *day = NULL;
    int last_day = 0, track_minutes = 0;
    enum db_step rc;

    if (!st) {
        json_decref(tracks);
        return E_DB;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        int wd = db_col_int(st, 3);
        if (!track ||
            strcmp(json_string_value(json_object_get(track, "code")), db_col_text(st, 0))) {
            track = json_pack("{s:s, s:s, s:s, s:[]}", "code", db_col_text(st, 0), "name",
                              db_col_text(st, 1), "summary", db_col_text(st, 2), "days");
            json_array_append_new(tracks, track);
            track_minutes = 0;
            last_day = 0;
        }
        if (wd != last_day) {
            day = json_pack("{s:s, s:[]}", "day", wd >= 1 && wd <= 7 ? weekdays[wd] : "?",
                            "sessions");
            json_array_append_new(json_object_get(track, "days"), day);
            last_day = wd;
        }
        track_minutes += minutes(db_col_text(st, 5)) - minutes(db_col_text(st, 4));
        json_object_set_new(track, "hours_per_week", json_real(track_minutes / 60.0));
        json_array_append_new(json_object_get(day, "sessions"),
                              json_pack("{s:s, s:s, s:s, s:s}", "starts", db_col_text(st, 4),
                                        "ends", db_col_text(st, 5), "title", db_col_text(st, 6),
                                        "kind", db_col_text(st, 7)));
    }
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(tracks);
        return db_fail(s->db, "tracks");
    }
    *out = tracks;
    return E_OK;
}

/* Sets the opening date and public id of the demo tracks seeded now. */
static enum err demo_open(struct store *s)
{
    struct db_stmt *st = db_prepare_once(s->db, sql_demo_new), *up;
    char now[STAMP_LEN], today[STAMP_LEN], opens[CALDATE_TEXT], id[33];
    caldate day = 0;
    long ids[16];
    size_t n = 0;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    while (n < 16 && db_step(st) == DB_ROW)
        ids[n++] = (long)db_col_int64(st, 0);
    db_finish(st);
    stamp_now(now);
    /* Six weeks of history is what the demo shows; the clinic's date is close enough to the
     * UTC one for that. */
    caldate_parse(stamp_today(today), &day);
    caldate_format(day - (caldate_weekday(day) - 1) - 42, opens);
    for (size_t i = 0; i < n && e == E_OK; i++) {
        if (!(up = db_prepare_once(s->db, sql_demo_open)))
            return E_DB;
        rand_hex(id, 16);
        db_bind_int64(up, 1, ids[i]);
        db_bind_text(up, 2, id);
        db_bind_text(up, 3, opens);
        db_bind_text(up, 4, now);
        e = db_run(up, "demo track");
    }
    return e;
}

/* The demo files are several statements each: one transaction, all of them land or none
 * does. The tracks and schedule (added once), and the clinic's details (only those never
 * set). */
enum err store_demo_seed(struct store *s)
{
    static const char *const files[] = {"demo/tracks.sql", "demo/clinic.sql"};
    const struct embedded_file *f[2];

    for (size_t i = 0; i < 2; i++)
        if (!(f[i] = embed_find(files[i])))
            return E_NOTFOUND;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    for (size_t i = 0; i < 2; i++) {
        if (db_exec(s->db, (const char *)f[i]->data) != E_OK) {
            db_rollback(s->db);
            return E_DB;
        }
    }
    if (demo_open(s) != E_OK) {
        db_rollback(s->db);
        return E_DB;
    }
    return db_commit(s->db);
}

enum err store_schema_state(struct store *s, struct db_schema *out)
{
    return db_schema_state(s->db, out);
}

enum err store_check(struct store *s, char *problem, size_t size)
{
    return db_check(s->db, problem, size);
}

enum err store_backup(struct store *s, const char *path, char *problem, size_t size)
{
    return db_backup(s->db, path, problem, size);
}

enum err store_rows(struct store *s, struct db_stmt *st,
                    json_t *(*row)(struct store *s, struct db_stmt *st, void *ctx), void *ctx,
                    const char *what, json_t **out)
{
    json_t *arr = json_array(), *o;
    enum db_step rc;

    while ((rc = db_step(st)) == DB_ROW) {
        if (!(o = row(s, st, ctx))) {
            rc = DB_ERR;
            break;
        }
        json_array_append_new(arr, o);
    }
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return db_fail(s->db, what);
    }
    *out = arr;
    return E_OK;
}
