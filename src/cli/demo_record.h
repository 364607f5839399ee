/* demo_record: the demo program's clinical record (issue 10), so that `make run` shows what a
 * program director looks for: signed treatment plans current from each patient's admission
 * (reviewed every thirty days), signed group and individual notes for the sessions attended,
 * PHQ-9, GAD-7 and PACS measures with their trends, two drug screens, and the billable days
 * that follow (spec program.md R6); with a little left undone for the Today screen. */
#ifndef HAVEN_DEMO_RECORD_H
#define HAVEN_DEMO_RECORD_H

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "store/store.h"

/* Writes the record of the demo patients (found by their names) through the store's own
 * clinical writes, signed by clinician (users.id), each audited with audit's user ("demo").
 * Called once, right after the demo program's attendance is made. 0, or -1 when a write was
 * refused (logged). */
int demo_record(struct store *s, long clinician, caldate today, const struct audit_entry *audit);

#endif
