/* demo_backdate: dates the demo's clinical records (src/cli/demo_record.c) on the days they
 * describe, which the store's writes, stamping the moment of writing, cannot. Only for the
 * demo. */
#ifndef HAVEN_STORE_DEMO_BACKDATE_H
#define HAVEN_STORE_DEMO_BACKDATE_H

#include "domain/audit_chain.h"
#include "store/store.h"

/* Sets the moments written by author (users.id, the demo clinician) to the record's own day: a
 * plan version's creation, signature and acknowledgement to its effective date, a note's and
 * its sections' to four hours after the session (before they fall due), a measure's to the day
 * it was taken, a drug screen's to its collection. The dates, the content and the audit trail
 * (which keeps the true moments of the writes) do not change. One transaction with audit's
 * entry ("backdate" of the "demo-record"). */
enum err store_demo_backdate(struct store *s, long author, const struct audit_entry *audit);

#endif
