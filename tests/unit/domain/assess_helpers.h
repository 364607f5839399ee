/* assess_helpers: shared by the assessment unit tests: build answer objects that reach a given
 * score, run assess_score, and read fields of the result by dotted path ("instruments.audit.
 * score", "dimensions.2.rating"). Include after <cmocka.h>; everything is static inline so a
 * test file that uses only some of it builds without warnings. */
#ifndef HAVEN_TEST_ASSESS_HELPERS_H
#define HAVEN_TEST_ASSESS_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/assess.h"
#include "domain/instruments.h"

static inline json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &e);
    if (!j)
        fail_msg("bad test json: %s: %s", e.text, text);
    return j;
}

/* Scores `answers` (stolen), expects success, returns the result (caller decrefs). */
static inline json_t *score_ok(json_t *answers)
{
    json_t *result = NULL, *details = json_array();
    enum err rc = assess_score(answers, &result, details);
    if (rc != E_OK) {
        char *s = json_dumps(details, 0);
        print_error("unexpected details: %s\n", s);
        free(s);
    }
    assert_int_equal(rc, E_OK);
    assert_int_equal(json_array_size(details), 0);
    assert_non_null(result);
    json_decref(details);
    json_decref(answers);
    return result;
}

/* Scores `answers` (stolen), expects E_INVALID, returns the details (caller decrefs). */
static inline json_t *score_bad(json_t *answers)
{
    json_t *result = (json_t *)1, *details = json_array();
    assert_int_equal(assess_score(answers, &result, details), E_INVALID);
    assert_null(result);
    assert_true(json_array_size(details) > 0);
    json_decref(answers);
    return details;
}

/* The value at a dotted path; numeric segments index arrays. NULL when absent. */
static inline json_t *at(json_t *j, const char *path)
{
    char seg[64];
    const char *p = path;

    while (j && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof(seg))
            return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        p += n + (p[n] == '.');
        if (json_is_array(j))
            j = json_array_get(j, strtoul(seg, NULL, 10));
        else
            j = json_object_get(j, seg);
    }
    return j;
}

static inline long long geti(json_t *j, const char *path)
{
    json_t *v = at(j, path);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", path);
    return json_integer_value(v);
}

static inline const char *gets_at(json_t *j, const char *path)
{
    json_t *v = at(j, path);
    if (!json_is_string(v))
        fail_msg("%s is not a string", path);
    return json_string_value(v);
}

/* Rating of ASAM dimension d (1-6). */
static inline long long dim(json_t *r, int d)
{
    char path[32];
    snprintf(path, sizeof(path), "dimensions.%d.rating", d - 1);
    return geti(r, path);
}

static inline int array_has(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    return 0;
}

static inline int has_flag(json_t *r, const char *flag)
{
    return array_has(at(r, "flags"), flag);
}

static inline const char *level(json_t *r)
{
    return gets_at(r, "recommendation.level");
}

static inline void seti(json_t *a, const char *id, long long v)
{
    json_object_set_new(a, id, json_integer(v));
}

static inline void setb(json_t *a, const char *id, int v)
{
    json_object_set_new(a, id, json_boolean(v));
}

static inline void sets(json_t *a, const char *id, const char *v)
{
    json_object_set_new(a, id, json_string(v));
}

/* All ten AUDIT items summing to total (0-32 from items 1-8, more from 9 and 10, even). */
static inline void audit_total(json_t *a, int total)
{
    int q, left = total;
    char id[64];

    for (q = 1; q <= 8; q++) {
        int v = left > 4 ? 4 : left;
        left -= v;
        snprintf(id, sizeof(id), "audit-%d", q);
        seti(a, id, v);
    }
    seti(a, "audit-9", left >= 4 ? 4 : left);
    left -= left >= 4 ? 4 : left;
    seti(a, "audit-10", left);
}

/* All eight ASSIST Q1 answers, "no" to each. */
static inline void assist_none(json_t *a)
{
    int s;
    char id[64];

    for (s = 0; s < INSTRUMENTS_N_SUBSTANCES; s++) {
        snprintf(id, sizeof(id), "assist-1-%s", instruments_substance(s));
        setb(a, id, 0);
    }
}

/* Substance s used, with Q2..Q7 as given (Q3-Q5 sent only when Q2 asks them); assist-8 = 0
 * unless already set. Call assist_none first. */
static inline void assist_use(json_t *a, const char *s, int q2, int q3, int q4, int q5, int q6,
                              int q7)
{
    int v[] = {q2, q3, q4, q5, q6, q7}, q;
    char id[64];

    snprintf(id, sizeof(id), "assist-1-%s", s);
    setb(a, id, 1);
    for (q = 2; q <= 7; q++) {
        if (q2 == 0 && q >= 3 && q <= 5)
            continue;
        snprintf(id, sizeof(id), "assist-%d-%s", q, s);
        seti(a, id, v[q - 2]);
    }
    if (!json_object_get(a, "assist-8"))
        seti(a, "assist-8", 0);
}

/* PHQ-9 items 1-8 summing to total (at most 24), item 9 as given. */
static inline void phq9_total(json_t *a, int total, int item9)
{
    int q, left = total;
    char id[64];

    for (q = 1; q <= 8; q++) {
        int v = left > 3 ? 3 : left;
        left -= v;
        snprintf(id, sizeof(id), "phq9-%d", q);
        seti(a, id, v);
    }
    seti(a, "phq9-9", item9);
}

static inline void gad7_total(json_t *a, int total)
{
    int q, left = total;
    char id[64];

    for (q = 1; q <= 7; q++) {
        int v = left > 3 ? 3 : left;
        left -= v;
        snprintf(id, sizeof(id), "gad7-%d", q);
        seti(a, id, v);
    }
}

/* ASQ 1-4 as given; asq-5 sent only when one of 1-4 is yes. */
static inline void asq(json_t *a, int q1, int q2, int q3, int q4, int q5)
{
    setb(a, "asq-1", q1);
    setb(a, "asq-2", q2);
    setb(a, "asq-3", q3);
    setb(a, "asq-4", q4);
    if (q1 || q2 || q3 || q4)
        setb(a, "asq-5", q5);
}

/* True when details has an entry {"item": id} whose message starts with prefix. */
static inline int has_detail(json_t *details, const char *id, const char *prefix)
{
    size_t i;
    json_t *d;

    json_array_foreach(details, i, d) {
        const char *item = json_string_value(json_object_get(d, "item"));
        const char *m = json_string_value(json_object_get(d, "message"));
        if (item && m && strcmp(item, id) == 0 && strncmp(m, prefix, strlen(prefix)) == 0)
            return 1;
    }
    return 0;
}

#endif
