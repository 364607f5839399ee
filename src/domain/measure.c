/* measure: the measures of measurement-based care as tables (see measure.h). PHQ-9, GAD-7 and
 * the craving rating expose the public assessment's items (domain/instruments.c) and bands
 * (domain/bands.c) rather than copy them, so the staff's and the public's forms cannot drift.
 * The Penn Alcohol Craving Scale's items here are Haven's close descriptions of the published
 * items (Flannery BA, Volpicelli JR, Pettinati HM. Psychometric properties of the Penn Alcohol
 * Craving Scale. Alcohol Clin Exp Res 1999;23(8):1289-95), not its wording: staff transcribe
 * the patient's answers from the instrument itself. It has no published severity bands. */
#include "domain/measure.h"

#include <stdio.h>
#include <string.h>

#include "domain/bands.h"
#include "domain/instruments.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct measure_def defs[] = {
    {.code = "phq9", .name = "PHQ-9", .title = "Depression", .n_items = 9, .item_max = 3,
     .total_max = 27, .setting = "measure_days_phq9", .default_days = 14,
     .source = "PHQ-9: Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-13. "
               "Change thresholds: L\xc3\xb6we B et al. Med Care 2004;42:1194-201.",
     .has_bands = true, .has_thresholds = true},
    {.code = "gad7", .name = "GAD-7", .title = "Anxiety", .n_items = 7, .item_max = 3,
     .total_max = 21, .setting = "measure_days_gad7", .default_days = 14,
     .source = "GAD-7: Spitzer RL, Kroenke K, Williams JB, L\xc3\xb6we B. Arch Intern Med "
               "2006;166:1092-7.",
     .has_bands = true},
    {.code = "pacs", .name = "PACS", .title = "Craving (Penn Alcohol Craving Scale)",
     .n_items = 5, .item_max = 6, .total_max = 30, .setting = "measure_days_pacs",
     .default_days = 7,
     .source = "Penn Alcohol Craving Scale: Flannery BA, Volpicelli JR, Pettinati HM. Alcohol "
               "Clin Exp Res 1999;23:1289-95. No published cut-offs: raw change only.",
     .has_substance = true},
    {.code = "craving", .name = "Craving 0-10", .title = "Craving (single rating)", .n_items = 1,
     .item_max = 10, .total_max = 10, .setting = "measure_days_craving", .default_days = 0,
     .source = "A single 0-10 rating of the strongest craving in the past week (the public "
               "assessment's item). No published cut-offs: raw change only."},
};

/* PACS, Haven's descriptions of the five published items (frequency, intensity, duration,
 * difficulty resisting, overall craving). "{drinking}" and "{alcohol}" name the substance. */
static const char *const pacs_items[] = {
    "How often, during the past week, the patient thought about {drinking} or about how good "
    "{drinking} would make them feel",
    "How strong the craving was at its most severe point during the past week",
    "How much time, during the past week, the patient spent thinking about {drinking} or about "
    "how good {drinking} would make them feel",
    "How difficult it would have been to resist {drinking} during the past week if {alcohol} "
    "had been at hand",
    "The patient's overall average {alcohol} craving during the past week, all of the above in "
    "mind",
};

#define PACS_STEM                                                                              \
    "About the past week. Enter the number the patient chose on the Penn Alcohol Craving "      \
    "Scale for each item."
#define PACS_HINT "0 is none or never; 6 is the most (nearly all the time, the strongest)."

size_t measure_count(void)
{
    return LEN(defs);
}

const struct measure_def *measure_at(size_t i)
{
    return i < LEN(defs) ? &defs[i] : NULL;
}

const struct measure_def *measure_find(const char *code)
{
    for (size_t i = 0; code && i < LEN(defs); i++)
        if (!strcmp(defs[i].code, code))
            return &defs[i];
    return NULL;
}

/* The public assessment's item behind item i of d (PHQ-9, GAD-7, craving), or NULL. */
static const struct item *shared_item(const struct measure_def *d, size_t i)
{
    char id[40];

    if (d->has_substance || i >= d->n_items)
        return NULL;
    if (d->n_items == 1)
        return instruments_item(d->code);
    snprintf(id, sizeof(id), "%s-%zu", d->code, i + 1);
    return instruments_item(id);
}

const char *measure_stem(const struct measure_def *d)
{
    const struct item *it = shared_item(d, 0);

    if (d->has_substance)
        return PACS_STEM;
    return it && it->hint && d->n_items > 1 ? it->hint : "About the past week.";
}

