/* loc: the level-of-care rules of spec/assessment.md §3-§6 as tables. Each rule line is a
 * small function that says whether it holds and, when it does, appends the reasons behind it
 * (message ids formatted with the answers or scores), so the person can see why. */
#include "domain/loc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/bands.h"
#include "domain/messages.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N_DIM 6

/* A list of reasons and the voice they are written in (loc.h). */
struct why {
    json_t *list;
    enum loc_voice voice;
};

struct eval {
    const struct loc_facts *f;
    int dim[N_DIM + 1]; /* 1-based, as the spec numbers them */
    struct why why[N_DIM + 1];
    enum loc_severity sev;
    struct why sev_why;
};

static const char *const severity_names[] = {"none", "low", "moderate", "high"};

void loc_facts_init(struct loc_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->assist8 = -1;
    f->ready = 10;
    f->env_safe = true;
}

/* ---- reasons --------------------------------------------------------------------------- */

/* The person's voice has its own text for some keys ("person." + key, the same values in the
 * same order); every other key reads the same in both voices. */
static void vreason(struct why *why, const char *key, va_list ap)
{
    char text[512];
    const char *fmt = why->voice == LOC_VOICE_PERSON ? msg_join("person.", key, "") : NULL;

    if (!fmt)
        fmt = msg(key);
    if (!fmt)
        fmt = key;
    if (!strchr(fmt, '%')) { /* most reasons have no values: skip printf */
        json_array_append_new(why->list, json_string_nocheck(fmt));
        return;
    }
    vsnprintf(text, sizeof(text), fmt, ap);
    json_array_append_new(why->list, json_string_nocheck(text));
}

static void reason(struct why *why, const char *key, ...)
{
    va_list ap;

    va_start(ap, key);
    vreason(why, key, ap);
    va_end(ap);
}

/* Appends the reason when `holds`; returns holds, so OR-lines read as a chain of facts. */
static bool fact(bool holds, struct why *why, const char *key, ...)
{
    va_list ap;

    if (!holds)
        return false;
    va_start(ap, key);
    vreason(why, key, ap);
    va_end(ap);
    return true;
}

/* The in-sentence label of a band; prefix is "band-short.<instrument>.". */
static const char *short_band(const char *prefix, const char *band)
{
    const char *s = msg_join(prefix, band, "");
    return s ? s : band;
}

/* The person reads what the score means before the number, and no zone (spec §8: plain words
 * first, the details after): the same facts, their own key and order. */
static bool audit_fact(bool holds, int score, struct why *why)
{
    const struct band *b = bands_audit(score);
    const char *band = short_band("band-short.audit.", b->name);

    if (!holds)
        return false;
    if (why->voice == LOC_VOICE_PERSON)
        reason(why, "reason.audit-plain", band, score);
    else
        reason(why, "reason.audit-zone", score, b->zone, band);
    return true;
}

static bool assist_facts(const struct loc_facts *f, int min, struct why *why)
{
    bool any = false;
    size_t i;

    for (i = 0; i < INSTRUMENTS_N_SUBSTANCES; i++) {
        int s = f->assist[i];
        const char *name = msg_join("substance.", instruments_substance(i), "");
        const char *band = short_band("band-short.assist.", bands_assist(s)->name);
        if (s < min)
            continue;
        any = true;
        if (why->voice == LOC_VOICE_PERSON)
            reason(why, "reason.assist-plain", name, band, s);
        else
            reason(why, "reason.assist-substance", name, s, band);
    }
    return any;
}

/* ---- unanswered questions (the person's voice only) -------------------------------------
 * Each group lists the answers a dimension (or the use severity) reads. When some are
 * missing, the person's page says which, instead of stating a no-risk default as their
 * answer. */

struct asked {
    unsigned bit;    /* LOC_GIVEN_* */
    const char *key; /* "unanswered.<id>": what was not answered, inside a sentence */
};

struct ask_group {
    const char *area; /* message key: the subject when nothing in the group was answered */
    const struct asked *q;
    size_t n;
};

