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

struct eval {
    const struct loc_facts *f;
    int dim[N_DIM + 1]; /* 1-based, as the spec numbers them */
    json_t *why[N_DIM + 1];
    enum loc_severity sev;
    json_t *sev_why;
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

static void vreason(json_t *why, const char *key, va_list ap)
{
    char text[512];
    const char *fmt = msg(key);

    if (!fmt)
        fmt = key;
    if (!strchr(fmt, '%')) { /* most reasons have no values: skip printf */
        json_array_append_new(why, json_string_nocheck(fmt));
        return;
    }
    vsnprintf(text, sizeof(text), fmt, ap);
    json_array_append_new(why, json_string_nocheck(text));
}

static void reason(json_t *why, const char *key, ...)
{
    va_list ap;

    va_start(ap, key);
    vreason(why, key, ap);
    va_end(ap);
}

/* Appends the reason when `holds`; returns holds, so OR-lines read as a chain of facts. */
static bool fact(bool holds, json_t *why, const char *key, ...)
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

static bool audit_fact(bool holds, int score, json_t *why)
{
    const struct band *b = bands_audit(score);

    if (!holds)
        return false;
    reason(why, "reason.audit-zone", score, b->zone, short_band("band-short.audit.", b->name));
    return true;
}

static bool assist_facts(const struct loc_facts *f, int min, json_t *why)
{
    bool any = false;
    size_t i;

    for (i = 0; i < INSTRUMENTS_N_SUBSTANCES; i++) {
        int s = f->assist[i];
        if (s < min)
            continue;
        any |= fact(true, why, "reason.assist-substance",
                    msg_join("substance.", instruments_substance(i), ""), s,
                    short_band("band-short.assist.", bands_assist(s)->name));
    }
    return any;
}

static void daily_reason(const struct loc_facts *f, json_t *why)
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

typedef bool (*dim_fn)(const struct loc_facts *f, json_t *why);

static bool d1_4(const struct loc_facts *f, json_t *why)
{
    if (!(f->wd_now && f->wd_complicated))
        return false;
    reason(why, "reason.wd-now");
    reason(why, "reason.wd-complicated");
    return true;
}

static bool d1_3(const struct loc_facts *f, json_t *why)
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

static void wd_symptom_reason(const struct loc_facts *f, json_t *why)
{
    reason(why, f->wd_symptoms == LOC_WD_SEVERE ? "reason.wd-severe" : "reason.wd-mild");
}

static bool d1_2(const struct loc_facts *f, json_t *why)
{
    if (f->wd_symptoms == LOC_WD_NONE || f->wd_daily == 0)
        return false;
    wd_symptom_reason(f, why);
    daily_reason(f, why);
    return true;
}

static bool d1_1(const struct loc_facts *f, json_t *why)
{
    if (f->wd_symptoms == LOC_WD_NONE)
        return false;
    wd_symptom_reason(f, why);
    return true;
}

static bool d1_0(const struct loc_facts *f, json_t *why)
{
    (void)f;
    reason(why, "reason.wd-none");
    return true;
}

static bool d2_3(const struct loc_facts *f, json_t *why)
{
    return fact(f->med_unstable, why, "reason.med-unstable");
}

static bool d2_2(const struct loc_facts *f, json_t *why)
{
    bool a = fact(f->med_pregnant, why, "reason.med-pregnant");
    bool b = fact(f->med_overdose, why, "reason.med-overdose");
    return a || b;
}

static bool d2_0(const struct loc_facts *f, json_t *why)
{
    (void)f;
    reason(why, "reason.med-none");
    return true;
}

static bool phq9_fact(const struct loc_facts *f, int min, json_t *why)
{
    if (f->phq9 < min)
        return false;
    reason(why, "reason.phq9", f->phq9, short_band("band-short.phq9.", bands_phq9(f->phq9)->name));
    return true;
}

static bool gad7_fact(const struct loc_facts *f, int min, json_t *why)
{
    if (f->gad7 < min)
        return false;
    reason(why, "reason.gad7", f->gad7, short_band("band-short.gad7.", bands_gad7(f->gad7)->name));
    return true;
}

static bool d3_4(const struct loc_facts *f, json_t *why)
{
    return fact(f->asq == LOC_ASQ_ACUTE, why, "reason.asq-acute");
}

static bool d3_3(const struct loc_facts *f, json_t *why)
{
    bool a = fact(f->asq == LOC_ASQ_NON_ACUTE, why, "reason.asq-non-acute");
    bool b = fact(f->phq9_item9 > 0, why, "reason.phq9-item9",
                  f->phq9_item9_label ? f->phq9_item9_label : "");
    bool c = phq9_fact(f, 20, why);
    bool d = gad7_fact(f, 15, why);
    return a || b || c || d;
}

static bool d3_2(const struct loc_facts *f, json_t *why)
{
    bool a = phq9_fact(f, 10, why);
    bool b = gad7_fact(f, 10, why);
    return a || b;
}

static bool d3_1(const struct loc_facts *f, json_t *why)
{
    bool a = phq9_fact(f, 5, why);
    bool b = gad7_fact(f, 5, why);
    return a || b;
}

static bool d3_0(const struct loc_facts *f, json_t *why)
{
    (void)f;
    reason(why, "reason.mood-none");
    return true;
}

static bool d4_2(const struct loc_facts *f, json_t *why)
{
    return fact(f->ready <= 3, why, "reason.ready", f->ready);
}

static bool d4_1(const struct loc_facts *f, json_t *why)
{
    return fact(f->ready <= 6, why, "reason.ready", f->ready);
}

static bool d4_0(const struct loc_facts *f, json_t *why)
{
    if (f->ready_answered)
        reason(why, "reason.ready", f->ready);
    else
        reason(why, "reason.ready-missing");
    return true;
}

static bool d5_3(const struct loc_facts *f, json_t *why)
{
    if (!(f->relapse && f->craving >= 7))
        return false;
    reason(why, "reason.relapse");
    reason(why, "reason.craving", f->craving);
    return true;
}

static bool d5_2(const struct loc_facts *f, json_t *why)
{
    bool a = fact(f->relapse, why, "reason.relapse");
    bool b = fact(f->craving >= 7, why, "reason.craving", f->craving);
    return a || b;
}

static bool d5_1(const struct loc_facts *f, json_t *why)
{
    return fact(f->craving >= 4, why, "reason.craving", f->craving);
}

static bool d5_0(const struct loc_facts *f, json_t *why)
{
    (void)f;
    reason(why, "reason.relapse-none");
    return true;
}

static bool d6_4(const struct loc_facts *f, json_t *why)
{
    bool a = fact(!f->env_safe, why, "reason.env-unsafe");
    bool b = fact(f->housing == LOC_HOUSING_NONE, why, "reason.env-no-housing");
    return a || b;
}

static bool d6_3(const struct loc_facts *f, json_t *why)
{
    bool a = fact(f->env_home_use, why, "reason.env-home-use");
    bool b = fact(f->housing == LOC_HOUSING_UNSTABLE, why, "reason.env-unstable");
    return a || b;
}

static bool d6_2(const struct loc_facts *f, json_t *why)
{
    return fact(f->support == LOC_SUPPORT_NONE, why, "reason.env-no-support");
}

static bool d6_1(const struct loc_facts *f, json_t *why)
{
    return fact(f->support == LOC_SUPPORT_SOME, why, "reason.env-some-support");
}

static bool d6_0(const struct loc_facts *f, json_t *why)
{
    (void)f;
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
        if (r->holds(e->f, e->why[r->dim]))
            e->dim[r->dim] = r->rating;
    }
}

