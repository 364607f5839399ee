/* common: what the admissions screens share: the staff page model with the 42 CFR part 2
 * notice, the referral that :id names, labels of levels, flags and statuses, times shown in the
 * clinic's zone, and the admissions settings. The patients screens use some of it too. */
#ifndef HAVEN_ADM_COMMON_H
#define HAVEN_ADM_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "domain/audit_chain.h"
#include "core/timefmt.h"
#include "domain/referral_flow.h"
#include "domain/roles.h"
#include "core/err.h"
#include "http/req.h"
#include "web/form.h"
#include "web/auth.h"

/* Who works the referral queue, intake and admission; who reads a patient's record. */
#define ADM_QUEUE_ROLES (ROLE_ADMISSIONS | ROLE_CLINICIAN | ROLE_ADMIN)
#define ADM_LEVEL_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL) /* confirm or change a level of care */
#define ADM_PATIENT_ROLES                                                                          \
    (ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_MEDICAL | ROLE_ADMIN | ROLE_BILLING)
#define ADM_CLINICAL_ROLES (ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_MEDICAL | ROLE_ADMIN)
#define ADM_CONSENT_ROLES ADM_CLINICAL_ROLES

#define ADM_PART2_NOTICE "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

/* The staff frame's model: staff, csrf, user, title, part2_notice. New reference. */
json_t *admissions_model(struct req *r, const char *title);

/* A handler's answer to a store call that failed on record id: audits (action, record_type,
 * id) with the failure's outcome and returns e, where anything but E_NOTFOUND, E_CONFLICT and
 * E_INVALID becomes E_DB; drops a model already set, so that the error page shows. */
enum err admissions_failed(struct req *r, enum err e, const char *action,
                           const char *record_type, const char *id);
/* The referral id names, which every handler of one referral reads first (*ref is owned by the
 * request). A missing or unreadable one is audited as action's failure (admissions_failed). */
enum err admissions_referral(struct req *r, const char *id, const char *action, json_t **ref);
/* The same for a page that shows the referral: its "view" entry written too (no entry, no
 * read: E_DB with r->message). */
enum err admissions_referral_shown(struct req *r, const char *id, json_t **ref);
/* The answer to a change that landed: 303 to before + id + after, and no page. E_OK. */
enum err admissions_redirect(struct req *r, const char *before, const char *id, const char *after);

/* The string at key of o, or "" (never NULL). */
const char *admissions_string(const json_t *o, const char *key);
/* A referral's heading on the intake and admission screens: {public_id, name, phone,
 * level_title, created, flags, crisis}. New reference. */
json_t *admissions_summary(struct req *r, const char *id, const json_t *ref);
/* A select's options [{value, label, selected}] from values (NULL-terminated); each label is
 * the level's title when level_titles, else labels[i] (or the value when labels is NULL). */
/* The patient statuses as select options (domain/patient_flow's names and labels). */
json_t *admissions_status_options(const char *selected);
json_t *admissions_options(const char *const *values, const char *selected, bool level_titles,
                           const char *const *labels);

/* Display helpers (static strings or arena copies). */
const char *admissions_level_title(const char *code);
/* Flags as [{code, label, crisis}] with crisis flags first. New reference. */
json_t *admissions_flags(const json_t *codes, bool *crisis);
/* "35 min", "3 h", "2 days" since the UTC ISO time. */
const char *admissions_age(struct req *r, const char *iso, time_t now);

/* Settings: overdue_hours (default 2; seeded by migration 0006). */
int admissions_overdue_hours(struct req *r);
/* The clinic's wall clock for domain/referral_flow: localtime_r and mktime, which follow the
 * IANA zone that `haven serve --timezone` (HAVEN_TIMEZONE) puts in TZ before threads start. */
const struct referral_flow_clock *admissions_clock(void);

/* The assessment result model for staff (level, reasons, scores, dimensions), read-only. */
json_t *admissions_result_view(const json_t *result);
/* The person's answers as [{title, items: [{id, text, answer, urgent}]}] (answered items only),
 * for the intake and the chart: the person does not answer twice. urgent: an answer that needs
 * a person now (domain/referral_flow). New reference. */
json_t *admissions_answers_view(struct req *r, const json_t *answers);
/* The same for the sections whose ids are in only (NULL-terminated; NULL: every section). */
json_t *admissions_answers_of(struct req *r, const json_t *answers, const char *const *only);

/* The codes of a domain table read through its accessor (referral_flow_call_outcome, ...), as a
 * NULL-terminated array for form_choice (arena). */
const char *const *admissions_codes(struct req *r, const char *(*at)(size_t));
/* The intake appointment of a posted form: the fields intake_date ("YYYY-MM-DD") and
 * intake_time ("HH:MM") on the clinic's wall clock, checked by domain/referral_flow, each
 * problem next to its field; the instant as a UTC stamp (arena). NULL when there is a problem,
 * or when neither is given and the appointment is not required. */
const char *admissions_intake_at(struct form *f, bool required);
/* Sets form.intake_date and form.intake_time to a stored UTC stamp's date and time on the
 * clinic's clock ("" when iso is empty or does not parse), for a form filled in again. */
void admissions_local_fields(json_t *form, const char *iso);

#endif
