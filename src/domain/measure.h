/* measure: the standardized measures of measurement-based care (issue 10) as data and rules:
 * PHQ-9 and GAD-7 (items and bands of spec/assessment.md §1.3-1.4, the public assessment's own
 * tables in domain/instruments.c and domain/bands.c), the Penn Alcohol Craving Scale (5 items
 * 0-6, no published cut-offs), and a single 0-10 craving rating; checking and scoring answers,
 * severity bands, change from baseline with the only published thresholds (PHQ-9), and the
 * next due date of a clinic's schedule. Pure: no I/O. */
#ifndef HAVEN_DOMAIN_MEASURE_H
#define HAVEN_DOMAIN_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/caldate.h"

#define MEASURE_ITEMS_MAX 9
#define MEASURE_SUBSTANCE_MAX 60 /* measures.substance */
#define MEASURE_BANDS_MAX 5

struct measure_def {
    const char *code;     /* as stored in measures.instrument: "phq9", "gad7", "pacs", "craving" */
    const char *name;     /* "PHQ-9" */
    const char *title;    /* what it measures, in plain words: "Depression" */
    size_t n_items;
    int item_max;         /* each item takes 0 .. item_max */
    int total_max;        /* the sum of every item's maximum */
    const char *setting;  /* the clinic's schedule: settings key, days between (0: none) */
    int default_days;     /* migration 0020's value of that setting */
    const char *source;   /* citation */
    bool has_bands;       /* published severity bands (PHQ-9, GAD-7) */
    bool has_thresholds;  /* published response / remission / change thresholds (PHQ-9) */
    bool has_substance;   /* adaptable to a named substance (PACS) */
};

/* The instruments in display order (i < measure_count()), and by stored code (NULL when
 * unknown). Static data. */
size_t measure_count(void);
const struct measure_def *measure_at(size_t i);
const struct measure_def *measure_find(const char *code);

/* The instructions shown above the items (the instrument's stem). */
const char *measure_stem(const struct measure_def *d);
/* Item i's text into out (size bytes), with the substance named for PACS ("drinking" and
 * "alcohol" when substance is NULL or empty); returns out. PHQ-9, GAD-7 and the craving rating
 * are the public assessment's items (domain/instruments.c), quoted from their sources. */
const char *measure_item_text(const struct measure_def *d, size_t i, const char *substance,
                              char *out, size_t size);
/* The label of value v of item i ("Several days"), or NULL when the instrument labels only
 * its numbers (PACS, craving: measure_scale_hint says what the ends mean). */
const char *measure_option_label(const struct measure_def *d, size_t i, int v);
/* A line under the item saying what the ends of a numeric scale mean, or NULL. */
const char *measure_scale_hint(const struct measure_def *d);

/* Checks n answers for d: E_OK with *total their sum; E_INVALID when n is not d->n_items
 * (*bad = -1) or an item is outside 0 .. item_max (*bad = its index from 0). */
enum err measure_score(const struct measure_def *d, const int *answers, size_t n, int *total,
                       long *bad);
/* Whether a named substance is acceptable: 1-60 bytes of letters, digits, spaces, hyphens
 * and apostrophes (it is put into the items' sentences). */
bool measure_substance_ok(const char *s);

/* Whether PHQ-9 item 9 (thoughts of death or self-harm) is above 0: the urgent alert. False
 * for other instruments. */
bool measure_item9_alert(const struct measure_def *d, const int *answers, size_t n);

/* A severity band: totals lo .. hi (inclusive) and its spec name ("moderately-severe"). */
struct measure_band {
    int lo, hi;
    const char *name;
};
/* The published bands of d, lowest first, into out (at most MEASURE_BANDS_MAX); 0 when d has
 * none. Derived from domain/bands.c, so they are the spec's. */
size_t measure_bands(const struct measure_def *d, struct measure_band *out);
/* The band name of a total ("mild"), or NULL when d has no published bands. */
const char *measure_band_name(const struct measure_def *d, int total);
/* A band name in words for people: "moderately severe". */
const char *measure_band_label(const char *name);

/* Change of a total from the baseline (the first measure of the instrument) and, for PHQ-9
 * only, the published thresholds it reaches (Löwe B et al., Med Care 2004;42:1194-1201;
 * Kroenke K et al. 2001): response = a drop of at least 50 % from a baseline above 0,
 * remission = a total under 5, a change of 5 points or more either way clinically
 * significant. For the other instruments every flag stays false: raw change only. */
struct measure_change {
    int change; /* total - baseline */
    bool response, remission, improved5, worsened5;
};
void measure_change_of(const struct measure_def *d, int baseline, int total,
                       struct measure_change *out);

/* The day the next measure is due on a schedule of `days` (> 0): admission when none was
 * taken yet (has_last false), else the last one taken + days. */
caldate measure_due_on(caldate admission, bool has_last, caldate last, int days);

#endif