/* ---- §4 use severity ------------------------------------------------------------------- */

static bool use_at(const struct loc_facts *f, int audit_min, int assist_min, json_t *why)
{
    bool a = audit_fact(f->audit >= audit_min, f->audit, why);
    bool b = assist_facts(f, assist_min, why);
    return a || b;
}

static enum loc_severity rate_severity(const struct loc_facts *f, json_t *why)
{
    if (use_at(f, 20, 27, why))
        return LOC_SEV_HIGH;
    if (use_at(f, 8, 4, why))
        return LOC_SEV_MODERATE;
    if (use_at(f, 1, 1, why))
        return LOC_SEV_LOW;
    reason(why, "reason.no-use");
    return LOC_SEV_NONE;
}

/* ---- §5 level of care ------------------------------------------------------------------ */

static void add_all(json_t *why, json_t *from)
{
    json_array_extend(why, from);
}

/* Appends dimension d's reasons when its rating is at least min; returns whether it was. */
static bool dim_at(const struct eval *e, int d, int min, json_t *why)
{
    if (e->dim[d] < min)
        return false;
    add_all(why, e->why[d]);
    return true;
}

static bool lv_emergency(const struct eval *e, json_t *why)
{
    if (e->dim[3] != 4 && e->dim[1] != 4)
        return false;
    dim_at(e, 3, 4, why);
    dim_at(e, 1, 4, why);
    return true;
}

static bool lv_medically_managed(const struct eval *e, json_t *why)
{
    if (e->dim[1] != 3 && e->dim[2] != 3)
        return false;
    dim_at(e, 1, 3, why);
    dim_at(e, 2, 3, why);
    return true;
}