#define ASK_GROUP(area_, a) {area_, a, LEN(a)}

static const struct asked asked_d1[] = {
    {LOC_GIVEN_WD_SYMPTOMS, "unanswered.wd-symptoms"},
    {LOC_GIVEN_WD_COMPLICATED, "unanswered.wd-complicated"},
    {LOC_GIVEN_WD_NOW, "unanswered.wd-now"},
    {LOC_GIVEN_WD_DAILY, "unanswered.wd-daily"},
};
static const struct asked asked_d2[] = {
    {LOC_GIVEN_MED_UNSTABLE, "unanswered.med-unstable"},
    {LOC_GIVEN_MED_PREGNANT, "unanswered.med-pregnant"},
    {LOC_GIVEN_MED_OVERDOSE, "unanswered.med-overdose"},
};
static const struct asked asked_d3[] = {
    {LOC_GIVEN_PHQ9, "unanswered.phq9"},
    {LOC_GIVEN_GAD7, "unanswered.gad7"},
    {LOC_GIVEN_ASQ, "unanswered.asq"},
};
static const struct asked asked_d4[] = {
    {LOC_GIVEN_READY, "unanswered.ready"},
};
static const struct asked asked_d5[] = {
    {LOC_GIVEN_RELAPSE, "unanswered.relapse"},
    {LOC_GIVEN_CRAVING, "unanswered.craving"},
};
static const struct asked asked_d6[] = {
    {LOC_GIVEN_HOUSING, "unanswered.env-housing"},
    {LOC_GIVEN_SAFE, "unanswered.env-safe"},
    {LOC_GIVEN_HOME_USE, "unanswered.env-home-use"},
    {LOC_GIVEN_SUPPORT, "unanswered.env-support"},
};
static const struct asked asked_use[] = {
    {LOC_GIVEN_AUDIT, "unanswered.audit"},
    {LOC_GIVEN_ASSIST, "unanswered.assist"},
};

/* Index 1-6: the dimensions; 0: the use severity. max: the dimension's highest rating, which
 * no unanswered question could raise. */
static const struct {
    struct ask_group g;
    int max;
} asked[N_DIM + 1] = {
    {ASK_GROUP("area.use", asked_use), 3},
    {ASK_GROUP("area.1", asked_d1), 4},
    {ASK_GROUP("area.2", asked_d2), 3},
    {ASK_GROUP("area.3", asked_d3), 4},
    {ASK_GROUP("area.4", asked_d4), 2},
    {ASK_GROUP("area.5", asked_d5), 3},
    {ASK_GROUP("area.6", asked_d6), 4},
};

enum unanswered { NONE_MISSING, SOME_MISSING, ALL_MISSING };

/* In the person's voice, appends "You did not answer ..." for group `d` (0 = use severity)
 * when any of its answers is missing, and says how many were. The API voice adds nothing. */
static enum unanswered unanswered(const struct loc_facts *f, int d, struct why *why)
{
    const struct ask_group *g = &asked[d].g;
    const char *missing[8];
    char list[400] = "";
    size_t i, n = 0, len = 0;

    if (why->voice != LOC_VOICE_PERSON)
        return NONE_MISSING;
    for (i = 0; i < g->n && n < LEN(missing); i++)
        if (!(f->given & g->q[i].bit))
            missing[n++] = msg(g->q[i].key);
    if (n == 0)
        return NONE_MISSING;
    if (n == g->n && g->n > 1) {
        reason(why, "unanswered.all", msg(g->area));
        return ALL_MISSING;
    }
    for (i = 0; i < n && len < sizeof(list); i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                i == 0 ? "" : i + 1 == n ? " or " : ", ", missing[i]);
    reason(why, "unanswered.some", list);
    return n == g->n ? ALL_MISSING : SOME_MISSING;
}

