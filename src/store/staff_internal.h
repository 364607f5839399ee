/* staff_internal: what the staff store's files share (staff.c, users.c, sessions.c,
 * second_factor.c). Only those files include it. Contracts: store/staff.h. */
#ifndef HAVEN_STAFF_INTERNAL_H
#define HAVEN_STAFF_INTERNAL_H

#include "store/stamp.h"
#include "store/store_internal.h"
#include "store/staff.h"

/* Appends audit (when not NULL) inside the transaction already open; E_OK or E_DB (logged). */
enum err staff_audit(struct store *s, const struct audit_entry *audit);
/* sessions.c: ends every session of user_id but keep (0: all), inside the caller's
 * transaction when one is open. */
enum err sessions_end(struct store *s, long user_id, long keep);

#endif
