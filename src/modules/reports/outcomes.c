/* outcomes: the outcomes report for the program director (issue 10; administrators and
 * clinicians): per track and admission month, counts only — patients, the share with a
 * baseline and a follow-up PHQ-9, GAD-7 and PACS and the mean change, PHQ-9 response and
 * remission (Löwe et al. 2004), retention at 30, 60 and 90 days (counted once those days have
 * passed), and how the enrolments ended. The page, GET /api/v1/reports/outcomes and its CSV
 * read the same store function (store/outcomes.h). No names, no clinical text. */
#include "modules/reports/reports.h"

#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "domain/caldate.h"
#include "http/resp.h"
#include "modules/tracks/tracks.h"
#include "store/outcomes.h"
#include "web/audit.h"
#include "web/view.h"

#define OUTCOMES_MONTHS_MAX 36 /* months of one report */

/* "YYYY-MM" into its first day (*first) and last (*last); false when it is not a month. */
static bool month_parse(const char *v, caldate *first, caldate *last)
{
    char text[16];
    long y, m, d;

    if (!v || strlen(v) != 7 || v[4] != '-')
        return false;
    snprintf(text, sizeof(text), "%s-01", v);
    if (!caldate_parse(text, first))
        return false;
    caldate_ymd(*first, &y, &m, &d);
    if (!caldate_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, last))
        return false;
    (*last)--;
    return true;
}

static const char *month_text(caldate day, char out[8])
{
    char d[CALDATE_TEXT];

    snprintf(out, 8, "%.7s", caldate_format(day, d));
    return out;
}

/* The range of the query (from, to: months; by default the twelve months up to this one) into
 * *first (the first day) and *last (the last day); a sentence and its field when refused. */
static const char *range_of(struct req *r, caldate today, caldate *first, caldate *last,
                            const char **field)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    char month[8];
    caldate x;
    long y, m, d, y2, m2;

    *field = "to";
    if (!month_parse(to && *to ? to : month_text(today, month), &x, last))
        return "Give a month such as 2026-03.";
    caldate_ymd(*last, &y2, &m2, &d);
    *field = "from";
    if (from && *from) {
        if (!month_parse(from, first, &x))
            return "Give a month such as 2026-01.";
    } else {
        caldate_from_ymd(m2 == 12 ? y2 : y2 - 1, m2 == 12 ? 1 : m2 + 1, 1, first);
    }
    caldate_ymd(*first, &y, &m, &d);
    *field = "to";
    if (*last < *first)
        return "The last month is on or after the first.";
    if ((y2 - y) * 12 + (m2 - m) + 1 > OUTCOMES_MONTHS_MAX)
        return "Ask for at most 36 months at a time.";
    return NULL;
}

/* "a of b (p%)", or "—" when b is 0. */
static json_t *share(long a, long b)
{
    char t[64];

    if (!b)
        return json_string("—");
    snprintf(t, sizeof(t), "%ld of %ld (%ld%%)", a, b, (200 * a + b) / (2 * b));
    return json_string(t);
}

