/* assess: validates a person's answers against the instrument tables, applies skip logic,
 * scores AUDIT, AUDIT-C, ASSIST, PHQ-9, GAD-7 and ASQ, gathers the context answers, and hands
 * the facts to loc for dimensions, severity, flags and the level of care (spec §1-§7).
 * Everything it needs from the tables is resolved once (pthread_once) into item indices, so
 * one scoring is a single pass over ~120 items with no string searching. */
#include "domain/assess.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/bands.h"
#include "domain/cond.h"
#include "domain/instruments.h"
#include "domain/loc.h"
#include "domain/messages.h"

#define MAX_ITEMS 160
#define N_SUB INSTRUMENTS_N_SUBSTANCES

enum inst { I_AUDIT, I_ASSIST, I_PHQ9, I_GAD7, I_ASQ, N_INST };
static const char *const inst_names[N_INST] = {"audit", "assist", "phq9", "gad7", "asq"};

/* Resolved once from the tables. */
static struct {
    size_t n;
    const struct item *item[MAX_ITEMS];
    struct cond cond[MAX_ITEMS];
    int inst[MAX_ITEMS]; /* enum inst, or -1 for a context item */
    size_t audit[10];
    size_t assist[N_SUB][7]; /* [s][q - 1] for Q1..Q7 */
    size_t assist8;
    size_t phq9[9], gad7[7], asq[5];
    size_t age, sex, wd_symptoms, wd_complicated, wd_now, wd_daily, med_unstable, med_pregnant,
        med_overdose, ready, tx_recent, tx_op, relapse, craving, housing, safe, home_use,
        support;
} T;

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One answer as validated: opt is the chosen option (single-valued kinds), codes the set
 * of chosen options (ITEM_CODES). */
struct answer {
    const json_t *v;
    int opt;
    unsigned codes;
    bool present, valid, asked;
};

struct state {
    struct answer a[MAX_ITEMS];
    bool answered[N_INST];
};

/* ---- tables resolved once -------------------------------------------------------------- */

static size_t must_find(const char *id)
{
    long i = instruments_find(id, strlen(id));
    if (i < 0)
        abort(); /* the tables and this file disagree: caught by the unit tests */
    return (size_t)i;
}

static size_t find_f(const char *fmt, const char *a, int n)
{
    char id[64];
    snprintf(id, sizeof(id), fmt, a, n);
    return must_find(id);
}

static void resolve_items(void)
{
    size_t s;
    int q;

    for (q = 0; q < 10; q++)
        T.audit[q] = find_f("%s-%d", "audit", q + 1);
    for (s = 0; s < N_SUB; s++)
        for (q = 0; q < 7; q++) {
            char id[64];
            snprintf(id, sizeof(id), "assist-%d-%s", q + 1, instruments_substance(s));
            T.assist[s][q] = must_find(id);
        }
    T.assist8 = must_find("assist-8");
    for (q = 0; q < 9; q++)
        T.phq9[q] = find_f("%s-%d", "phq9", q + 1);
    for (q = 0; q < 7; q++)
        T.gad7[q] = find_f("%s-%d", "gad7", q + 1);
    for (q = 0; q < 5; q++)
        T.asq[q] = find_f("%s-%d", "asq", q + 1);
    T.age = must_find("about-age");
    T.sex = must_find("about-sex");
    T.wd_symptoms = must_find("wd-symptoms");
    T.wd_complicated = must_find("wd-complicated");
    T.wd_now = must_find("wd-now");
    T.wd_daily = must_find("wd-daily");
    T.med_unstable = must_find("med-unstable");
    T.med_pregnant = must_find("med-pregnant");
    T.med_overdose = must_find("med-overdose");
    T.ready = must_find("ready");
    T.tx_recent = must_find("tx-recent");
    T.tx_op = must_find("tx-op-not-enough");
    T.relapse = must_find("relapse");
    T.craving = must_find("craving");
    T.housing = must_find("env-housing");
    T.safe = must_find("env-safe");
    T.home_use = must_find("env-home-use");
    T.support = must_find("env-support");
}

