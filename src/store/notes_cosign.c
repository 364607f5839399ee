/* notes_cosign: who must have their notes co-signed, and by whom (users.needs_cosign,
 * users.supervisor_id of migration 0020), as the administrators' Users screen reads and sets
 * them. A supervisor is another active account with a clinical role (clinician or medical):
 * someone who may read the notes they co-sign. */
#include "store/notes_internal.h"

static const char sql_list[] =
    "SELECT u.public_id, u.needs_cosign, s.public_id FROM users u"
    " LEFT JOIN users s ON s.id = u.supervisor_id";
static const char sql_user[] = "SELECT id FROM users WHERE public_id = ?1";
static const char sql_supervisor[] =
    "SELECT u.id FROM users u WHERE u.public_id = ?1 AND u.disabled = 0 AND EXISTS (SELECT 1 FROM"
    " user_roles r WHERE r.user_id = u.id AND r.role IN ('clinician', 'medical'))";
static const char sql_set[] =
    "UPDATE users SET needs_cosign = ?2, supervisor_id = ?3 WHERE id = ?1";

enum err store_notes_cosign_settings(struct store *s, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);
    enum err e = E_OK;
    int rc;

    *out = json_object();
    if (!st)
        return E_DB;
    while ((rc = db_step(st)) == DB_ROW)
        json_object_set_new(*out, db_col_text(st, 0),
                            json_pack("{s:b, s:o}", "needs_cosign", db_col_int(st, 1),
                                      "supervisor_id",
                                      db_col_is_null(st, 2) ? json_null()
                                                            : json_string(db_col_text(st, 2))));
    if (rc != DB_DONE)
        e = db_fail(s->db, "list co-signature settings");
    db_reset(st);
    return e;
}

enum err store_notes_cosign_set(struct store *s, const char *user_id, bool needs,
                                const char *supervisor_id, const struct audit_entry *a,
                                struct program_why *why)
{
    struct db_stmt *st;
    long user, sup = 0;
    enum err e;

    if (needs && !supervisor_id)
        return store_program_why(why, E_INVALID, "supervisor",
                                 "Name the supervisor who co-signs this person's notes.");
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = admissions_id_of(s, sql_user, user_id ? user_id : "", &user)) != E_OK)
        goto out;
    if (supervisor_id &&
        ((e = admissions_id_of(s, sql_supervisor, supervisor_id, &sup)) == E_NOTFOUND ||
         sup == user)) {
        e = store_program_why(why, E_INVALID, "supervisor",
                              "The supervisor is another active clinician or medical user.");
        goto out;
    }
    if (e != E_OK || !(st = db_prepare(s->db, sql_set))) {
        e = e != E_OK ? e : E_DB;
        goto out;
    }
    db_bind_int64(st, 1, user);
    db_bind_int64(st, 2, needs);
    admissions_bind_user(st, 3, sup);
    if ((e = admissions_step_done(s, st, "set co-signature")) == E_OK)
        e = admissions_audit(s, a, "update", "user", user_id);
out:
    return admissions_finish(s, e);
}
