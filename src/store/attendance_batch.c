/* attendance_batch: a session's attendance taken on one screen (spec program.md §2): every
 * patient's record written in one transaction, or none of them. Each row is attendance.c's
 * step (store_attendance_row: the status table of domain/attendance, the roster, no cancelled
 * or future session, the same audit entry per patient) inside this one transaction, for
 * patients already on the roster (a walk-in is one store_attendance_put). */
#include "store/program_internal.h"

enum err store_attendance_put_all(struct store *s, const char *session_id,
                                  const struct attendance_mark *rows, size_t n, caldate today,
                                  const struct audit_entry *a, size_t *at,
                                  struct program_why *why)
{
    struct program_att_session x = {0};
    const char *status;
    int m;
    enum err e;

    *at = n;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = store_attendance_session(s, session_id, "attendance batch session", &x)) != E_OK ||
        (e = store_attendance_open(&x, today, why)) != E_OK)
        goto out;
    for (size_t i = 0; i < n && e == E_OK; i++)
        if ((e = store_attendance_row(s, &x, &rows[i], today, NULL, a, why, &status, &m)) !=
            E_OK)
            *at = i;
out:
    return admissions_finish(s, e);
}
