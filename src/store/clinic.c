/* clinic: the clinic's details (domain/clinic.h), kept as settings rows: read in one query,
 * written together with their audit entry in one transaction. */
#include "store/clinic.h"

#include <string.h>

#include "store/audit.h"
#include "store/store_internal.h"

enum err store_clinic_get(struct store *s, struct clinic *out)
{
    static const char sql[] = "SELECT key, value FROM settings WHERE key IN (?1, ?2, ?3, ?4, ?5,"
                              " ?6)";
    struct db_stmt *st = db_prepare(s->db, sql);
    int rc;

    clinic_defaults(out);
    if (!st)
        return E_DB;
    for (int f = 0; f < CLINIC_N_FIELDS; f++)
        db_bind_text(st, f + 1, clinic_key(f));
    while ((rc = db_step(st)) == DB_ROW)
        for (int f = 0; f < CLINIC_N_FIELDS; f++)
            if (strcmp(db_col_text(st, 0), clinic_key(f)) == 0)
                clinic_set(out, f, db_col_text(st, 1));
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "clinic details");
}

enum err store_clinic_set(struct store *s, const struct clinic *c, const struct audit_entry *audit)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct db_stmt *st;
    enum err e = E_DB;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    for (int f = 0; f < CLINIC_N_FIELDS; f++) {
        if (!(st = db_prepare(s->db, sql)))
            goto out;
        db_bind_text(st, 1, clinic_key(f));
        db_bind_text(st, 2, clinic_get(c, f));
        if (db_step(st) != DB_DONE) {
            db_reset(st);
            db_fail(s->db, "clinic details");
            goto out;
        }
        db_reset(st);
    }
    if (audit && store_audit_append(s, audit) != E_OK)
        goto out;
    if ((e = db_commit(s->db)) == E_OK)
        store_settings_changed(); /* the clinic's keys are settings too (staff.c keeps them) */
    return e;
out:
    db_rollback(s->db);
    return e;
}