const char *measure_scale_hint(const struct measure_def *d)
{
    const struct item *it = shared_item(d, 0);

    if (d->has_substance)
        return PACS_HINT;
    return d->n_items == 1 && it ? it->hint : NULL;
}

/* Appends the `len` bytes at p to out (size bytes, *at used), truncating. */
static void put(char *out, size_t size, size_t *at, const char *p, size_t len)
{
    if (*at + len >= size)
        len = *at < size - 1 ? size - 1 - *at : 0;
    memcpy(out + *at, p, len);
    *at += len;
    out[*at] = '\0';
}

const char *measure_item_text(const struct measure_def *d, size_t i, const char *substance,
                              char *out, size_t size)
{
    const struct item *it = shared_item(d, i);
    bool named = substance && *substance;
    const char *p, *mark;
    char use[MEASURE_SUBSTANCE_MAX + 8];
    size_t at = 0;

    out[0] = '\0';
    if (!d->has_substance || i >= LEN(pacs_items)) {
        put(out, size, &at, it ? it->text : "", it ? strlen(it->text) : 0);
        return out;
    }
    snprintf(use, sizeof(use), "using %s", named ? substance : "");
    for (p = pacs_items[i]; (mark = strchr(p, '{')); p = strchr(mark, '}') + 1) {
        const char *with = !strncmp(mark, "{drinking}", 10) ? (named ? use : "drinking")
                                                           : (named ? substance : "alcohol");
        put(out, size, &at, p, (size_t)(mark - p));
        put(out, size, &at, with, strlen(with));
    }
    put(out, size, &at, p, strlen(p));
    return out;
}

const char *measure_option_label(const struct measure_def *d, size_t i, int v)
{
    const struct item *it = shared_item(d, i);
    char value[8];
    const struct item_option *o;

    if (!it || d->n_items == 1)
        return NULL;
    snprintf(value, sizeof(value), "%d", v);
    o = instruments_option(it, value);
    return o ? o->label : NULL;
}

enum err measure_score(const struct measure_def *d, const int *answers, size_t n, int *total,
                       long *bad)
{
    int sum = 0;

    *bad = -1;
    if (n != d->n_items)
        return E_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (answers[i] < 0 || answers[i] > d->item_max) {
            *bad = (long)i;
            return E_INVALID;
        }
        sum += answers[i];
    }
    *total = sum;
    return E_OK;
}

bool measure_substance_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n < 1 || n > MEASURE_SUBSTANCE_MAX || s[0] == ' ' || s[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ' ' || c == '-' || c == '\''))
            return false;
    }
    return true;
}

bool measure_item9_alert(const struct measure_def *d, const int *answers, size_t n)
{
    return !strcmp(d->code, "phq9") && n == 9 && answers[8] > 0;
}

/* The spec's band lookup of d (domain/bands.c), or NULL. */
static const struct band *band_of(const struct measure_def *d, int total)
{
    if (!strcmp(d->code, "phq9"))
        return bands_phq9(total);
    if (!strcmp(d->code, "gad7"))
        return bands_gad7(total);
    return NULL;
}

size_t measure_bands(const struct measure_def *d, struct measure_band *out)
{
    size_t n = 0;

    if (!d->has_bands)
        return 0;
    /* Walk every total: a band starts where the lookup's answer changes. */
    for (int t = 0; t <= d->total_max; t++) {
        const struct band *b = band_of(d, t);
        if (n == 0 || strcmp(out[n - 1].name, b->name)) {
            if (n == MEASURE_BANDS_MAX)
                break;
            out[n++] = (struct measure_band){.lo = t, .hi = t, .name = b->name};
        } else {
            out[n - 1].hi = t;
        }
    }
    return n;
}

const char *measure_band_name(const struct measure_def *d, int total)
{
    const struct band *b = d->has_bands ? band_of(d, total) : NULL;

    return b ? b->name : NULL;
}

const char *measure_band_label(const char *name)
{
    if (!name)
        return "";
    return !strcmp(name, "moderately-severe") ? "moderately severe" : name;
}

void measure_change_of(const struct measure_def *d, int baseline, int total,
                       struct measure_change *out)
{
    *out = (struct measure_change){.change = total - baseline};
    if (!d->has_thresholds)
        return;
    out->response = baseline > 0 && 2 * (baseline - total) >= baseline;
    out->remission = total < 5;
    out->improved5 = baseline - total >= 5;
    out->worsened5 = total - baseline >= 5;
}

caldate measure_due_on(caldate admission, bool has_last, caldate last, int days)
{
    return has_last ? last + days : admission;
}
