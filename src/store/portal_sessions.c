/* portal_sessions: the patients' sessions of store/portal.h. The look-up runs on every portal
 * request: one prepared statement that also brings the patient and what the access rule needs,
 * so that a revocation or the end of aftercare shows at once. */
#include "store/portal.h"

#include <string.h>

#include "store/portal_internal.h"

static const char sql_add[] =
    "INSERT INTO portal_sessions (token_hash, account_id, created_at, last_seen, csrf, shared,"
    " client) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6) RETURNING id";
static const char sql_get[] =
    "SELECT s.id, s.account_id, a.patient_id, s.created_at, s.last_seen, s.shared, s.csrf,"
    " p.public_id, p.first_name, a.revoked_at IS NOT NULL, p.status,"
    " coalesce(p.discharge_date, '') FROM portal_sessions s"
    " JOIN portal_accounts a ON a.id = s.account_id JOIN patients p ON p.id = a.patient_id"
    " WHERE s.token_hash = ?1";
static const char sql_touch[] = "UPDATE portal_sessions SET last_seen = ?2 WHERE id = ?1";
static const char sql_delete[] = "DELETE FROM portal_sessions WHERE id = ?1";

void portal_sessions_bind(struct db_stmt *st, const char *token_hash, long account,
                          const char *at, const char *csrf, bool shared, const char *client)
{
    db_bind_text(st, 1, token_hash);
    db_bind_int64(st, 2, account);
    db_bind_text(st, 3, at);
    db_bind_text(st, 4, csrf);
    db_bind_int64(st, 5, shared);
    db_bind_text(st, 6, client && *client ? client : "-");
}

enum err store_portal_session_add(struct store *s, long account, const char *token_hash,
                                  const char *csrf, bool shared, const char *client, long now,
                                  long *id)
{
    struct db_stmt *st = db_prepare(s->db, sql_add);
    char at[STAMP_LEN];

    if (!st)
        return E_DB;
    portal_sessions_bind(st, token_hash, account, stamp_iso(now, at), csrf, shared, client);
    return admissions_insert_id(s, st, "portal session add", id) == E_OK ? E_OK : E_DB;
}

static void fill(struct db_stmt *st, caldate today, long days, void *to)
{
    struct portal_session *out = to;

    out->id = (long)db_col_int64(st, 0);
    out->account = (long)db_col_int64(st, 1);
    out->patient = (long)db_col_int64(st, 2);
    out->created = stamp_parse(db_col_text(st, 3));
    out->last_seen = stamp_parse(db_col_text(st, 4));
    out->shared = db_col_int(st, 5);
    store_copy(out->csrf, sizeof(out->csrf), db_col_text(st, 6));
    store_copy(out->patient_id, sizeof(out->patient_id), db_col_text(st, 7));
    store_copy(out->first_name, sizeof(out->first_name), db_col_text(st, 8));
    out->open = store_portal_access_open(db_col_int(st, 9), db_col_text(st, 10),
                                         db_col_text(st, 11), today, days);
}

enum err store_portal_session_get(struct store *s, const char *token_hash, caldate today,
                                  struct portal_session *out)
{
    return portal_one_row(s, sql_get, token_hash, today, fill, out, "portal session get");
}

enum err store_portal_session_touch(struct store *s, long id, long now)
{
    char at[STAMP_LEN];

    return portal_write(s, sql_touch, id, stamp_iso(now, at), -1, "portal session touch") == E_OK
               ? E_OK
               : E_DB;
}

enum err store_portal_session_delete(struct store *s, long id)
{
    return portal_write(s, sql_delete, id, NULL, -1, "portal session delete") == E_OK ? E_OK : E_DB;
}
