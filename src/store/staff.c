/* staff: what the staff modules share (the audit entry written inside a change's
 * transaction) and the workspace settings of store/staff.h. Accounts are in users.c, sessions
 * and set-password tokens in sessions.c, the second factor in second_factor.c. */
#include "store/staff_internal.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

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

/* A setting read is kept this long: a change made by another process (sqlite3 by hand, a
 * restore) shows within it; this process's own changes show at once (store_settings_gen). */
#define SETTING_KEEP_SECONDS 5

static atomic_ulong settings_gen = 1;

void store_settings_changed(void)
{
    atomic_fetch_add(&settings_gen, 1);
}

static long mono_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (long)ts.tv_sec;
}

/* The kept entry of key, or NULL; with *slot the entry to fill when it is not kept. */
static struct store_setting *kept(struct store *s, const char *key, struct store_setting **slot)
{
    unsigned long gen = atomic_load(&settings_gen);
    long now = mono_seconds();
    struct store_setting *oldest = &s->settings[0];

    for (size_t i = 0; i < STORE_SETTINGS_KEPT; i++) {
        struct store_setting *e = &s->settings[i];

        if (strcmp(e->key, key) == 0) {
            *slot = e;
            return e->gen == gen && now - e->at < SETTING_KEEP_SECONDS ? e : NULL;
        }
        if (e->at < oldest->at || !e->key[0])
            oldest = e;
    }
    *slot = oldest;
    return NULL;
}

enum err store_setting_get(struct store *s, const char *key, char *out, size_t size)
{
    struct store_setting *slot = NULL, *e = kept(s, key, &slot);
    unsigned long gen = atomic_load(&settings_gen);
    struct db_stmt *q = NULL;
    enum err ret;
    int rc;

    if (e) {
        store_copy(out, size, e->value);
        return E_OK;
    }
    if (!(q = db_prepare(s->db, sql_setting_get)))
        return E_DB;
    db_bind_text(q, 1, key);
    rc = db_step(q);
    if (rc == DB_ROW) {
        const char *v = db_col_text(q, 0);

        store_copy(out, size, v);
        ret = E_OK;
        /* Only short values are kept (flags and numbers); a key too long is never kept. */
        if (strlen(v) < sizeof(slot->value) && strlen(key) < sizeof(slot->key)) {
            store_copy(slot->key, sizeof(slot->key), key);
            store_copy(slot->value, sizeof(slot->value), v);
            slot->gen = gen;
            slot->at = mono_seconds();
        }
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
    if (audit && (staff_audit(s, audit) != E_OK || db_commit(s->db) != E_OK))
        goto fail;
    /* After the commit: a worker that read the old value meanwhile keeps it with the old
     * generation, so it reads again. */
    store_settings_changed();
    return E_OK;
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

enum err store_settings_set_many(struct store *s, const char *const *keys,
                                 const char *const *values, size_t n,
                                 const struct audit_entry *audit)
{
    static const char sql_put[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    static const char sql_drop[] = "DELETE FROM settings WHERE key = ?1";
    struct db_stmt *q;
    enum err e = E_DB;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    for (size_t i = 0; i < n; i++) {
        if (!(q = db_prepare(s->db, values[i] ? sql_put : sql_drop)))
            goto out;
        db_bind_text(q, 1, keys[i]);
        if (values[i])
            db_bind_text(q, 2, values[i]);
        if (db_run(q, "settings set") != E_OK)
            goto out;
    }
    if (staff_audit(s, audit) != E_OK || db_commit(s->db) != E_OK)
        goto out;
    store_settings_changed();
    return E_OK;
out:
    db_rollback(s->db);
    return e;
}