static void compile(void)
{
    size_t i, c;
    int k;

    T.n = instruments_count();
    if (T.n > MAX_ITEMS)
        abort();
    for (i = 0; i < T.n; i++) {
        const struct item *it = instruments_at(i);
        T.item[i] = it;
        /* A show_if may only look back, so one pass in form order settles skip logic. */
        if (cond_parse(it->show_if, &T.cond[i]) < 0)
            abort();
        for (c = 0; c < T.cond[i].n; c++)
            if (T.cond[i].clause[c].item >= i)
                abort();
        if (it->kind == ITEM_CODES && it->n_options > 32)
            abort();
        T.inst[i] = -1;
        for (k = 0; k < N_INST && it->instrument; k++)
            if (strcmp(it->instrument, inst_names[k]) == 0)
                T.inst[i] = k;
        if (it->instrument && T.inst[i] < 0)
            abort();
    }
    resolve_items();
}

/* ---- validation ------------------------------------------------------------------------ */

static void detail(json_t *details, const char *id, const char *text)
{
    json_array_append_new(details, json_pack("{s:s, s:s}", "item", id, "message", text));
}

static void allowed_values(const struct item *it, struct buf *b)
{
    size_t i;

    for (i = 0; i < it->n_options; i++)
        buf_addf(b, "%s%s", i ? ", " : "", it->options[i].value);
}

static void type_error(const struct item *it, json_t *details)
{
    char text[512];
    struct buf list = BUF_INIT;

    switch (it->kind) {
    case ITEM_BOOL:
        msg_format(text, sizeof(text), "error.bool");
        break;
    case ITEM_SCALE:
        msg_format(text, sizeof(text), "error.scale", it->options[0].score,
                   it->options[it->n_options - 1].score);
        break;
    case ITEM_CODES:
        allowed_values(it, &list);
        msg_format(text, sizeof(text), "error.codes", buf_cstr(&list));
        break;
    case ITEM_SCORED:
    case ITEM_CODE:
    default:
        allowed_values(it, &list);
        msg_format(text, sizeof(text), "error.one-of", buf_cstr(&list));
        break;
    }
    buf_free(&list);
    detail(details, it->id, text);
}

static int option_of_string(const struct item *it, const json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), i;

    for (i = 0; i < it->n_options; i++)
        if (strlen(it->options[i].value) == len && memcmp(it->options[i].value, s, len) == 0)
            return (int)i;
    return -1;
}

static int option_of_score(const struct item *it, json_int_t n)
{
    size_t i;

    for (i = 0; i < it->n_options; i++)
        if (it->options[i].score == n)
            return (int)i;
    return -1;
}

/* Checks one sent value against its item; fills a->opt / a->codes. Returns 0 or -1. */
static int check_value(const struct item *it, struct answer *a)
{
    const json_t *v = a->v;
    size_t i;

    switch (it->kind) {
    case ITEM_SCORED:
    case ITEM_SCALE:
        a->opt = json_is_integer(v) ? option_of_score(it, json_integer_value(v)) : -1;
        return a->opt < 0 ? -1 : 0;
    case ITEM_BOOL:
        if (!json_is_boolean(v))
            return -1;
        a->opt = option_of_score(it, json_is_true(v) ? 1 : 0);
        return a->opt < 0 ? -1 : 0;
    case ITEM_CODE:
        a->opt = json_is_string(v) ? option_of_string(it, v) : -1;
        return a->opt < 0 ? -1 : 0;
    case ITEM_CODES:
        if (!json_is_array(v) || json_array_size(v) > it->n_options)
            return -1;
        for (i = 0; i < json_array_size(v); i++) {
            const json_t *e = json_array_get(v, i);
            int o = json_is_string(e) ? option_of_string(it, e) : -1;
            if (o < 0 || (a->codes & (1u << o)))
                return -1;
            a->codes |= 1u << o;
        }
        return 0;
    }
    return -1;
}

static int answer_of(void *ctx, size_t item, size_t option)
{
    const struct answer *a = &((const struct state *)ctx)->a[item];

    if (!a->asked || !a->present || !a->valid)
        return -1;
    if (T.item[item]->kind == ITEM_CODES)
        return (a->codes >> option) & 1u;
    return a->opt == (int)option;
}

/* Pass 1: which ids were sent (unknown ones are reported), and which instruments were begun.
 * Pass 2, in form order: value checks, skip logic, then required items of begun instruments.
 * Returns the number of problems added to details. */
