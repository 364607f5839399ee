/* trend_svg: a measure's trend as an SVG chart built on the server (no script): the scores
 * over time, the severity bands shaded, the baseline marked, and lines for published
 * thresholds. Fixed viewBox (it scales to the width it is given), <title> and <desc> named by
 * aria-labelledby, role="img"; a table beside it carries the same figures for screen readers.
 * Colours are presentation attributes (the Content-Security-Policy forbids inline styles) in
 * light tints with dark lines, so that it prints on paper in black and white too. */
#ifndef HAVEN_WEB_TREND_SVG_H
#define HAVEN_WEB_TREND_SVG_H

#include <stddef.h>

#include "core/buf.h"
#include "domain/caldate.h"

/* The plot area inside the viewBox 0 0 TREND_SVG_W TREND_SVG_H: x from left to right by date,
 * y from bottom (score 0) to top (the instrument's maximum). */
#define TREND_SVG_W 480
#define TREND_SVG_H 244
#define TREND_SVG_LEFT 30
#define TREND_SVG_RIGHT 372
#define TREND_SVG_TOP 12
#define TREND_SVG_BOTTOM 212

struct trend_point {
    caldate day;
    int score;
};

struct trend_band {
    int lo, hi;        /* totals, inclusive */
    const char *label; /* "moderately severe" */
};

/* A horizontal line at a score (a published threshold), labelled. */
struct trend_line {
    double score;
    const char *label;
};

struct trend_chart {
    const char *id;    /* prefix of the element ids ("trend-phq9"): [A-Za-z0-9-] */
    const char *title; /* "PHQ-9 over time" */
    const char *desc;  /* one sentence summing the chart up (the table has the figures) */
    int max;           /* the top of the scale */
    const struct trend_band *bands; /* lowest first; may be NULL */
    size_t n_bands;
    const struct trend_line *lines; /* may be NULL */
    size_t n_lines;
    const struct trend_point *points; /* in date order; the first is the baseline */
    size_t n_points;
};

/* Appends the chart's <svg> element to out. Text is escaped. */
void trend_svg(struct buf *out, const struct trend_chart *c);
/* Where a point is drawn: x of day in [first, last] (the middle when they are the same day),
 * y of a score on 0 .. max. */
double trend_svg_x(caldate day, caldate first, caldate last);
double trend_svg_y(double score, int max);

#endif
