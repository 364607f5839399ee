/* transitions: a patient's way through the program, as the chart changes it (issue 9): a move
 * to another track, a step up or down in the level of care, the end of an enrolment and the
 * discharge. Each is one transaction holding every row it changes, the patient's timeline event
 * and the audit entries (the entry `a` given, NULL: none, is appended once per record changed,
 * with its action and record replaced), landing whole or not at all; the member is a->user_id.
 * Returns E_OK; E_NOTFOUND (the patient or the enrolment); E_INVALID or E_CONFLICT with *why
 * filled (the form's field at fault and a sentence for a person), E_FORBIDDEN (an override of
 * the capacity by someone who is not an administrator); E_DB (logged, ids only). */
#ifndef HAVEN_STORE_TRANSITIONS_H
#define HAVEN_STORE_TRANSITIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "store/program.h"
#include "store/store.h"

/* A move to another track from `start`: the open enrolment ends on start - 1 (with reason as
 * its end reason) and the patient is enrolled in the track from start, checked as any
 * enrolment is (the track's opening, R8 capacity past which only an administrator goes with
 * override_reason, R9 conflicts). A step (step true) is a move to a track of another level of
 * care, which becomes the patient's level; it needs a reason, and needs no open enrolment (a
 * patient not enrolled yet is enrolled). A move keeps the level: its track is at the patient's. */
struct transition_move {
    const char *track_id;
    caldate start;
    const char *reason;          /* 1-300 characters; NULL: none (a move only) */
    const char *override_reason; /* 1-300 characters, or NULL */
    bool is_admin;
    bool step;
};
/* enrolment_id gets the new enrolment's public id. */
enum err store_transition_move(struct store *s, const char *patient_id,
                               const struct transition_move *m, const struct audit_entry *a,
                               char enrolment_id[33], struct program_why *why);

/* Ends one of the patient's enrolments on `end` (its start at the earliest; not later than its
 * present end: the chart shortens, the API's PATCH also lengthens), with reason (NULL: none). */
enum err store_transition_end(struct store *s, const char *patient_id, const char *enrolment_id,
                              caldate end, const char *reason, const struct audit_entry *a,
                              struct program_why *why);

/* A discharge, its date and rules checked by the caller (not in the future, not before the
 * admission): from is the status the member saw (E_CONFLICT when it is another, or
 * "discharged"); reason a code of the list migration 0019 names; note (NULL or 1-500
 * characters) why, for "other"; aftercare (NULL or 1-2000 characters); enrolment_reason the end
 * reason written on the enrolments the discharge ends (those covering the date or later). An
 * enrolment that starts after the date is a conflict (end it first). */
struct transition_discharge {
    const char *from;
    caldate date;
    const char *reason, *note, *aftercare, *enrolment_reason;
};
enum err store_transition_discharge(struct store *s, const char *patient_id,
                                    const struct transition_discharge *d,
                                    const struct audit_entry *a, struct program_why *why);

/* The patient's enrolments as the chart lists them, oldest first: [{id, track_id, track_code,
 * track_name, level, start, end ("" when open), override_reason, end_reason, by}]. */
enum err store_transition_enrolments(struct store *s, const char *patient_id, json_t **out);

#endif
