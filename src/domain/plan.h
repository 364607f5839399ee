/* plan: the rules of a treatment plan version (migration 0020): its lifecycle draft -> signed
 * -> current -> superseded and which act each state allows, what a draft's content must be
 * (each field's bounds, named by its path in the API's body), what keeps a draft from being
 * signed, the review date, and which version is current on a date. Pure; no I/O. */
#ifndef HAVEN_PLAN_H
#define HAVEN_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/caldate.h"

enum plan_status { PLAN_DRAFT, PLAN_SIGNED, PLAN_CURRENT, PLAN_SUPERSEDED };
/* What a person does to a version. */
enum plan_act { PLAN_EDIT, PLAN_SIGN, PLAN_ACKNOWLEDGE, PLAN_REVIEW };

/* Bounds of the content (the schema's, and how much one plan holds). */
#define PLAN_TEXT_MAX 1200      /* a statement, goal, objective or intervention */
#define PLAN_FREQUENCY_MAX 200  /* "3x/week" */
#define PLAN_SUMMARY_MAX 4000
#define PLAN_REASON_MAX 1200    /* why the acknowledgement was verbal */
#define PLAN_MAX_PROBLEMS 12
#define PLAN_MAX_GOALS 6        /* per problem */
#define PLAN_MAX_OBJECTIVES 6   /* per goal */
#define PLAN_MAX_INTERVENTIONS 8 /* per problem */
/* A review is "due" from this many days before its date, "overdue" after it: when the Today
 * screen starts to list it (a clinic's habit, not a clinical cut-off). */
#define PLAN_REVIEW_NOTICE_DAYS 7
#define PLAN_REVIEW_DAYS_DEFAULT 30 /* the setting plan_review_days when unset */

/* "draft", "signed", "current", "superseded"; parse: false for anything else. */
const char *plan_status_name(enum plan_status s);
bool plan_status_parse(const char *name, enum plan_status *out);
/* Whether a version in state s allows the act: edit and sign a draft, acknowledge a signed
 * version, review the current one. */
bool plan_allows(enum plan_status s, enum plan_act act);
/* Why not, in plain words, for the 409 ("Only a draft can be changed; this version is
 * signed."). */
const char *plan_refusal(enum plan_status s, enum plan_act act);

/* Checks a plan's content as the API sends it: {summary?, problems: [{asam_dimension 1-6,
 * statement, source?, goals: [{text, objectives: [{text, target_date, status?, thread_id?}]}],
 * interventions: [{text, frequency}]}]}, each within its bounds. Appends one
 * {field, message} to details (an array) per problem, field being the path
 * ("problems[0].goals[1].objectives[0].target_date"). Returns how many it appended. An empty
 * plan (no problems) passes: it is a draft that cannot be signed yet. */
size_t plan_check(const json_t *content, json_t *details);
/* The same checks for one text value: NULL when s has 1 to max characters of well-formed
 * UTF-8 with no control or invisible characters (multiline: newlines allowed), else why. */
const char *plan_text_problem(const char *s, long max, bool multiline);

/* The problems a new draft proposes from an assessment's result (spec assessment.md §7:
 * "dimensions": [{dimension, name, rating, reasons}]): one per dimension rated above 0 (0 is
 * "no concern"), with source, a statement naming the dimension, its rating and the reasons
 * (cut to PLAN_TEXT_MAX characters), and no goals or interventions yet: the clinician edits or
 * removes them. New reference; [] when result has no dimensions. */
json_t *plan_seed(const json_t *result, const char *source);

/* What keeps a draft from being signed. */
enum plan_block { PLAN_NO_PROBLEM, PLAN_NO_GOAL, PLAN_NO_OBJECTIVE, PLAN_NO_INTERVENTION };
struct plan_blocker {
    enum plan_block kind;
    size_t problem, goal; /* where (from 0), as far as kind names one */
};
/* The blockers of content's problems (as plan_check takes them), in order: none at all, then
 * per problem a missing goal, each goal with no objective, a missing intervention. At most
 * max are written to out; returns how many there are. */
size_t plan_blockers(const json_t *problems, struct plan_blocker *out, size_t max);
/* The blocker in words ("Problem 2 has no goal."), and its field path, into the buffers. */
void plan_blocker_words(const struct plan_blocker *b, char *message, size_t msize, char *field,
                        size_t fsize);

/* The date a plan effective on `effective` is to be reviewed: `days` later. */
caldate plan_review_due(caldate effective, int days);
/* Whether a version with these dates is current on day d: it took effect on or before d and
 * was not superseded by d (superseded CALDATE_OPEN: never). A draft or signed version, with no
 * effective date (CALDATE_OPEN), never is. */
bool plan_current_on(caldate effective, caldate superseded, caldate d);
/* A current plan's review on `today`: not yet due, due (within PLAN_REVIEW_NOTICE_DAYS, the
 * date itself included), or overdue (the date has passed). */
enum plan_review { PLAN_REVIEW_LATER, PLAN_REVIEW_DUE, PLAN_REVIEW_OVERDUE };
enum plan_review plan_review_state(caldate due, caldate today);

#endif
