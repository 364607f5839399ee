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

/* Which answers were given (struct loc_facts.given). The rules never read these bits: they
 * only let the person's page say "you did not answer ..." where a reason would otherwise rest
 * on a no-risk default (spec §2). */
enum loc_given {
    LOC_GIVEN_AUDIT = 1u << 0,
    LOC_GIVEN_ASSIST = 1u << 1,
    LOC_GIVEN_PHQ9 = 1u << 2,
    LOC_GIVEN_GAD7 = 1u << 3,
    LOC_GIVEN_ASQ = 1u << 4,
    LOC_GIVEN_WD_SYMPTOMS = 1u << 5,
    LOC_GIVEN_WD_COMPLICATED = 1u << 6,
    LOC_GIVEN_WD_NOW = 1u << 7,
    LOC_GIVEN_WD_DAILY = 1u << 8,
    LOC_GIVEN_MED_UNSTABLE = 1u << 9,
    LOC_GIVEN_MED_PREGNANT = 1u << 10,
    LOC_GIVEN_MED_OVERDOSE = 1u << 11,
    LOC_GIVEN_READY = 1u << 12,
    LOC_GIVEN_RELAPSE = 1u << 13,
    LOC_GIVEN_CRAVING = 1u << 14,
    LOC_GIVEN_HOUSING = 1u << 15,
    LOC_GIVEN_SAFE = 1u << 16,
    LOC_GIVEN_HOME_USE = 1u << 17,
    LOC_GIVEN_SUPPORT = 1u << 18,
};

/* Who reads the reasons. LOC_VOICE_API: the spec §7 texts ("AUDIT score 23: zone 4, possible
 * dependence"), also stored with a call request for staff. LOC_VOICE_PERSON: the same facts in
 * plain words for the person's result page (no instrument names or zones), and a reason that
 * would rest on an unanswered question says so instead ("You did not answer ..."). The voice
 * never changes a rating, the severity, a flag or the level. */
enum loc_voice { LOC_VOICE_API, LOC_VOICE_PERSON };

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
    unsigned given; /* LOC_GIVEN_* bits; read only for the person's wording */
};

/* The facts of a person who answered nothing: every no-risk value. */
void loc_facts_init(struct loc_facts *f);

/* Adds "dimensions", "severity", "flags" and "recommendation" (spec §7) to the object `out`,
 * which the caller owns. Cannot fail on valid facts; jansson running out of memory leaves
 * fields out. */
void loc_assess(const struct loc_facts *f, json_t *out);
/* The same, with the reasons worded for `voice` (loc_assess is LOC_VOICE_API). */
void loc_assess_voice(const struct loc_facts *f, enum loc_voice voice, json_t *out);

/* Level and flag names in table order, for tests and the web layer's message keys. */
const char *loc_level_name(size_t i); /* NULL past the last */
const char *loc_flag_name(size_t i);  /* NULL past the last */

#endif
