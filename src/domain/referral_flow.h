/* referral_flow: the life cycle of an "ask us to call you" referral, as tables: its statuses and
 * which transitions are allowed, the reasons for closing one, the outcomes of a call, the flags
 * that make it urgent, the overdue rule (N business hours without a call) and the queue order.
 * Pure: no I/O, no clock, no locale; safe from any thread. */
#ifndef HAVEN_REFERRAL_FLOW_H
#define HAVEN_REFERRAL_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/err.h"

enum referral_status {
    REFERRAL_NEW,
    REFERRAL_CONTACTED,
    REFERRAL_INTAKE_SCHEDULED,
    REFERRAL_ADMITTED,
    REFERRAL_CLOSED,
    REFERRAL_N_STATUS,
};

/* How a transition is asked for: the status form, saving the intake, or admitting. */
enum referral_via {
    REFERRAL_VIA_FORM,
    REFERRAL_VIA_CALL,   /* a "reached" call moves a new referral to contacted */
    REFERRAL_VIA_INTAKE, /* a confirmed intake moves a contacted referral to intake-scheduled */
    REFERRAL_VIA_ADMIT,  /* only admitting a patient makes a referral admitted */
};

#define REFERRAL_DEFAULT_OVERDUE_HOURS 2
#define REFERRAL_NOTE_MAX 2000

/* "new", "contacted", "intake-scheduled", "admitted", "closed"; NULL out of range. */
const char *referral_flow_status_name(enum referral_status s);
/* A label for staff ("Intake scheduled"); NULL out of range. */
const char *referral_flow_status_label(enum referral_status s);
/* E_OK and *out, or E_INVALID for an unknown name (or NULL). */
enum err referral_flow_status_parse(const char *name, enum referral_status *out);
/* Open = still in the queue (new, contacted, intake-scheduled). */
bool referral_flow_is_open(enum referral_status s);

/* May a referral go from `from` to `to` when asked `via`? E_OK; E_INVALID when closing without
 * a known reason (referral_flow_close_reason_ok) or giving a reason that is not for closing;
 * E_CONFLICT when the table has no such transition. `reason` may be NULL. */
enum err referral_flow_check(enum referral_status from, enum referral_status to,
                             enum referral_via via, const char *reason);
/* The statuses a staff member may choose on the status form from `from`, in table order:
 * writes up to n of them to out and returns how many there are. */
size_t referral_flow_next(enum referral_status from, enum referral_status *out, size_t n);

/* Closing reasons, in table order ("referred-elsewhere", "handed-to-988",
 * "emergency-services", "not-reached", "declined", "duplicate"): code and label; NULL past the
 * end. */
const char *referral_flow_close_reason(size_t i);
const char *referral_flow_close_reason_label(const char *code); /* NULL if unknown */
bool referral_flow_close_reason_ok(const char *code);

/* Call outcomes ("reached", "handed-to-988", "emergency-services", "referred-elsewhere",
 * "voicemail", "no-answer", "wrong-number", "welfare-check"), in table order. */
const char *referral_flow_call_outcome(size_t i);
const char *referral_flow_call_outcome_label(const char *code); /* NULL if unknown */
bool referral_flow_call_outcome_ok(const char *code);
/* Was the person on the line (so that a new referral becomes contacted)? False if unknown. */
bool referral_flow_call_outcome_reached(const char *code);

/* Is this answer (an item id of the assessment and its value as text: "true", "severe") one
 * that needs a person now, to be highlighted in a crisis referral's summary? */
bool referral_flow_answer_urgent(const char *item, const char *value);

/* The intake appointment: at most this many days ahead. */
#define REFERRAL_INTAKE_DAYS_MAX 365
/* Why a date ("YYYY-MM-DD", on the clinic's calendar) cannot be an intake appointment's, as a
 * sentence, or NULL: it is needed, a real date, from today (the clinic's date) to
 * REFERRAL_INTAKE_DAYS_MAX days ahead. */
