/* clinical_alerts: raising the clinical alerts of store/clinical_alerts.h, addressed to the
 * patient's counsellor as recorded at the moment the alert is raised. */
#include "store/clinical_alerts.h"

#include "core/rand.h"
#include "store/db.h"
#include "store/stamp.h"
#include "store/store_internal.h"

static const char sql_raise[] =
    "INSERT INTO clinical_alerts (public_id, patient_id, kind, urgent, detail, source_id,"
    " counsellor_id, raised_at)"
    " SELECT ?1, p.id, ?3, ?4, ?5, ?6, p.counsellor_id, ?7 FROM patients p WHERE p.id = ?2";

enum err store_clinical_alert_raise(struct store *s, long patient, const char *kind, bool urgent,
                                    const char *detail, const char *source_id, char *public_id)
{
    struct db_stmt *st = db_prepare(s->db, sql_raise);
    char id[33], now[STAMP_LEN];
    enum err e;

    if (!st)
        return E_DB;
    rand_hex(id, 16);
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, kind);
    db_bind_int64(st, 4, urgent);
    db_bind_text(st, 5, detail);
    db_bind_text_or_null(st, 6, source_id);
    db_bind_text(st, 7, stamp_now(now));
    e = db_run(st, "raise a clinical alert");
    if (e == E_OK && db_changes(s->db) != 1)
        e = E_NOTFOUND;
    if (e == E_OK && public_id)
        store_copy(public_id, 33, id);
    return e;
}