static size_t validate(const json_t *answers, struct state *st, json_t *details)
{
    json_t *obj = (json_t *)(uintptr_t)answers; /* jansson's iterators are not const */
    size_t i, problems = 0;
    void *iter;

    for (iter = json_object_iter(obj); iter; iter = json_object_iter_next(obj, iter)) {
        const char *key = json_object_iter_key(iter);
        long idx = instruments_find(key, json_object_iter_key_len(iter));
        if (idx < 0) {
            detail(details, key, msg("error.unknown-item"));
            problems++;
            continue;
        }
        st->a[idx].v = json_object_iter_value(iter);
        st->a[idx].present = true;
        if (T.inst[idx] >= 0)
            st->answered[T.inst[idx]] = true;
    }
    for (i = 0; i < T.n; i++) {
        const struct item *it = T.item[i];
        struct answer *a = &st->a[i];

        a->opt = -1;
        if (a->present) {
            a->valid = check_value(it, a) == 0;
            if (!a->valid) {
                type_error(it, details);
                problems++;
            }
        }
        a->asked = cond_eval(&T.cond[i], answer_of, st);
        if (T.inst[i] >= 0 && st->answered[T.inst[i]] && a->asked && !a->present) {
            detail(details, it->id, msg("error.required"));
            problems++;
        }
    }
    return problems;
}

/* ---- scoring --------------------------------------------------------------------------- */

/* The scored value of an item: 0 when skip logic did not ask it or it was not sent. */
static int score(const struct state *st, size_t i)
{
    const struct answer *a = &st->a[i];
    return a->asked && a->present ? T.item[i]->options[a->opt].score : 0;
}

static void set_int(json_t *o, const char *key, json_int_t v)
{
    json_object_set_new_nocheck(o, key, json_integer(v));
}

/* Our own static text only: skips jansson's UTF-8 check. */
static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new_nocheck(o, key, json_string_nocheck(v));
}

/* {"score": score, "max": max, "band": band} */
static json_t *scored(int score, int max, const char *band)
{
    json_t *o = json_object();
    set_int(o, "score", score);
    if (max)
        set_int(o, "max", max);
    set_str(o, "band", band);
    return o;
}

static bool given(const struct state *st, size_t i)
{
    return st->a[i].asked && st->a[i].present;
}

static const char *code(const struct state *st, size_t i)
{
    return given(st, i) ? T.item[i]->options[st->a[i].opt].value : NULL;
}

static bool is_code(const struct state *st, size_t i, const char *value)
{
    const char *c = code(st, i);
    return c && strcmp(c, value) == 0;
}

static bool yes(const struct state *st, size_t i)
{
    return given(st, i) && score(st, i) == 1;
}

static int sum(const struct state *st, const size_t *items, size_t n)
{
    int total = 0;
    size_t i;

    for (i = 0; i < n; i++)
        total += score(st, items[i]);
    return total;
}

static void score_audit(const struct state *st, json_t *out, struct loc_facts *f)
{
    const struct band *b;
    const char *sex = code(st, T.sex);
    bool known = sex && (strcmp(sex, "male") == 0 || strcmp(sex, "female") == 0);
    int c = sum(st, T.audit, 3);
    int cutoff = sex && strcmp(sex, "male") == 0 ? 4 : 3;
    json_t *audit, *ac;

    f->audit = sum(st, T.audit, 10);
    b = bands_audit(f->audit);
    audit = scored(f->audit, 40, b->name);
    set_int(audit, "zone", b->zone);
    json_object_set_new_nocheck(out, "audit", audit);
    ac = json_object();
    set_int(ac, "score", c);
    set_int(ac, "max", 12);
    json_object_set_new_nocheck(ac, "positive", json_boolean(c >= cutoff));
    set_int(ac, "cutoff", cutoff);
    if (!known)
        set_str(ac, "note", msg("note.audit-c-cutoff"));
    json_object_set_new_nocheck(out, "audit_c", ac);
}