const char *referral_flow_intake_date_problem(const char *date, const char *today);
/* The same for its time: needed, "HH:MM" on a 24-hour clock. */
const char *referral_flow_intake_time_problem(const char *hhmm);

/* Flags that put a referral at the top of the queue, in red: suicide-acute, suicide-risk,
 * withdrawal-danger. */
bool referral_flow_flag_is_crisis(const char *code);
/* The flags' codes, in table order; NULL past the end (migration 0008 repeats the crisis ones in
 * SQL: tests/unit/store/test_referrals.c checks the two agree). */
const char *referral_flow_flag(size_t i);
/* A short label for staff ("Suicide risk: acute"); the code itself when unknown. */
const char *referral_flow_flag_label(const char *code);

/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) to seconds since the epoch; -1 when malformed. */
time_t referral_flow_parse_utc(const char *iso);

/* Seconds of business time (Monday-Friday 09:00-17:00 local, local = UTC + a fixed
 * utc_offset_min; the screens use the _local variants below, which follow the zone's rules)
 * between from and to; 0 when to <= from. */
long referral_flow_business_seconds(time_t from, time_t to, int utc_offset_min);
/* A referral created at `created` with no call yet (first_call < 0) is overdue at `now` when
 * more than `hours` business hours have passed. A referral that had a call is never overdue. */
bool referral_flow_overdue(time_t created, time_t first_call, time_t now, int utc_offset_min,
                           int hours);

/* The clinic's clock: an instant to the clinic's local broken-down time, and a local time
 * (tm_isdst -1: let the zone decide) back to an instant. The web layer passes localtime_r and
 * mktime (the process runs in the clinic's IANA zone: TZ is set at start-up, before threads);
 * tests do the same after setting TZ. Callbacks, so that this file reads no environment. */
struct referral_flow_clock {
    struct tm *(*to_local)(const time_t *t, struct tm *out);
    time_t (*from_local)(struct tm *tm);
};

/* Seconds of business time (Monday-Friday 09:00-17:00 on the clinic's wall clock, whatever its
 * UTC offset is that day: right across daylight-saving changes) between from and to; 0 when
 * to <= from. Stops counting once past cap (cap <= 0: no cap), so that an old referral costs no
 * more than a recent one. Assumes no zone changes its offset between 09:00 and 17:00. */
long referral_flow_business_seconds_local(time_t from, time_t to,
                                          const struct referral_flow_clock *clk, long cap);
/* referral_flow_overdue on the clinic's wall clock (referral_flow_business_seconds_local). */
bool referral_flow_overdue_local(time_t created, time_t first_call, time_t now,
                                 const struct referral_flow_clock *clk, int hours);
/* The instant of a date ("YYYY-MM-DD") and time ("HH:MM") on the clinic's wall clock; -1 when
 * either is malformed. A time that does not exist that day (spring forward) is the zone's. */
time_t referral_flow_local_instant(const char *date, const char *hhmm,
                                   const struct referral_flow_clock *clk);

/* What the queue sorts by. */
struct referral_flow_rank {
    bool crisis;
    bool overdue;
    time_t created;
};
/* qsort-style order: crisis flags first, then overdue, then oldest first. */
int referral_flow_queue_cmp(const struct referral_flow_rank *a, const struct referral_flow_rank *b);

/* When a person would like to be called: the call form's choices and the one wording of each
 * that every screen shows (clinic hours in the clinic's zone). NULL-terminated by code. */
struct referral_best_time {
    const char *code;
    const char *label;
};
#define REFERRAL_BEST_TIMES 4
extern const struct referral_best_time referral_flow_best_times[REFERRAL_BEST_TIMES + 1];
/* The label of a best-time code, or the code itself when it is not one ("" for NULL). */
const char *referral_flow_best_time_label(const char *code);

#endif
