/* trend_svg: the trend chart of web/trend_svg.h as a string, element by element. Band edges
 * sit half a point between totals (a 5 is inside "mild", not on its edge); a threshold line
 * sits where the caller says. */
#include "web/trend_svg.h"

#include <stdio.h>
#include <string.h>

/* Light tints, lowest band first; a band past the table repeats the last. */
static const char *const band_fill[] = {"#e6f2e6", "#f3f6dc", "#fdf3d6", "#fbe5cf", "#f8d7d3"};
#define N_FILLS (sizeof(band_fill) / sizeof(band_fill[0]))
#define INK "#1f2d5c"
#define GRID "#6b6b6b"

double trend_svg_x(caldate day, caldate first, caldate last)
{
    if (last <= first)
        return (TREND_SVG_LEFT + TREND_SVG_RIGHT) / 2.0;
    return TREND_SVG_LEFT +
           (double)(day - first) * (TREND_SVG_RIGHT - TREND_SVG_LEFT) / (double)(last - first);
}

double trend_svg_y(double score, int max)
{
    if (score < 0)
        score = 0;
    if (max > 0 && score > max)
        score = max;
    return TREND_SVG_BOTTOM - score * (TREND_SVG_BOTTOM - TREND_SVG_TOP) / (max > 0 ? max : 1);
}

static void text(struct buf *out, const char *s)
{
    buf_add_html(out, s, strlen(s));
}

/* The shaded bands, each labelled in the right margin. */
static void bands(struct buf *out, const struct trend_chart *c)
{
    buf_adds(out, "<g class=\"trend-bands\">");
    for (size_t i = 0; i < c->n_bands; i++) {
        const struct trend_band *b = &c->bands[i];
        double top = trend_svg_y(b->hi + 0.5, c->max), bottom = trend_svg_y(b->lo - 0.5, c->max);
        buf_addf(out,
                 "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\""
                 " data-band-lo=\"%d\" data-band-hi=\"%d\"/>",
                 TREND_SVG_LEFT, top, TREND_SVG_RIGHT - TREND_SVG_LEFT, bottom - top,
                 band_fill[i < N_FILLS ? i : N_FILLS - 1], b->lo, b->hi);
        buf_addf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"" GRID "\">",
                 TREND_SVG_RIGHT + 6, (top + bottom) / 2 + 4);
        text(out, b->label);
        buf_adds(out, "</text>");
    }
    buf_adds(out, "</g>");
}

/* A tick and its number on the score axis. */
static void tick(struct buf *out, int score, int max)
{
    double y = trend_svg_y(score, max);

    buf_addf(out,
             "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"" GRID "\"/>"
             "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d</text>",
             TREND_SVG_LEFT - 4, y, TREND_SVG_LEFT, y, TREND_SVG_LEFT - 7, y + 4, score);
}

/* The axes: scores at 0, each band's start and the top; the first and last dates. */
static void axes(struct buf *out, const struct trend_chart *c)
{
    char first[CALDATE_TEXT], last[CALDATE_TEXT];

    buf_addf(out,
             "<g class=\"trend-axes\" fill=\"" GRID "\"><path d=\"M%d %d V%d H%d\" fill=\"none\""
             " stroke=\"" GRID "\"/>",
             TREND_SVG_LEFT, TREND_SVG_TOP, TREND_SVG_BOTTOM, TREND_SVG_RIGHT);
    tick(out, 0, c->max);
    for (size_t i = 0; i < c->n_bands; i++)
        if (c->bands[i].lo > 0)
            tick(out, c->bands[i].lo, c->max);
    if (!c->n_bands && c->max > 1)
        tick(out, c->max / 2, c->max);
    tick(out, c->max, c->max);
    if (c->n_points) {
        caldate_format(c->points[0].day, first);
        caldate_format(c->points[c->n_points - 1].day, last);
        buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", TREND_SVG_LEFT,
                 TREND_SVG_BOTTOM + 18, first);
        if (c->n_points > 1 && strcmp(first, last))
            buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                     TREND_SVG_RIGHT, TREND_SVG_BOTTOM + 18, last);
    }
    buf_adds(out, "</g>");
}

/* A dashed horizontal line across the plot with its label above its left end. */
static void hline(struct buf *out, const char *cls, double score, int max, const char *label,
                  const char *dash)
{
    double y = trend_svg_y(score, max);

    buf_addf(out,
             "<g class=\"%s\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"" INK "\""
             " stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"" INK
             "\">",
             cls, TREND_SVG_LEFT, y, TREND_SVG_RIGHT, y, dash, TREND_SVG_LEFT + 10, y - 3);
    text(out, label);
    buf_adds(out, "</text></g>");
}

/* The line through the points, then each point with its own tooltip. */
static void points(struct buf *out, const struct trend_chart *c)
{
    caldate first = c->points[0].day, last = c->points[c->n_points - 1].day;
    char day[CALDATE_TEXT];

    buf_adds(out, "<polyline class=\"trend-line\" fill=\"none\" stroke=\"" INK
                  "\" stroke-width=\"2\" points=\"");
    for (size_t i = 0; i < c->n_points; i++)
        buf_addf(out, "%s%.1f,%.1f", i ? " " : "", trend_svg_x(c->points[i].day, first, last),
                 trend_svg_y(c->points[i].score, c->max));
    buf_adds(out, "\"/><g class=\"trend-points\" fill=\"" INK "\">");
    for (size_t i = 0; i < c->n_points; i++) {
        caldate_format(c->points[i].day, day);
        buf_addf(out,
                 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" data-day=\"%s\" data-score=\"%d\">"
                 "<title>%s: %d</title></circle>",
                 trend_svg_x(c->points[i].day, first, last),
                 trend_svg_y(c->points[i].score, c->max), i ? 4 : 6, day, c->points[i].score,
                 day, c->points[i].score);
    }
    buf_adds(out, "</g>");
}

void trend_svg(struct buf *out, const struct trend_chart *c)
{
    char baseline[48];

    buf_addf(out,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend-svg\" id=\"%s\""
             " viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\""
             " aria-labelledby=\"%s-title %s-desc\" font-family=\"sans-serif\">",
             c->id, TREND_SVG_W, TREND_SVG_H, c->id, c->id);
    buf_addf(out, "<title id=\"%s-title\">", c->id);
    text(out, c->title);
    buf_addf(out, "</title><desc id=\"%s-desc\">", c->id);
    text(out, c->desc);
    buf_adds(out, "</desc>");
    bands(out, c);
    axes(out, c);
    for (size_t i = 0; i < c->n_lines; i++)
        hline(out, "trend-threshold", c->lines[i].score, c->max, c->lines[i].label, "2 4");
    if (c->n_points) {
        snprintf(baseline, sizeof(baseline), "Baseline %d", c->points[0].score);
        hline(out, "trend-baseline", c->points[0].score, c->max, baseline, "8 4");
        points(out, c);
    }
    buf_adds(out, "</svg>");
}
