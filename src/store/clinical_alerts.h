/* clinical_alerts: the store's interface for the clinical alerts of issue 10 (migration 0020):
 * PHQ-9 item 9 above 0 (urgent), a risk concern in a note, an unexpected positive drug screen.
 * Each goes to the patient's counsellor and stays open until a clinician records the
 * follow-up. Returns E_OK, E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_CLINICAL_ALERTS_H
#define HAVEN_STORE_CLINICAL_ALERTS_H

#include <stdbool.h>

#include "store/store.h"

/* The kinds of migration 0020, as stored. */
#define ALERT_PHQ9_ITEM9 "phq9-item9"
#define ALERT_NOTE_RISK "note-risk"
#define ALERT_SCREEN_POSITIVE "screen-unexpected-positive"
#define ALERT_CHECKIN_USED "checkin-used"
#define ALERT_CHECKIN_CRAVING "checkin-craving"

/* Raises an alert of kind for patient (patients.id) INSIDE the caller's write transaction (the
 * write that found the danger: the measure, the note section, the screen), addressed to the
 * patient's counsellor of the moment. detail (1-400 bytes) says what was found, in words a
 * clinician reads on the Today screen (no answers beyond what the alert needs); source_id is
 * the public id of the row that raised it. public_id (33 bytes, may be NULL) gets its id. */
enum err store_clinical_alert_raise(struct store *s, long patient, const char *kind, bool urgent,
                                    const char *detail, const char *source_id,
                                    char *public_id);

#endif
