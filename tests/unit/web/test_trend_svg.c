/* test_trend_svg: the server-rendered trend chart (web/trend_svg.h) is well-formed XML (a small
 * checker below: every tag closed in order, attributes quoted, no bare '&' or '<' in text, one
 * root), names itself for screen readers (role, aria-labelledby pointing at <title> and <desc>),
 * holds no script, escapes what it is given, and draws each point, band and line where the
 * arithmetic puts it for known inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/trend_svg.h"

/* ---- a small XML well-formedness check ---------------------------------------------------- */

#define DEPTH_MAX 32

/* Whether the entity at p (after '&') is one XML knows, *len its length. */
static int entity_ok(const char *p, size_t *len)
{
    static const char *const named[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    for (size_t i = 0; i < sizeof(named) / sizeof(*named); i++)
        if (!strncmp(p, named[i], strlen(named[i]))) {
            *len = strlen(named[i]);
            return 1;
        }
    if (p[0] == '#') {
        size_t n = 1;
        while (p[n] >= '0' && p[n] <= '9')
            n++;
        if (n > 1 && p[n] == ';') {
            *len = n + 1;
            return 1;
        }
    }
    return 0;
}

/* Text or an attribute value from p up to stop: no '<', every '&' an entity. */
static const char *chars(const char *p, char stop)
{
    size_t n;
    while (*p && *p != stop) {
        if (*p == '<' && stop != '<')
            return NULL;
        if (*p == '&') {
            if (!entity_ok(p + 1, &n))
                return NULL;
            p += n;
        }
        p++;
    }
    return *p ? p : NULL;
}

/* A name [A-Za-z_:][A-Za-z0-9_:.-]* at p into out; returns past it, or NULL. */
static const char *name(const char *p, char *out, size_t size)
{
    size_t n = 0;
    if (!(*p == '_' || *p == ':' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return NULL;
    while (*p && (strchr("_:.-", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9'))) {
        if (n + 1 < size)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

/* Parses one start tag's attributes at p (after its name): returns past '>' and sets *empty
 * for "/>", or NULL. Attribute names must not repeat. */
static const char *attributes(const char *p, int *empty)
{
    char seen[24][32], attr[32];
    size_t n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (p[0] == '/' && p[1] == '>') {
            *empty = 1;
            return p + 2;
        }
        if (*p == '>') {
            *empty = 0;
            return p + 1;
        }
        if (!(p = name(p, attr, sizeof(attr))) || *p++ != '=' || *p++ != '"')
            return NULL;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(seen[i], attr))
                return NULL;
        if (n < 24)
            snprintf(seen[n++], sizeof(seen[0]), "%s", attr);
        if (!(p = chars(p, '"')))
            return NULL;
        p++;
    }
}

/* 1 when doc is one well-formed element (no prolog, comments or CDATA: the chart has none). */
static int well_formed(const char *doc)
{
    char stack[DEPTH_MAX][32], tag[32];
    int depth = 0, roots = 0, empty;
    const char *p = doc;

    while (*p) {
        if (*p != '<') {
            if (depth == 0 || !(p = chars(p, '<')))
                return 0;
            continue;
        }
        if (p[1] == '/') {
            if (!(p = name(p + 2, tag, sizeof(tag))) || *p++ != '>' || depth == 0 ||
                strcmp(stack[--depth], tag))
                return 0;
            continue;
        }
        if (!(p = name(p + 1, tag, sizeof(tag))) || !(p = attributes(p, &empty)))
            return 0;
        if (depth == 0)
            roots++;
        if (!empty) {
            if (depth == DEPTH_MAX)
                return 0;
            snprintf(stack[depth++], sizeof(stack[0]), "%s", tag);
        }
    }
    return depth == 0 && roots == 1;
}

static void test_checker(void **state)
{
    (void)state;
    /* The checker itself refuses what it must. */
    assert_true(well_formed("<a x=\"1\"><b/>t &amp; &#39;</a>"));
    assert_false(well_formed("<a><b></a></b>"));
    assert_false(well_formed("<a>x & y</a>"));
    assert_false(well_formed("<a x=1></a>"));
    assert_false(well_formed("<a x=\"1\" x=\"2\"></a>"));
    assert_false(well_formed("<a></a><b></b>"));
    assert_false(well_formed("<a>"));
    assert_false(well_formed("<a x=\"<\"></a>"));
}

/* ---- the chart ---------------------------------------------------------------------------- */

static caldate day(const char *s)
{
    caldate d = 0;
    assert_true(caldate_parse(s, &d));
    return d;
}

static const struct trend_band phq_bands[] = {
    {0, 4, "minimal"}, {5, 9, "mild"}, {10, 14, "moderate"}, {15, 19, "moderately severe"},
    {20, 27, "severe"},
};

/* The chart of six PHQ-9 scores over ten weeks. */
static char *six(struct buf *b, const char *title)
{
    static struct trend_point pts[6];
    static const struct trend_line lines[] = {{4.5, "Remission: under 5"}, {9, "Response"}};
    struct trend_chart c = {.id = "trend-phq9", .title = title,
                            .desc = "Six scores from 18 down to 4.", .max = 27,
                            .bands = phq_bands, .n_bands = 5, .lines = lines, .n_lines = 2,
                            .points = pts, .n_points = 6};
    const char *days[] = {"2026-03-02", "2026-03-16", "2026-03-30",
                          "2026-04-13", "2026-04-27", "2026-05-11"};
    const int scores[] = {18, 16, 12, 9, 6, 4};

    for (size_t i = 0; i < 6; i++)
        pts[i] = (struct trend_point){day(days[i]), scores[i]};
    trend_svg(b, &c);
    return b->data;
}

/* The value of attribute attr in the first element after `after` that has it. */
static double attr_after(const char *doc, const char *after, const char *attr)
{
    const char *p = strstr(doc, after);
    char key[40];
    assert_non_null(p);
    snprintf(key, sizeof(key), " %s=\"", attr);
    p = strstr(p, key);
    assert_non_null(p);
    return strtod(p + strlen(key), NULL);
}

static void test_well_formed(void **state)
{
    struct buf b = BUF_INIT;
    const char *svg;

    (void)state;
    svg = six(&b, "PHQ-9 <over> time & \"trend\"");
    assert_true(well_formed(svg));
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\"trend-phq9-title trend-phq9-desc\""));
    assert_non_null(strstr(svg, "<title id=\"trend-phq9-title\">PHQ-9 &lt;over&gt; time &amp; "
                                "&quot;trend&quot;</title>"));
    assert_non_null(strstr(svg, "<desc id=\"trend-phq9-desc\">Six scores"));
    assert_non_null(strstr(svg, "viewBox=\"0 0 480 244\""));
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "style="));
    /* No event handler attribute (on...="). */
    for (const char *p = strstr(svg, " on"); p; p = strstr(p + 1, " on")) {
        size_t n = 3;
        while (p[n] >= 'a' && p[n] <= 'z')
            n++;
        assert_false(p[n] == '=');
    }
    buf_free(&b);
}

static void test_points(void **state)
{
    struct buf b = BUF_INIT;
    const char *svg;
    const double h = TREND_SVG_BOTTOM - TREND_SVG_TOP, w = TREND_SVG_RIGHT - TREND_SVG_LEFT;

    (void)state;
    svg = six(&b, "PHQ-9");
    /* The first (baseline) at the left, at 18 of 27; the last at the right, at 4 of 27; the
     * fourth 42 of 70 days in, at 9. */
    assert_non_null(strstr(svg, "data-day=\"2026-03-02\""));
    assert_float_equal(attr_after(svg, "<circle", "cx"), TREND_SVG_LEFT, 0.05);
    assert_float_equal(attr_after(svg, "<circle", "cy"), TREND_SVG_BOTTOM - 18 * h / 27, 0.05);
    assert_non_null(strstr(svg, "data-score=\"16\""));
    {
        const char *p = strstr(svg, "data-day=\"2026-04-13\"");
        const char *c = p;
        while (c > svg && strncmp(c, "<circle", 7))
            c--;
        assert_float_equal(attr_after(c, "<circle", "cx"), TREND_SVG_LEFT + 42 * w / 70, 0.05);
        assert_float_equal(attr_after(c, "<circle", "cy"), TREND_SVG_BOTTOM - 9 * h / 27, 0.05);
        c = strstr(svg, "data-day=\"2026-05-11\"");
        while (c > svg && strncmp(c, "<circle", 7))
            c--;
        assert_float_equal(attr_after(c, "<circle", "cx"), TREND_SVG_RIGHT, 0.05);
        assert_float_equal(attr_after(c, "<circle", "cy"), TREND_SVG_BOTTOM - 4 * h / 27, 0.05);
    }
    /* The functions agree with the arithmetic, and clamp. */
    assert_float_equal(trend_svg_y(0, 27), TREND_SVG_BOTTOM, 1e-9);
    assert_float_equal(trend_svg_y(27, 27), TREND_SVG_TOP, 1e-9);
    assert_float_equal(trend_svg_y(40, 27), TREND_SVG_TOP, 1e-9);
    assert_float_equal(trend_svg_y(-3, 27), TREND_SVG_BOTTOM, 1e-9);
    assert_float_equal(trend_svg_x(day("2026-03-09"), day("2026-03-02"), day("2026-03-16")),
                       (TREND_SVG_LEFT + TREND_SVG_RIGHT) / 2.0, 1e-9);
    /* The baseline line at 18; the polyline starts at the first point. */
    assert_float_equal(attr_after(svg, "class=\"trend-baseline\"", "y1"),
                       TREND_SVG_BOTTOM - 18 * h / 27, 0.05);
    assert_non_null(strstr(svg, ">Baseline 18</text>"));
    buf_free(&b);
}

static void test_bands_and_lines(void **state)
{
    struct buf b = BUF_INIT;
    const char *svg;
    const double h = TREND_SVG_BOTTOM - TREND_SVG_TOP;

    (void)state;
    svg = six(&b, "PHQ-9");
    /* "mild" (5-9) spans 4.5 .. 9.5; "severe" (20-27) from 19.5 up to the top. */
    {
        const char *r = strstr(svg, "data-band-lo=\"5\"");
        while (strncmp(r, "<rect", 5))
            r--;
        assert_float_equal(attr_after(r, "<rect", "y"), TREND_SVG_BOTTOM - 9.5 * h / 27, 0.05);
        assert_float_equal(attr_after(r, "<rect", "height"), 5 * h / 27, 0.1);
        r = strstr(svg, "data-band-lo=\"20\"");
        while (strncmp(r, "<rect", 5))
            r--;
        assert_float_equal(attr_after(r, "<rect", "y"), TREND_SVG_TOP, 0.05);
    }
    assert_non_null(strstr(svg, ">moderately severe</text>"));
    /* Threshold lines where they were asked for, labelled. */
    assert_float_equal(attr_after(svg, "class=\"trend-threshold\"", "y1"),
                       TREND_SVG_BOTTOM - 4.5 * h / 27, 0.05);
    assert_non_null(strstr(svg, ">Remission: under 5</text>"));
    buf_free(&b);
}

static void test_no_bands_one_point(void **state)
{
    struct trend_point p = {day("2026-03-02"), 7};
    struct trend_chart c = {.id = "trend-craving", .title = "Craving", .desc = "One rating.",
                            .max = 10, .points = &p, .n_points = 1};
    struct buf b = BUF_INIT;

    (void)state;
    trend_svg(&b, &c);
    assert_true(well_formed(b.data));
    assert_null(strstr(b.data, "<rect"));
    assert_null(strstr(b.data, "trend-threshold"));
    /* One point sits in the middle. */
    assert_float_equal(attr_after(b.data, "<circle", "cx"),
                       (TREND_SVG_LEFT + TREND_SVG_RIGHT) / 2.0, 0.05);
    buf_free(&b);
    /* No points: still a well-formed, labelled chart. */
    c.n_points = 0;
    trend_svg(&b, &c);
    assert_true(well_formed(b.data));
    assert_null(strstr(b.data, "<circle"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker),        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_points),         cmocka_unit_test(test_bands_and_lines),
        cmocka_unit_test(test_no_bands_one_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
