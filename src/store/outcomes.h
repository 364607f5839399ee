/* outcomes: the program director's outcomes report (issue 10, Joint Commission CTS.03.01.09:
 * measures aggregated for outcomes), per track and admission month (the month an enrolment
 * starts), counts only: no names, no clinical text. Read in one pass over the enrolments that
 * start in the months asked for (three queries: the enrolments, every enrolment of their
 * patients, their measures). Returns E_OK or E_DB (logged). */
#ifndef HAVEN_STORE_OUTCOMES_H
#define HAVEN_STORE_OUTCOMES_H

#include <jansson.h>

#include "domain/caldate.h"
#include "store/store.h"

/* The report of the enrolments starting from `from` to `to` (both dates inclusive: the first
 * day of the first month, the last of the last), as of a date (today):
 * [{track_id, track_code, track_name, month ("YYYY-MM"), patients (enrolments starting then),
 *   phq9, gad7, pacs: {baseline (a measure taken during the enrolment, up to as_of), followup
 *   (a later one, on a later date), mean_change (latest minus baseline over those with a
 *   follow-up, one decimal; null when none)}, phq9 also {response, response_of (a drop of 50%
 *   or more from a baseline above 0), remission, remission_of (latest under 5)} (Löwe et al.
 *   2004),
 *   retention: {d30, d60, d90: {eligible (start + N days is on or before as_of), retained (an
 *   enrolment of the patient, this one or the next after a move, covers that day)}},
 *   ended: {all (ended on or before as_of), completed (a discharge that day with the reason
 *   "completed"), discharged_other (a discharge for another reason), other (a move or an end
 *   without discharge)}}], by track code and month. */
enum err store_outcomes(struct store *s, caldate from, caldate to, caldate as_of, json_t **out);

#endif