static long geti(const json_t *o, const char *a, const char *b)
{
    return (long)json_integer_value(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

static json_t *change_words(const json_t *o, const char *instr)
{
    const json_t *v = json_object_get(json_object_get(o, instr), "mean_change");
    char t[32];

    if (!json_is_number(v))
        return json_string("—");
    snprintf(t, sizeof(t), "%+.1f", json_number_value(v));
    return json_string(t);
}

/* The rows worded for the page: shares of the patients, of those with a follow-up ... */
static json_t *rows_view(const json_t *rows)
{
    json_t *out = json_array();
    const json_t *o;
    size_t i;

    json_array_foreach(rows, i, o)
    {
        long n = geti(o, "patients", NULL);
        json_t *v = json_pack(
            "{s:O, s:O, s:O, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
            "track_code", json_object_get(o, "track_code"), "track_name",
            json_object_get(o, "track_name"), "month", json_object_get(o, "month"), "patients",
            (int)n, "phq9_followup", share(geti(o, "phq9", "followup"), n), "phq9_change",
            change_words(o, "phq9"), "phq9_response",
            share(geti(o, "phq9", "response"), geti(o, "phq9", "response_of")), "phq9_remission",
            share(geti(o, "phq9", "remission"), geti(o, "phq9", "remission_of")), "gad7_followup",
            share(geti(o, "gad7", "followup"), n), "gad7_change", change_words(o, "gad7"),
            "pacs_followup", share(geti(o, "pacs", "followup"), n), "pacs_change",
            change_words(o, "pacs"), "d30",
            share(geti(json_object_get(o, "retention"), "d30", "retained"),
                  geti(json_object_get(o, "retention"), "d30", "eligible")),
            "d60",
            share(geti(json_object_get(o, "retention"), "d60", "retained"),
                  geti(json_object_get(o, "retention"), "d60", "eligible")),
            "d90",
            share(geti(json_object_get(o, "retention"), "d90", "retained"),
                  geti(json_object_get(o, "retention"), "d90", "eligible")),
            "completed", share(geti(o, "ended", "completed"), geti(o, "ended", "all")));
        json_object_set_new(v, "phq9_baseline", share(geti(o, "phq9", "baseline"), n));
        json_object_set_new(v, "ended_other",
                            json_pack("{s:I, s:I}", "discharged",
                                      (json_int_t)geti(o, "ended", "discharged_other"), "moved",
                                      (json_int_t)geti(o, "ended", "other")));
        json_array_append_new(out, v);
    }
    return out;
}

/* The report of the query's range, audited; E_INVALID with the field's problem in *why. */
static enum err outcomes_read(struct req *r, json_t **out, const char **field, const char **why,
                              caldate *first, caldate *last)
{
    caldate today = tracks_today();

    if ((*why = range_of(r, today, first, last, field)))
        return E_INVALID;
    if (store_outcomes(r->store, *first, *last, today, out) != E_OK)
        return E_DB;
    if (audit_record(r, "list", "outcomes", NULL, "ok") < 0) {
        json_decref(*out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err reports_outcomes(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Outcomes")), *rows = NULL;
    const char *field = NULL, *why = NULL;
    caldate first, last;
    char a[8], b[8], url[96];
    enum err e;

    json_object_set_new(m, "form",
                        json_pack("{s:s, s:s}", "from",
                                  req_query(r, "from") ? req_query(r, "from") : "", "to",
                                  req_query(r, "to") ? req_query(r, "to") : ""));
    if ((e = outcomes_read(r, &rows, &field, &why, &first, &last)) == E_INVALID) {
        json_object_set_new(m, "err", json_pack("{s:s}", field, why));
        json_object_set_new(m, "errors", json_pack("[{s:s, s:s}]", "field", field, "message", why));
        json_object_set_new(m, "has_errors", json_true());
        return e;
    }
    if (e != E_OK) {
        r->model = NULL;
        return e;
    }
    json_object_set_new(
        m, "form",
        json_pack("{s:s, s:s}", "from", month_text(first, a), "to", month_text(last, b)));
    json_object_set_new(m, "rows", rows_view(rows));
    json_object_set_new(m, "any", json_boolean(json_array_size(rows) > 0));
    snprintf(url, sizeof(url), "/api/v1/reports/outcomes?from=%s&to=%s&format=csv", a, b);
    json_object_set_new(m, "csv_url", json_string(url));
    json_decref(rows);
    return E_OK;
}

static const char *const csv_columns[] = { "track_code",
                                           "month",
                                           "patients",
                                           "phq9.baseline",
                                           "phq9.followup",
                                           "phq9.mean_change",
                                           "phq9.response",
                                           "phq9.response_of",
                                           "phq9.remission",
                                           "phq9.remission_of",
                                           "gad7.baseline",
                                           "gad7.followup",
                                           "gad7.mean_change",
                                           "pacs.baseline",
                                           "pacs.followup",
                                           "pacs.mean_change",
                                           "retention.d30.eligible",
                                           "retention.d30.retained",
                                           "retention.d60.eligible",
                                           "retention.d60.retained",
                                           "retention.d90.eligible",
                                           "retention.d90.retained",
                                           "ended.all",
                                           "ended.completed",
                                           "ended.discharged_other",
                                           "ended.other" };
#define N_CSV (sizeof(csv_columns) / sizeof(csv_columns[0]))

/* The value at a dotted path of o. */
static const json_t *at_path(const json_t *o, const char *path)
{
    char key[40];
    const char *dot;

    while ((dot = strchr(path, '.'))) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        o = json_object_get(o, key);
        path = dot + 1;
    }
    return json_object_get(o, path);
}

/* The report as CSV: a header line of the JSON's paths, a line per track and month. */
static enum err outcomes_csv(struct req *r, const json_t *rows)
{
    char num[32];
    const json_t *o;
    size_t i;

    buf_reset(&r->out);
    for (size_t c = 0; c < N_CSV; c++)
        csv_cell(&r->out, csv_columns[c], c == 0);
    buf_adds(&r->out, "\r\n");
    json_array_foreach(rows, i, o)
    {
        for (size_t c = 0; c < N_CSV; c++) {
            const json_t *v = at_path(o, csv_columns[c]);
            /* Numbers are ours, written as numbers (a negative change is not a formula). */
            if (json_is_number(v)) {
                if (json_is_integer(v))
                    snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
                else
                    snprintf(num, sizeof(num), "%.1f", json_real_value(v));
                buf_addf(&r->out, "%s%s", c ? "," : "", num);
                continue;
            }
            csv_cell(&r->out, json_string_value(v) ? json_string_value(v) : "", c == 0);
        }
        buf_adds(&r->out, "\r\n");
    }
    if (r->out.over)
        return E_DB;
    r->content_type = "text/csv; charset=utf-8; header=present";
    resp_header(r, "Content-Disposition", "attachment; filename=\"haven-outcomes.csv\"");
    return E_OK;
}

enum err reports_outcomes_api(struct req *r)
{
    const char *format = req_query(r, "format"), *field = NULL, *why = NULL;
    bool csv = format && !strcmp(format, "csv");
    caldate first, last;
    json_t *rows = NULL;
    enum err e;

    if (format && !csv && strcmp(format, "json")) {
        field = "format";
        why = "The format is csv or json.";
        e = E_INVALID;
    } else {
        e = outcomes_read(r, &rows, &field, &why, &first, &last);
    }
    if (e == E_INVALID) {
        req_model(r, json_pack("{s:s, s:[{s:s, s:s}]}", "error", "invalid", "details", "field",
                               field, "message", why));
        return e;
    }
    if (e != E_OK)
        return e;
    if (csv) {
        e = outcomes_csv(r, rows);
        json_decref(rows);
        return e;
    }
    req_model(r, rows);
    return E_OK;
}
