/* bands: cut-offs from the published sources, as the spec states them (see
 * docs/clinical-rules.md): AUDIT, WHO 2001 zones; ASSIST v3.0 specific substance involvement
 * risk levels; PHQ-9 (Kroenke 2001) and GAD-7 (Spitzer 2006) severity bands. */
#include "domain/bands.h"

#include <stddef.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Highest band first, so the first line whose minimum is reached wins. */
static const struct band audit[] = {
    {20, "dependence", 4},
    {16, "harmful", 3},
    {8, "hazardous", 2},
    {0, "low-risk", 1},
};

static const struct band assist[] = {
    {27, "high", 0},
    {4, "moderate", 0},
    {0, "low", 0},
};

static const struct band phq9[] = {
    {20, "severe", 0},
    {15, "moderately-severe", 0},
    {10, "moderate", 0},
    {5, "mild", 0},
    {0, "minimal", 0},
};

static const struct band gad7[] = {
    {15, "severe", 0},
    {10, "moderate", 0},
    {5, "mild", 0},
    {0, "minimal", 0},
};

static const struct band *find(const struct band *t, size_t n, int score)
{
    size_t i;

    for (i = 0; i + 1 < n; i++)
        if (score >= t[i].min)
            return &t[i];
    return &t[n - 1];
}

const struct band *bands_audit(int score)
{
    return find(audit, LEN(audit), score);
}

const struct band *bands_assist(int score)
{
    return find(assist, LEN(assist), score);
}

const struct band *bands_phq9(int score)
{
    return find(phq9, LEN(phq9), score);
}

const struct band *bands_gad7(int score)
{
    return find(gad7, LEN(gad7), score);
}
