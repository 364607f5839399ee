/* clinical_alerts: the store's interface for the clinical alerts of issue 10 (migration 0020):
 * PHQ-9 item 9 above 0 (urgent), a risk concern in a note, an unexpected positive drug screen.
 * Each goes to the patient's counsellor and stays open until a clinician records the
 * follow-up. Returns E_OK, E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_CLINICAL_ALERTS_H
#define HAVEN_STORE_CLINICAL_ALERTS_H

#include <stdbool.h>

#include "store/store.h"

struct audit_entry;

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

/* An alert as JSON: {id, patient_id (public), patient_name, kind, urgent, detail, source_id
 * (or ""), raised_at, counsellor (name, or ""), counsellor_id (users' public id, or ""), mine
 * (addressed to the counsellor asked about), open, followed_up_at, followed_up_by (a name),
 * follow_up ("" while open)}. */

/* The open alerts: urgent first, then those addressed to counsellor (users.id; 0 = nobody in
 * particular), then the oldest first. New reference in *out. */
enum err store_clinical_alerts_open(struct store *s, long counsellor, json_t **out);
/* The alerts of one patient (patients.id): the open ones only (open_only) or all, open first,
 * then newest first. New reference in *out. */
enum err store_clinical_alerts_of(struct store *s, long patient, bool open_only, json_t **out);
/* One alert by its public id; E_NOTFOUND. */
enum err store_clinical_alert_get(struct store *s, const char *public_id, json_t **out);

#define CLINICAL_ALERT_FOLLOW_UP_MAX 2000 /* clinical_alerts.follow_up, in bytes */
/* Records the follow-up (1-2000 bytes of text, by users.id) that closes an open alert, with
 * audit's entry (may be NULL) as its "update", in one transaction. E_INVALID for an empty or
 * long text, E_NOTFOUND without the alert, E_CONFLICT when it was followed up already. */
enum err store_clinical_alert_follow_up(struct store *s, const char *public_id, long by_user,
                                        const char *follow_up, const struct audit_entry *audit);

#endif
