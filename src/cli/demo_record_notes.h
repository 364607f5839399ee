/* demo_record_notes: the notes of the demo program's clinical record (cli/demo_record.h):
 * the sessions' group and individual notes, written and signed through the store. */
#ifndef HAVEN_DEMO_RECORD_NOTES_H
#define HAVEN_DEMO_RECORD_NOTES_H

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "store/store.h"

/* The notes of every session before today from `from` on (the first admission): each group
 * or workshop session's group note with a section per attendee, each individual or family
 * session's DAP note, all signed, except the last group session's note, left as a draft for
 * the Today screen. `slow` names the patient whose notes say the work is
 * not moving (last name). 0 or -1. */
int demo_record_notes(struct store *s, long clinician, caldate from, caldate today,
                      const char *slow, const struct audit_entry *audit);

#endif
