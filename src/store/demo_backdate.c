/* demo_backdate: the demo record's moments (store/demo_backdate.h). The demo writes six weeks
 * of a program in one start-up through the store's clinical writes, which stamp "now": a plan
 * in effect since October would read "signed today", and every note "signed weeks late". The
 * clinical functions are not given a clock parameter for this (no real write may choose its own
 * moment); the demo's rows are restamped here afterwards instead, in one transaction. */
#include "store/demo_backdate.h"

#include "store/admissions_internal.h"
#include "store/store_internal.h"

/* A version's day: it was written, signed and acknowledged on the day it took effect. */
static const char sql_plans[] =
    "UPDATE plans SET created_at = effective_date || 'T18:00:00Z',"
    " updated_at = effective_date || 'T18:00:00Z', signed_at = effective_date || 'T18:00:00Z',"
    " ack_at = effective_date || 'T18:00:00Z' WHERE created_by = ?1 AND effective_date IS NOT NULL";
/* A note four hours after its session (due_at is the session's end plus the due hours). */
static const char sql_notes[] =
    "UPDATE notes SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', due_at, '-20 hours'),"
    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', due_at, '-20 hours'),"
    " signed_at = CASE WHEN signed_at IS NULL THEN NULL"
    " ELSE strftime('%Y-%m-%dT%H:%M:%SZ', due_at, '-20 hours') END WHERE author_id = ?1";
static const char sql_sections[] =
    "UPDATE note_sections SET updated_at = n.updated_at,"
    " signed_at = CASE WHEN note_sections.signed_at IS NULL THEN NULL ELSE n.updated_at END"
    " FROM notes n WHERE n.id = note_sections.note_id AND n.author_id = ?1";
static const char sql_measures[] =
    "UPDATE measures SET created_at = taken_on || 'T18:00:00Z' WHERE entered_by = ?1";
static const char sql_screens[] =
    "UPDATE drug_screens SET created_at = collected_on || 'T18:00:00Z' WHERE entered_by = ?1";

enum err store_demo_backdate(struct store *s, long author, const struct audit_entry *audit)
{
    static const char *const sql[] = {sql_plans, sql_notes, sql_sections, sql_measures,
                                      sql_screens};
    struct db_stmt *st;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    for (size_t i = 0; e == E_OK && i < sizeof(sql) / sizeof(*sql); i++) {
        if (!(st = db_prepare(s->db, sql[i]))) {
            e = E_DB;
            break;
        }
        db_bind_int64(st, 1, author);
        e = db_run(st, "demo backdate");
    }
    if (e == E_OK)
        e = admissions_audit(s, audit, "backdate", "demo-record", NULL);
    return admissions_finish(s, e);
}
