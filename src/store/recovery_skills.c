/* recovery_skills: the clinic's skills library (store/recovery.h): listed in the clinic's
 * order, read one by one, added, edited and hidden by staff, each write with its audit entry
 * in one transaction. Hidden skills stay (a clinic may show one again); patients never get
 * them. */
#include "store/recovery.h"

#include <string.h>

#include "core/rand.h"
#include "store/admissions_internal.h"

static const char sql_list[] =
    "SELECT public_id, title, summary, kind, position, hidden, updated_at FROM skills"
    " WHERE hidden = 0 OR ?1 = 1 ORDER BY position, lower(title), id";
static const char sql_get[] =
    "SELECT public_id, title, summary, body, source, kind, position, hidden FROM skills"
    " WHERE public_id = ?1 AND (hidden = 0 OR ?2 = 1)";
static const char sql_add[] =
    "INSERT INTO skills (public_id, title, summary, body, source, kind, position, created_at,"
    " updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)";
static const char sql_update[] =
    "UPDATE skills SET title = ?2, summary = ?3, body = ?4, source = ?5, kind = ?6,"
    " position = ?7, updated_at = ?8, updated_by = ?9 WHERE public_id = ?1";
static const char sql_hide[] =
    "UPDATE skills SET hidden = ?2, updated_at = ?3, updated_by = ?4 WHERE public_id = ?1";

enum err store_recovery_skills(struct store *s, bool with_hidden, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);
    json_t *rows = json_array();
    enum db_step rc;
    enum err e = E_OK;

    *out = NULL;
    if (!st) {
        json_decref(rows);
        return E_DB;
    }
    db_bind_int64(st, 1, with_hidden);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows,
                             json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s}", "id",
                                       db_col_text(st, 0), "title", db_col_text(st, 1),
                                       "summary", db_col_text(st, 2), "kind", db_col_text(st, 3),
                                       "position", (json_int_t)db_col_int64(st, 4), "hidden",
                                       db_col_int(st, 5), "updated_at", db_col_text(st, 6)),
                             "skill")) {
            e = E_DB;
            break;
        }
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, "skill list");
    db_reset(st);
    if (e == E_OK)
        *out = rows;
    else
        json_decref(rows);
    return e;
}

enum err store_recovery_skill(struct store *s, const char *id, bool with_hidden, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_get);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, with_hidden);
    if ((rc = db_step(st)) == DB_ROW) {
        *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "id", db_col_text(st, 0),
                         "title", db_col_text(st, 1), "summary", db_col_text(st, 2), "body",
                         db_col_text(st, 3), "source", db_col_text(st, 4), "kind",
                         db_col_text(st, 5), "position", (json_int_t)db_col_int64(st, 6),
                         "hidden", db_col_int(st, 7));
        e = *out ? E_OK : db_fail(s->db, "skill row");
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "skill get");
    }
    db_reset(st);
    return e;
}

/* Binds a skill's fields (?2-?7), the time (?8) and the author (?9). */
static void bind_skill(struct db_stmt *st, const struct recovery_skill_in *in, const char *now,
                       long by)
{
    db_bind_text(st, 2, in->title);
    db_bind_text(st, 3, in->summary);
    db_bind_text(st, 4, in->body);
    db_bind_text(st, 5, in->source);
    db_bind_text(st, 6, in->kind);
    db_bind_int64(st, 7, in->position);
    db_bind_text(st, 8, now);
    admissions_bind_user(st, 9, by);
}

/* One write of a skill (sql bound by bind: the id first) with its audit entry; E_NOTFOUND when
 * it changed no row. */
static enum err write_skill(struct store *s, const char *sql, const char *id,
                            const struct recovery_skill_in *in, int hidden, long by,
                            const struct audit_entry *a)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql))) {
        e = E_DB;
        goto out;
    }
    stamp_now(now);
    db_bind_text(st, 1, id);
    if (in) {
        bind_skill(st, in, now, by);
    } else {
        db_bind_int64(st, 2, hidden);
        db_bind_text(st, 3, now);
        admissions_bind_user(st, 4, by);
    }
    if ((e = admissions_step_done(s, st, "skill write")) == E_OK && db_changes(s->db) == 0)
        e = E_NOTFOUND;
    if (e == E_OK)
        e = admissions_audit(s, a, NULL, NULL, id);
out:
    return admissions_finish(s, e);
}

enum err store_recovery_skill_add(struct store *s, const struct recovery_skill_in *in, long by,
                                  const struct audit_entry *a, char id[33])
{
    rand_hex(id, 16);
    return write_skill(s, sql_add, id, in, 0, by, a);
}

enum err store_recovery_skill_update(struct store *s, const char *id,
                                     const struct recovery_skill_in *in, long by,
                                     const struct audit_entry *a)
{
    return write_skill(s, sql_update, id, in, 0, by, a);
}

enum err store_recovery_skill_hide(struct store *s, const char *id, bool hidden, long by,
                                   const struct audit_entry *a)
{
    return write_skill(s, sql_hide, id, NULL, hidden, by, a);
}
