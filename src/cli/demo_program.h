/* demo_program: `make run`'s living program: about twenty fictional patients admitted over the
 * last six weeks into the demo tracks, their attendance and individual sessions. */
#ifndef HAVEN_DEMO_PROGRAM_H
#define HAVEN_DEMO_PROGRAM_H

#include "store/store.h"

/* Seeds the program once, relative to the clinic's today (the process's time zone), through the
 * store's own writes, each audited as user "demo". Does nothing when the database has a patient
 * already, or lacks the demo tracks or the demo clinician. 0, or -1 when a write failed. */
int demo_program(struct store *s);

#endif