static void daily_reason(const struct loc_facts *f, struct why *why)
{
    static const struct {
        unsigned bit;
        const char *key;
    } names[] = {{LOC_DAILY_ALCOHOL, "daily.alcohol"},
                 {LOC_DAILY_SEDATIVES, "daily.sedatives"},
                 {LOC_DAILY_OPIOIDS, "daily.opioids"}};
    char list[160] = "";
    size_t i, len = 0;

    for (i = 0; i < LEN(names); i++) {
        if (!(f->wd_daily & names[i].bit) || len >= sizeof(list))
            continue;
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
                                msg(names[i].key));
    }
    if (len)
        reason(why, "reason.wd-daily", list);
}

/* ---- §3 dimension lines ---------------------------------------------------------------- */

typedef bool (*dim_fn)(const struct loc_facts *f, struct why *why);

static bool d1_4(const struct loc_facts *f, struct why *why)
{
    if (!(f->wd_now && f->wd_complicated))
        return false;
    reason(why, "reason.wd-now");
    reason(why, "reason.wd-complicated");
    return true;
}

static bool d1_3(const struct loc_facts *f, struct why *why)
{
    bool daily_as = f->wd_daily & (LOC_DAILY_ALCOHOL | LOC_DAILY_SEDATIVES);

    if (!daily_as || !(f->wd_complicated || f->wd_now || f->wd_symptoms == LOC_WD_SEVERE))
        return false;
    daily_reason(f, why);
    fact(f->wd_complicated, why, "reason.wd-complicated");
    fact(f->wd_now, why, "reason.wd-now");
    fact(f->wd_symptoms == LOC_WD_SEVERE, why, "reason.wd-severe");
    return true;
}

static void wd_symptom_reason(const struct loc_facts *f, struct why *why)
{
    reason(why, f->wd_symptoms == LOC_WD_SEVERE ? "reason.wd-severe" : "reason.wd-mild");
}

/* Withdrawal right now is named on every line where it is true, even where it does not set
 * the rating: it is what the people who call back must know first. */
static bool d1_2(const struct loc_facts *f, struct why *why)
{
    if (f->wd_symptoms == LOC_WD_NONE || f->wd_daily == 0)
        return false;
    fact(f->wd_now, why, "reason.wd-now");
    wd_symptom_reason(f, why);
    daily_reason(f, why);
    return true;
}

static bool d1_1(const struct loc_facts *f, struct why *why)
{
    if (f->wd_symptoms == LOC_WD_NONE)
        return false;
    fact(f->wd_now, why, "reason.wd-now");
    wd_symptom_reason(f, why);
    return true;
}

static bool d1_0(const struct loc_facts *f, struct why *why)
{
    fact(f->wd_complicated, why, "reason.wd-complicated");
    if (fact(f->wd_now, why, "reason.wd-now") || f->wd_complicated)
        return true;
    if (unanswered(f, 1, why) == NONE_MISSING)
        reason(why, "reason.wd-none");
    return true;
}

static bool d2_3(const struct loc_facts *f, struct why *why)
{
    return fact(f->med_unstable, why, "reason.med-unstable");
}

static bool d2_2(const struct loc_facts *f, struct why *why)
{
    bool a = fact(f->med_pregnant, why, "reason.med-pregnant");
    bool b = fact(f->med_overdose, why, "reason.med-overdose");
    return a || b;
}

static bool d2_0(const struct loc_facts *f, struct why *why)
{
    if (unanswered(f, 2, why) == NONE_MISSING)
        reason(why, "reason.med-none");
    return true;
}

static bool phq9_fact(const struct loc_facts *f, int min, struct why *why)
{
    if (f->phq9 < min)
        return false;
    reason(why, "reason.phq9", f->phq9, short_band("band-short.phq9.", bands_phq9(f->phq9)->name));
    return true;
}

static bool gad7_fact(const struct loc_facts *f, int min, struct why *why)
{
    if (f->gad7 < min)
        return false;
    reason(why, "reason.gad7", f->gad7, short_band("band-short.gad7.", bands_gad7(f->gad7)->name));
    return true;
}

static bool d3_4(const struct loc_facts *f, struct why *why)
{
    return fact(f->asq == LOC_ASQ_ACUTE, why, "reason.asq-acute");
}

