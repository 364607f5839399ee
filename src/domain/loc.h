/* loc: from scores and context answers to the six ASAM dimension ratings, use severity,
 * flags and the recommended level of care (spec/assessment.md §3-§6). Rules are tables read
 * top to bottom; the first matching line wins. Pure; safe from any thread. */
#ifndef HAVEN_LOC_H
#define HAVEN_LOC_H

#include <stdbool.h>

#include <jansson.h>

#include "domain/instruments.h"

enum loc_asq { LOC_ASQ_NONE, LOC_ASQ_NON_ACUTE, LOC_ASQ_ACUTE };
enum loc_wd { LOC_WD_NONE, LOC_WD_MILD, LOC_WD_SEVERE };
enum loc_housing { LOC_HOUSING_STABLE, LOC_HOUSING_UNSTABLE, LOC_HOUSING_NONE };
enum loc_support { LOC_SUPPORT_STRONG, LOC_SUPPORT_SOME, LOC_SUPPORT_NONE };
enum loc_severity { LOC_SEV_NONE, LOC_SEV_LOW, LOC_SEV_MODERATE, LOC_SEV_HIGH };

#define LOC_DAILY_ALCOHOL 1u
#define LOC_DAILY_SEDATIVES 2u
#define LOC_DAILY_OPIOIDS 4u

/* Everything the rules read. Scores of unanswered instruments are 0 (and `*_answered` false);
 * unanswered context items hold their no-risk value (spec §2). */
struct loc_facts {
    int audit;
    int assist[INSTRUMENTS_N_SUBSTANCES]; /* substance involvement scores, 0 when not used */
    int assist2_opioids, assist2_sedatives; /* past-3-month frequency scores */
    int assist8;                            /* -1 when not asked or not answered */
    int phq9, phq9_item9;
    const char *phq9_item9_label; /* the answer's label, or NULL */
    int gad7;
    enum loc_asq asq;
    bool adolescent;
    enum loc_wd wd_symptoms;
    bool wd_complicated, wd_now;
    unsigned wd_daily; /* LOC_DAILY_* bits */
    bool med_unstable, med_pregnant, med_overdose;
    int ready;
    bool ready_answered;
    bool tx_recent, tx_op_not_enough, relapse;
    int craving;
    enum loc_housing housing;
    bool env_safe, env_home_use;
    enum loc_support support;
};

/* The facts of a person who answered nothing: every no-risk value. */
void loc_facts_init(struct loc_facts *f);

/* Adds "dimensions", "severity", "flags" and "recommendation" (spec §7) to the object `out`,
 * which the caller owns. Cannot fail on valid facts; jansson running out of memory leaves
 * fields out. */
void loc_assess(const struct loc_facts *f, json_t *out);

/* Level and flag names in table order, for tests and the web layer's message keys. */
const char *loc_level_name(size_t i); /* NULL past the last */
const char *loc_flag_name(size_t i);  /* NULL past the last */

#endif
