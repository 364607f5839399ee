/* patient_flow: the life cycle of an admitted patient, as tables: active, on hold, discharged;
 * which status changes are allowed, for which roles, and what each one needs (a discharge date
 * and a reason from the list; a note for "other" and for re-activating a discharged patient).
 * Pure: no I/O, no clock (the caller passes today's date), no locale; safe from any thread. */
#ifndef HAVEN_PATIENT_FLOW_H
#define HAVEN_PATIENT_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/roles.h"

enum patient_status {
    PATIENT_ACTIVE,
    PATIENT_ON_HOLD,
    PATIENT_DISCHARGED,
    PATIENT_N_STATUS,
};

/* Who may change a patient's record at all (status, contact details, counsellor); billing and
 * auditors read only. Re-activating a discharged patient is narrower (the table says so). */
#define PATIENT_EDIT_ROLES (ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_MEDICAL | ROLE_ADMIN)
#define PATIENT_REACTIVATE_ROLES (ROLE_CLINICIAN | ROLE_ADMIN)
/* A status note (the discharge's "other" note, the reason for re-activating), in characters. */
#define PATIENT_NOTE_MAX 500

/* "active", "on-hold", "discharged"; NULL out of range. */
const char *patient_flow_status_name(enum patient_status s);
/* "Active", "On hold", "Discharged"; NULL out of range. */
const char *patient_flow_status_label(enum patient_status s);
/* The label of a status name ("on-hold" -> "On hold"); the name itself when unknown. */
const char *patient_flow_status_label_of(const char *name);
/* E_OK and *out, or E_INVALID for an unknown name (or NULL). */
enum err patient_flow_status_parse(const char *name, enum patient_status *out);

/* A status change being asked for. Strings may be NULL (not given); dates are "YYYY-MM-DD".
 * The discharge fields are read only when `to` is discharged. */
struct patient_flow_change {
    enum patient_status from, to;
    unsigned roles;               /* the asker's role bits (domain/roles.h) */
    const char *discharge_date;   /* on or after admission_date, not after today */
    const char *discharge_reason; /* a code of patient_flow_discharge_reason() */
    const char *note;             /* UTF-8 (the caller checked it), at most PATIENT_NOTE_MAX */
    const char *admission_date;
    const char *today;            /* the clinic's date */
};

/* What is wrong with a change: bits, several at once (every problem of the form is named). */
enum patient_flow_problem {
    PATIENT_FLOW_NO_TRANSITION = 1u << 0, /* the table has no such change (alone when set) */
    PATIENT_FLOW_ROLE = 1u << 1,          /* the change exists, not for these roles (alone) */
    PATIENT_FLOW_NEED_DATE = 1u << 2,
    PATIENT_FLOW_BAD_DATE = 1u << 3,      /* not a calendar date */
    PATIENT_FLOW_DATE_FUTURE = 1u << 4,   /* after today */
    PATIENT_FLOW_DATE_EARLY = 1u << 5,    /* before the admission */
    PATIENT_FLOW_NEED_REASON = 1u << 6,
    PATIENT_FLOW_UNKNOWN_REASON = 1u << 7,
    PATIENT_FLOW_NEED_NOTE = 1u << 8,     /* "other", or re-activating a discharged patient */
    PATIENT_FLOW_NOTE_TOO_LONG = 1u << 9,
};

/* 0 when the change is allowed as asked; else the problems' bits. NO_TRANSITION and ROLE come
 * alone (nothing else is worth checking then). */
unsigned patient_flow_check(const struct patient_flow_change *c);
/* The statuses a member holding `roles` may move a patient to from `from`, in table order:
 * writes up to n of them to out and returns how many there are. */
size_t patient_flow_next(enum patient_status from, unsigned roles, enum patient_status *out,
                         size_t n);
/* True when from -> to is in the table for some role (whoever may ask for it). */
bool patient_flow_exists(enum patient_status from, enum patient_status to);

/* Discharge reasons, in table order: codes; NULL past the end. */
const char *patient_flow_discharge_reason(size_t i);
const char *patient_flow_discharge_reason_label(const char *code); /* NULL if unknown */
/* Whether the reason needs a note ("other"). */
bool patient_flow_discharge_reason_needs_note(const char *code);

/* How a patient revoked a consent to disclose (42 CFR 2.31 lets them revoke in writing or
 * orally), in table order: "in-writing", "verbally"; NULL past the end. Migration 0013 repeats
 * the codes in the schema. */
const char *patient_flow_revoke_how(size_t i);
/* "In writing", "Verbally (in person or by phone)"; NULL if unknown. */
const char *patient_flow_revoke_how_label(const char *code);
/* For sentences: "in writing", "verbally"; NULL if unknown. */
const char *patient_flow_revoke_how_words(const char *code);


#endif