static bool d3_3(const struct loc_facts *f, struct why *why)
{
    bool a = fact(f->asq == LOC_ASQ_NON_ACUTE, why, "reason.asq-non-acute");
    bool b = fact(f->phq9_item9 > 0, why, "reason.phq9-item9",
                  f->phq9_item9_label ? f->phq9_item9_label : "");
    bool c = phq9_fact(f, 20, why);
    bool d = gad7_fact(f, 15, why);
    return a || b || c || d;
}

static bool d3_2(const struct loc_facts *f, struct why *why)
{
    bool a = phq9_fact(f, 10, why);
    bool b = gad7_fact(f, 10, why);
    return a || b;
}

static bool d3_1(const struct loc_facts *f, struct why *why)
{
    bool a = phq9_fact(f, 5, why);
    bool b = gad7_fact(f, 5, why);
    return a || b;
}

static bool d3_0(const struct loc_facts *f, struct why *why)
{
    if (unanswered(f, 3, why) == NONE_MISSING)
        reason(why, "reason.mood-none");
    return true;
}

static bool d4_2(const struct loc_facts *f, struct why *why)
{
    return fact(f->ready <= 3, why, "reason.ready", f->ready);
}

static bool d4_1(const struct loc_facts *f, struct why *why)
{
    return fact(f->ready <= 6, why, "reason.ready", f->ready);
}

static bool d4_0(const struct loc_facts *f, struct why *why)
{
    if (unanswered(f, 4, why) != NONE_MISSING)
        return true;
    if (f->ready_answered)
        reason(why, "reason.ready", f->ready);
    else
        reason(why, "reason.ready-missing");
    return true;
}

static bool d5_3(const struct loc_facts *f, struct why *why)
{
    if (!(f->relapse && f->craving >= 7))
        return false;
    reason(why, "reason.relapse");
    reason(why, "reason.craving", f->craving);
    return true;
}

static bool d5_2(const struct loc_facts *f, struct why *why)
{
    bool a = fact(f->relapse, why, "reason.relapse");
    bool b = fact(f->craving >= 7, why, "reason.craving", f->craving);
    return a || b;
}

static bool d5_1(const struct loc_facts *f, struct why *why)
{
    return fact(f->craving >= 4, why, "reason.craving", f->craving);
}

static bool d5_0(const struct loc_facts *f, struct why *why)
{
    if (unanswered(f, 5, why) == NONE_MISSING)
        reason(why, "reason.relapse-none");
    return true;
}

static bool d6_4(const struct loc_facts *f, struct why *why)
{
    bool a = fact(!f->env_safe, why, "reason.env-unsafe");
    bool b = fact(f->housing == LOC_HOUSING_NONE, why, "reason.env-no-housing");
    return a || b;
}

static bool d6_3(const struct loc_facts *f, struct why *why)
{
    bool a = fact(f->env_home_use, why, "reason.env-home-use");
    bool b = fact(f->housing == LOC_HOUSING_UNSTABLE, why, "reason.env-unstable");
    return a || b;
}

static bool d6_2(const struct loc_facts *f, struct why *why)
{
    return fact(f->support == LOC_SUPPORT_NONE, why, "reason.env-no-support");
}

static bool d6_1(const struct loc_facts *f, struct why *why)
{
    return fact(f->support == LOC_SUPPORT_SOME, why, "reason.env-some-support");
}

static bool d6_0(const struct loc_facts *f, struct why *why)
{
    if (unanswered(f, 6, why) == NONE_MISSING)
        reason(why, "reason.env-ok");
    return true;
}