static bool lv_residential(const struct eval *e, json_t *why)
{
    if (!((e->sev >= LOC_SEV_MODERATE && e->dim[6] == 4) ||
          (e->sev == LOC_SEV_HIGH && e->dim[6] == 3)))
        return false;
    add_all(why, e->sev_why);
    dim_at(e, 6, 3, why);
    return true;
}

static bool lv_php(const struct eval *e, json_t *why)
{
    if (e->sev != LOC_SEV_HIGH || (e->dim[3] < 3 && e->dim[5] < 3))
        return false;
    add_all(why, e->sev_why);
    dim_at(e, 3, 3, why);
    dim_at(e, 5, 3, why);
    return true;
}

static bool lv_iop(const struct eval *e, json_t *why)
{
    const struct loc_facts *f = e->f;

    if (e->sev == LOC_SEV_HIGH) {
        add_all(why, e->sev_why);
        return true;
    }
    if (e->sev == LOC_SEV_MODERATE &&
        (f->tx_op_not_enough || f->tx_recent || e->dim[3] >= 2 || e->dim[5] >= 2 ||
         e->dim[6] >= 2)) {
        add_all(why, e->sev_why);
        fact(f->tx_op_not_enough, why, "reason.tx-op-not-enough");
        fact(f->tx_recent, why, "reason.tx-recent");
        dim_at(e, 3, 2, why);
        dim_at(e, 5, 2, why);
        dim_at(e, 6, 2, why);
        return true;
    }
    if (e->sev == LOC_SEV_LOW && f->tx_recent) {
        add_all(why, e->sev_why);
        reason(why, "reason.tx-recent");
        return true;
    }
    return false;
}

static bool lv_outpatient(const struct eval *e, json_t *why)
{
    if (e->sev == LOC_SEV_MODERATE) {
        add_all(why, e->sev_why);
        return true;
    }
    if (e->sev == LOC_SEV_LOW && e->dim[5] >= 2) {
        add_all(why, e->sev_why);
        dim_at(e, 5, 2, why);
        return true;
    }
    return false;
}

static bool lv_early(const struct eval *e, json_t *why)
{
    if (e->sev != LOC_SEV_LOW)
        return false;
    add_all(why, e->sev_why);
    return true;
}

static bool lv_none(const struct eval *e, json_t *why)
{
    add_all(why, e->sev_why);
    return true;
}

/* Spec §5, first match wins. asam NULL is the spec's "—" (JSON null). */
static const struct level_rule {
    const char *level;
    const char *asam;
    bool (*holds)(const struct eval *e, json_t *why);
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
        json_object_set_nocheck(o, "reasons", e->why[d]);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *recommendation_json(const struct eval *e)
{
    json_t *why = json_array();
    const struct level_rule *r = &level_rules[LEN(level_rules) - 1];
    json_t *o = json_object();
    size_t i;

    for (i = 0; i < LEN(level_rules); i++) {
        if (level_rules[i].holds(e, why)) {
            r = &level_rules[i];
            break;
        }
    }
    json_object_set_new_nocheck(o, "level", json_string_nocheck(r->level));
    json_object_set_new_nocheck(o, "asam", r->asam ? json_string_nocheck(r->asam) : json_null());
    json_object_set_new_nocheck(o, "title",
                                json_string_nocheck(msg_join("level.", r->level, ".title")));
    json_object_set_new_nocheck(o, "reasons", why);
    return o;
}

void loc_assess(const struct loc_facts *f, json_t *out)
{
    struct eval e = {.f = f};
    json_t *flags = json_array();
    size_t i;
    int d;

    for (d = 1; d <= N_DIM; d++) {
        e.dim[d] = -1;
        e.why[d] = json_array();
    }
    rate_dimensions(&e);
    e.sev_why = json_array();
    e.sev = rate_severity(f, e.sev_why);
    for (i = 0; i < LEN(flag_rules); i++)
        if (flag_rules[i].holds(&e))
            json_array_append_new(flags, json_string_nocheck(flag_rules[i].flag));

    json_object_set_new_nocheck(out, "dimensions", dimensions_json(&e));
    json_object_set_new_nocheck(out, "severity", json_string_nocheck(severity_names[e.sev]));
    json_object_set_new_nocheck(out, "flags", flags);
    json_object_set_new_nocheck(out, "recommendation", recommendation_json(&e));
    for (d = 1; d <= N_DIM; d++)
        json_decref(e.why[d]);
    json_decref(e.sev_why);
}

const char *loc_level_name(size_t i)
{
    return i < LEN(level_rules) ? level_rules[i].level : NULL;
}

const char *loc_flag_name(size_t i)
{
    return i < LEN(flag_rules) ? flag_rules[i].flag : NULL;
}