static void score_assist(const struct state *st, json_t *out, struct loc_facts *f)
{
    json_t *subs = json_object(), *assist = json_object();
    size_t s;

    for (s = 0; s < N_SUB; s++) {
        /* Q2..Q7 make the specific substance involvement score; Q1 and Q8 are not added. */
        int total = sum(st, &T.assist[s][1], 6);
        if (!yes(st, T.assist[s][0]))
            continue;
        f->assist[s] = total;
        json_object_set_new_nocheck(subs, instruments_substance(s),
                                    scored(total, 0, bands_assist(total)->name));
    }
    json_object_set_new_nocheck(assist, "substances", subs);
    if (given(st, T.assist8)) {
        f->assist8 = score(st, T.assist8);
        set_int(assist, "injection", f->assist8);
    }
    json_object_set_new_nocheck(out, "assist", assist);
}

static size_t substance_index(const char *name)
{
    size_t s;

    for (s = 0; s < N_SUB; s++)
        if (strcmp(instruments_substance(s), name) == 0)
            return s;
    abort();
}

static void score_mood(const struct state *st, json_t *out, struct loc_facts *f)
{
    if (st->answered[I_PHQ9]) {
        f->phq9 = sum(st, T.phq9, 9);
        f->phq9_item9 = score(st, T.phq9[8]);
        if (given(st, T.phq9[8]))
            f->phq9_item9_label = T.item[T.phq9[8]]->options[st->a[T.phq9[8]].opt].label;
        json_t *phq9 = scored(f->phq9, 27, bands_phq9(f->phq9)->name);
        set_int(phq9, "item9", f->phq9_item9);
        json_object_set_new_nocheck(out, "phq9", phq9);
    }
    if (st->answered[I_GAD7]) {
        f->gad7 = sum(st, T.gad7, 7);
        json_object_set_new_nocheck(out, "gad7",
                                    scored(f->gad7, 21, bands_gad7(f->gad7)->name));
    }
    if (st->answered[I_ASQ]) {
        static const char *const risk[] = {"none", "non-acute", "acute"};
        size_t q;
        f->asq = LOC_ASQ_NONE;
        for (q = 0; q < 4; q++)
            if (yes(st, T.asq[q]))
                f->asq = LOC_ASQ_NON_ACUTE;
        if (yes(st, T.asq[4]))
            f->asq = LOC_ASQ_ACUTE;
        json_t *o = json_object();
        set_str(o, "risk", risk[f->asq]);
        json_object_set_new_nocheck(out, "asq", o);
    }
}

/* Which answers the person gave, for the wording of their own page (loc.h, LOC_GIVEN_*). */
static void note_given(const struct state *st, struct loc_facts *f)
{
    const struct {
        const size_t *item;
        unsigned bit;
    } context[] = {
        {&T.wd_symptoms, LOC_GIVEN_WD_SYMPTOMS}, {&T.wd_complicated, LOC_GIVEN_WD_COMPLICATED},
        {&T.wd_now, LOC_GIVEN_WD_NOW},           {&T.wd_daily, LOC_GIVEN_WD_DAILY},
        {&T.med_unstable, LOC_GIVEN_MED_UNSTABLE}, {&T.med_pregnant, LOC_GIVEN_MED_PREGNANT},
        {&T.med_overdose, LOC_GIVEN_MED_OVERDOSE}, {&T.ready, LOC_GIVEN_READY},
        {&T.relapse, LOC_GIVEN_RELAPSE},         {&T.craving, LOC_GIVEN_CRAVING},
        {&T.housing, LOC_GIVEN_HOUSING},         {&T.safe, LOC_GIVEN_SAFE},
        {&T.home_use, LOC_GIVEN_HOME_USE},       {&T.support, LOC_GIVEN_SUPPORT},
    };
    static const unsigned inst_bits[N_INST] = {LOC_GIVEN_AUDIT, LOC_GIVEN_ASSIST,
                                               LOC_GIVEN_PHQ9, LOC_GIVEN_GAD7, LOC_GIVEN_ASQ};
    size_t i;

    for (i = 0; i < sizeof(context) / sizeof(context[0]); i++)
        if (given(st, *context[i].item))
            f->given |= context[i].bit;
    for (i = 0; i < N_INST; i++)
        if (st->answered[i])
            f->given |= inst_bits[i];
}