/* Spec §3, line by line; within a dimension the first line that holds sets the rating. */
static const struct dim_rule {
    int dim;
    int rating;
    dim_fn holds;
} dim_rules[] = {
    {1, 4, d1_4}, {1, 3, d1_3}, {1, 2, d1_2}, {1, 1, d1_1}, {1, 0, d1_0},
    {2, 3, d2_3}, {2, 2, d2_2}, {2, 0, d2_0},
    {3, 4, d3_4}, {3, 3, d3_3}, {3, 2, d3_2}, {3, 1, d3_1}, {3, 0, d3_0},
    {4, 2, d4_2}, {4, 1, d4_1}, {4, 0, d4_0},
    {5, 3, d5_3}, {5, 2, d5_2}, {5, 1, d5_1}, {5, 0, d5_0},
    {6, 4, d6_4}, {6, 3, d6_3}, {6, 2, d6_2}, {6, 1, d6_1}, {6, 0, d6_0},
};

static void rate_dimensions(struct eval *e)
{
    size_t i;

    for (i = 0; i < LEN(dim_rules); i++) {
        const struct dim_rule *r = &dim_rules[i];
        if (e->dim[r->dim] >= 0)
            continue; /* already set by an earlier line */
        if (r->holds(e->f, &e->why[r->dim]))
            e->dim[r->dim] = r->rating;
    }
    /* A rating between 0 (whose line says it itself) and the top might be higher with the
     * answers that are missing: the person's page says which they were. */
    for (i = 1; i <= N_DIM; i++)
        if (e->dim[i] > 0 && e->dim[i] < asked[i].max)
            unanswered(e->f, (int)i, &e->why[i]);
}

/* ---- §4 use severity ------------------------------------------------------------------- */

static bool use_at(const struct loc_facts *f, int audit_min, int assist_min, struct why *why)
{
    bool a = audit_fact(f->audit >= audit_min, f->audit, why);
    bool b = assist_facts(f, assist_min, why);
    return a || b;
}

static enum loc_severity rate_severity(const struct loc_facts *f, struct why *why)
{
    if (use_at(f, 20, 27, why))
        return LOC_SEV_HIGH;
    if (use_at(f, 8, 4, why)) {
        unanswered(f, 0, why);
        return LOC_SEV_MODERATE;
    }
    if (use_at(f, 1, 1, why)) {
        unanswered(f, 0, why);
        return LOC_SEV_LOW;
    }
    /* "No use in your answers" says nothing when neither part was answered. */
    if (why->voice != LOC_VOICE_PERSON || (f->given & (LOC_GIVEN_AUDIT | LOC_GIVEN_ASSIST)))
        reason(why, "reason.no-use");
    unanswered(f, 0, why);
    return LOC_SEV_NONE;
}

/* ---- §5 level of care ------------------------------------------------------------------ */

static void add_all(struct why *why, const struct why *from)
{
    json_array_extend(why->list, from->list);
}

/* Appends dimension d's reasons when its rating is at least min; returns whether it was. */
static bool dim_at(const struct eval *e, int d, int min, struct why *why)
{
    if (e->dim[d] < min)
        return false;
    add_all(why, &e->why[d]);
    return true;
}

static bool lv_emergency(const struct eval *e, struct why *why)
{
    if (e->dim[3] != 4 && e->dim[1] != 4)
        return false;
    dim_at(e, 3, 4, why);
    dim_at(e, 1, 4, why);
    return true;
}

static bool lv_medically_managed(const struct eval *e, struct why *why)
{
    if (e->dim[1] != 3 && e->dim[2] != 3)
        return false;
    dim_at(e, 1, 3, why);
    dim_at(e, 2, 3, why);
    return true;
}

static bool lv_residential(const struct eval *e, struct why *why)
{
    if (!((e->sev >= LOC_SEV_MODERATE && e->dim[6] == 4) ||
          (e->sev == LOC_SEV_HIGH && e->dim[6] == 3)))
        return false;
    add_all(why, &e->sev_why);
    dim_at(e, 6, 3, why);
    return true;
}

static bool lv_php(const struct eval *e, struct why *why)
{
    if (e->sev != LOC_SEV_HIGH || (e->dim[3] < 3 && e->dim[5] < 3))
        return false;
    add_all(why, &e->sev_why);
    dim_at(e, 3, 3, why);
    dim_at(e, 5, 3, why);
    return true;
}

