/* staff: what the staff modules share (the audit entry written inside a change's
 * transaction) and the workspace settings of store/staff.h. Accounts are in users.c, sessions
 * and set-password tokens in sessions.c, the second factor in second_factor.c. */
#include "store/staff_internal.h"

#include "core/log.h"
#include "store/audit.h"

enum err staff_audit(struct store *s, const struct audit_entry *audit)
{
    if (!audit)
        return E_OK;
    if (store_audit_append(s, audit) != E_OK) {
        log_error("staff: the audit entry of a change could not be written; change undone");
        return E_DB;
    }
    return E_OK;
}

static const char sql_setting_get[] = "SELECT value FROM settings WHERE key = ?1";

enum err store_setting_get(struct store *s, const char *key, char *out, size_t size)
{
    struct db_stmt *q = NULL;
    enum err ret;
    int rc;

    if (!(q = db_prepare(s->db, sql_setting_get)))
        return E_DB;
    db_bind_text(q, 1, key);
    rc = db_step(q);
    if (rc == DB_ROW) {
        store_copy(out, size, db_col_text(q, 0));
        ret = E_OK;
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "setting get");
    }
    db_finish(q);
    return ret;
}

static enum err settings_set(struct store *s, const char *key, const char *value,
                             const struct audit_entry *audit)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct db_stmt *q = NULL;

    if (audit && db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    db_bind_text(q, 1, key);
    db_bind_text(q, 2, value);
    if (db_run(q, "setting set") != E_OK)
        goto fail;
    if (!audit)
        return E_OK;
    if (staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    if (audit)
        db_rollback(s->db);
    return E_DB;
}

enum err store_setting_set(struct store *s, const char *key, const char *value)
{
    return settings_set(s, key, value, NULL);
}

enum err store_setting_set_audited(struct store *s, const char *key, const char *value,
                                   const struct audit_entry *audit)
{
    return settings_set(s, key, value, audit);
}