/* Context answers (spec §2); an unanswered one keeps the no-risk value loc_facts_init set. */
static void gather_context(const struct state *st, struct loc_facts *f)
{
    const struct item *daily = T.item[T.wd_daily];
    size_t o;

    f->adolescent = is_code(st, T.age, "under-18");
    f->wd_symptoms = is_code(st, T.wd_symptoms, "severe") ? LOC_WD_SEVERE
                     : is_code(st, T.wd_symptoms, "mild") ? LOC_WD_MILD
                                                          : LOC_WD_NONE;
    f->wd_complicated = yes(st, T.wd_complicated);
    f->wd_now = yes(st, T.wd_now);
    for (o = 0; given(st, T.wd_daily) && o < daily->n_options; o++) {
        const char *v = daily->options[o].value;
        if (!(st->a[T.wd_daily].codes & (1u << o)))
            continue;
        f->wd_daily |= strcmp(v, "alcohol") == 0     ? LOC_DAILY_ALCOHOL
                       : strcmp(v, "sedatives") == 0 ? LOC_DAILY_SEDATIVES
                                                     : LOC_DAILY_OPIOIDS;
    }
    f->med_unstable = yes(st, T.med_unstable);
    f->med_pregnant = yes(st, T.med_pregnant);
    f->med_overdose = yes(st, T.med_overdose);
    f->ready_answered = given(st, T.ready);
    if (f->ready_answered)
        f->ready = score(st, T.ready);
    f->tx_recent = yes(st, T.tx_recent);
    f->tx_op_not_enough = yes(st, T.tx_op);
    f->relapse = yes(st, T.relapse);
    f->craving = score(st, T.craving);
    f->housing = is_code(st, T.housing, "none")       ? LOC_HOUSING_NONE
                 : is_code(st, T.housing, "unstable") ? LOC_HOUSING_UNSTABLE
                                                      : LOC_HOUSING_STABLE;
    f->env_safe = !given(st, T.safe) || yes(st, T.safe);
    f->env_home_use = yes(st, T.home_use);
    f->support = is_code(st, T.support, "none")   ? LOC_SUPPORT_NONE
                 : is_code(st, T.support, "some") ? LOC_SUPPORT_SOME
                                                  : LOC_SUPPORT_STRONG;
    note_given(st, f);
}

static json_t *missing_context(const struct state *st)
{
    json_t *missing = json_array();
    size_t i;

    for (i = 0; i < T.n; i++)
        if (T.inst[i] < 0 && !st->a[i].present)
            json_array_append_new(missing, json_string_nocheck(T.item[i]->id));
    return missing;
}

static json_t *build_result(const struct state *st, enum loc_voice voice)
{
    struct loc_facts f;
    json_t *result = json_object(), *inst = json_object();

    loc_facts_init(&f);
    if (st->answered[I_AUDIT])
        score_audit(st, inst, &f);
    if (st->answered[I_ASSIST]) {
        score_assist(st, inst, &f);
        f.assist2_opioids = score(st, T.assist[substance_index("opioids")][1]);
        f.assist2_sedatives = score(st, T.assist[substance_index("sedatives")][1]);
    }
    score_mood(st, inst, &f);
    gather_context(st, &f);

    set_str(result, "version", ASSESS_VERSION);
    json_object_set_new_nocheck(result, "instruments", inst);
    loc_assess_voice(&f, voice, result);
    json_object_set_new_nocheck(result, "missing", missing_context(st));
    return result;
}

static enum err score_in(const json_t *answers, enum loc_voice voice, json_t **result,
                         json_t *details)
{
    struct state st;

    *result = NULL;
    pthread_once(&once, compile);
    if (!json_is_object(answers)) {
        detail(details, "answers", msg("error.not-object"));
        return E_INVALID;
    }
    memset(&st, 0, sizeof(st));
    if (validate(answers, &st, details) > 0)
        return E_INVALID;
    *result = build_result(&st, voice);
    return E_OK;
}

enum err assess_score(const json_t *answers, json_t **result, json_t *details)
{
    return score_in(answers, LOC_VOICE_API, result, details);
}

enum err assess_explain(const json_t *answers, json_t **result, json_t *details)
{
    return score_in(answers, LOC_VOICE_PERSON, result, details);
}