static bool lv_iop(const struct eval *e, struct why *why)
{
    const struct loc_facts *f = e->f;

    if (e->sev == LOC_SEV_HIGH) {
        add_all(why, &e->sev_why);
        return true;
    }
    if (e->sev == LOC_SEV_MODERATE &&
        (f->tx_op_not_enough || f->tx_recent || e->dim[3] >= 2 || e->dim[5] >= 2 ||
         e->dim[6] >= 2)) {
        add_all(why, &e->sev_why);
        fact(f->tx_op_not_enough, why, "reason.tx-op-not-enough");
        fact(f->tx_recent, why, "reason.tx-recent");
        dim_at(e, 3, 2, why);
        dim_at(e, 5, 2, why);
        dim_at(e, 6, 2, why);
        return true;
    }
    if (e->sev == LOC_SEV_LOW && f->tx_recent) {
        add_all(why, &e->sev_why);
        reason(why, "reason.tx-recent");
        return true;
    }
    return false;
}

static bool lv_outpatient(const struct eval *e, struct why *why)
{
    if (e->sev == LOC_SEV_MODERATE) {
        add_all(why, &e->sev_why);
        return true;
    }
    if (e->sev == LOC_SEV_LOW && e->dim[5] >= 2) {
        add_all(why, &e->sev_why);
        dim_at(e, 5, 2, why);
        return true;
    }
    return false;
}

static bool lv_early(const struct eval *e, struct why *why)
{
    if (e->sev != LOC_SEV_LOW)
        return false;
    add_all(why, &e->sev_why);
    return true;
}

static bool lv_none(const struct eval *e, struct why *why)
{
    add_all(why, &e->sev_why);
    return true;
}

/* Spec §5, first match wins. asam NULL is the spec's "—" (JSON null). */
static const struct level_rule {
    const char *level;
    const char *asam;
    bool (*holds)(const struct eval *e, struct why *why);
} level_rules[] = {
    {"emergency", NULL, lv_emergency},
    {"medically-managed", "3.7", lv_medically_managed},
    {"residential", "3.5", lv_residential},
    {"php", "2.5", lv_php},
    {"iop", "2.1", lv_iop},
    {"outpatient", "1", lv_outpatient},
    {"early-intervention", "0.5", lv_early},
    {"none", NULL, lv_none},
};

/* ---- §6 flags -------------------------------------------------------------------------- */

static bool fl_suicide_acute(const struct eval *e)
{
    return e->f->asq == LOC_ASQ_ACUTE;
}

static bool fl_suicide_risk(const struct eval *e)
{
    return e->f->asq != LOC_ASQ_ACUTE &&
           (e->f->asq == LOC_ASQ_NON_ACUTE || e->f->phq9_item9 > 0);
}

static bool fl_withdrawal(const struct eval *e)
{
    return e->dim[1] >= 3;
}

static bool fl_overdose(const struct eval *e)
{
    const struct loc_facts *f = e->f;
    return f->med_overdose ||
           (f->assist2_opioids > 0 &&
            (f->assist2_sedatives > 0 || f->audit >= 8 || f->tx_recent));
}

static bool fl_injection(const struct eval *e)
{
    return e->f->assist8 == 2;
}

static bool fl_pregnancy(const struct eval *e)
{
    return e->f->med_pregnant;
}

static bool fl_adolescent(const struct eval *e)
{
    return e->f->adolescent;
}

static bool fl_mental_health(const struct eval *e)
{
    return e->dim[3] >= 2;
}

static bool fl_low_readiness(const struct eval *e)
{
    return e->dim[4] == 2;
}

/* Spec §6, in the order the result shows them. */
static const struct flag_rule {
    const char *flag;
    bool (*holds)(const struct eval *e);
} flag_rules[] = {
    {"suicide-acute", fl_suicide_acute},
    {"suicide-risk", fl_suicide_risk},
    {"withdrawal-danger", fl_withdrawal},
    {"overdose-risk", fl_overdose},
    {"injection", fl_injection},
    {"pregnancy", fl_pregnancy},
    {"adolescent", fl_adolescent},
    {"mental-health-followup", fl_mental_health},
    {"low-readiness", fl_low_readiness},
};

/* ---- the result ------------------------------------------------------------------------ */

static json_t *dimensions_json(struct eval *e)
{
    json_t *arr = json_array();
    int d;

    static const char *const names[N_DIM + 1] = {
        NULL, "dimension.1.name", "dimension.2.name", "dimension.3.name",
        "dimension.4.name", "dimension.5.name", "dimension.6.name"};

    for (d = 1; d <= N_DIM; d++) {
        json_t *o = json_object();
        json_object_set_new_nocheck(o, "dimension", json_integer(d));
        json_object_set_new_nocheck(o, "name", json_string_nocheck(msg(names[d])));
        json_object_set_new_nocheck(o, "rating", json_integer(e->dim[d]));
        json_object_set_nocheck(o, "reasons", e->why[d].list);
        json_array_append_new(arr, o);
    }
    return arr;
}

static bool listed(const json_t *list, const char *text)
{
    size_t i;
    json_t *v;

    json_array_foreach(list, i, v)
        if (strcmp(json_string_value(v), text) == 0)
            return true;
    return false;
}

static json_t *recommendation_json(const struct eval *e, enum loc_voice voice)
{
    struct why why = {json_array(), voice};
    const struct level_rule *r = &level_rules[LEN(level_rules) - 1];
    json_t *o = json_object();
    size_t i;

    for (i = 0; i < LEN(level_rules); i++) {
        if (level_rules[i].holds(e, &why)) {
            r = &level_rules[i];
            break;
        }
    }
    /* The person reads withdrawal right now among the reasons whatever set the level, so that
     * they tell whoever they talk to first (the API keeps to the deciding facts, spec §5). */
    if (voice == LOC_VOICE_PERSON && e->f->wd_now && !listed(why.list, msg("reason.wd-now")))
        reason(&why, "reason.wd-now");
    json_object_set_new_nocheck(o, "level", json_string_nocheck(r->level));
    json_object_set_new_nocheck(o, "asam", r->asam ? json_string_nocheck(r->asam) : json_null());
    json_object_set_new_nocheck(o, "title",
                                json_string_nocheck(msg_join("level.", r->level, ".title")));
    json_object_set_new_nocheck(o, "reasons", why.list);
    return o;
}

void loc_assess_voice(const struct loc_facts *f, enum loc_voice voice, json_t *out)
{
    struct eval e = {.f = f};
    json_t *flags = json_array();
    size_t i;
    int d;

    for (d = 1; d <= N_DIM; d++) {
        e.dim[d] = -1;
        e.why[d] = (struct why){json_array(), voice};
    }
    rate_dimensions(&e);
    e.sev_why = (struct why){json_array(), voice};
    e.sev = rate_severity(f, &e.sev_why);
    for (i = 0; i < LEN(flag_rules); i++)
        if (flag_rules[i].holds(&e))
            json_array_append_new(flags, json_string_nocheck(flag_rules[i].flag));

    json_object_set_new_nocheck(out, "dimensions", dimensions_json(&e));
    json_object_set_new_nocheck(out, "severity", json_string_nocheck(severity_names[e.sev]));
    json_object_set_new_nocheck(out, "flags", flags);
    json_object_set_new_nocheck(out, "recommendation", recommendation_json(&e, voice));
    for (d = 1; d <= N_DIM; d++)
        json_decref(e.why[d].list);
    json_decref(e.sev_why.list);
}

void loc_assess(const struct loc_facts *f, json_t *out)
{
    loc_assess_voice(f, LOC_VOICE_API, out);
}

const char *loc_level_name(size_t i)
{
    return i < LEN(level_rules) ? level_rules[i].level : NULL;
}

const char *loc_flag_name(size_t i)
{
    return i < LEN(flag_rules) ? flag_rules[i].flag : NULL;
}
