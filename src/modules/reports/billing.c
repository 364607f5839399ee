/* billing: the billable days report (R6, HCPCS H0015): every billable day of a date range (at
 * most 93 days, as on the API; by default this month up to today), of one track or all, with
 * the spec's columns and the patient's name, from store_billing_days, the function behind
 * GET /api/v1/billing/days, whose CSV (the same columns, names added, cells that a spreadsheet
 * would run as a formula neutralised) the page links to for the claim. The list names patients:
 * shown only once its "list" entry is in the audit trail. */
#include "modules/reports/reports.h"

#include <stdio.h>
#include <string.h>

#include "domain/caldate.h"
#include "modules/tracks/tracks.h"
#include "store/program.h"
#include "web/audit.h"

#define BILLING_SPAN_MAX 93 /* days of one report, both ends included (spec §4) */

/* The date of query `name` (*out; dflt when blank), or a problem in f. */
static void date_of(struct form *f, const char *name, caldate dflt, caldate *out)
{
    const char *v = reports_query(f, name);
    char text[CALDATE_TEXT];

    *out = dflt;
    if (!v)
        json_object_set_new(json_object_get(f->m, "form"), name,
                            json_string(caldate_format(dflt, text)));
    else if (!caldate_parse(v, out))
        form_problem(f, name, "Give a date such as 2026-03-09.");
}

/* The patients the days name, each once, as audit_list takes them. */
static json_t *patients_of(const json_t *days)
{
    json_t *seen = json_object(), *out = json_array();
    const json_t *d;
    size_t i;

    json_array_foreach(days, i, d) {
        const char *id = json_string_value(json_object_get(d, "patient_id"));
        if (!id || json_object_get(seen, id))
            continue;
        json_object_set_new(seen, id, json_true());
        json_array_append_new(out, json_pack("{s:s}", "public_id", id));
    }
    json_decref(seen);
    return out;
}

/* The CSV export's address on the API: the same store function, the same range and track. */
static const char *csv_url(struct req *r, caldate from, caldate to, const char *track)
{
    char a[CALDATE_TEXT], b[CALDATE_TEXT], url[160];

    snprintf(url, sizeof(url), "/api/v1/billing/days?from=%s&to=%s%s%s&format=csv",
             caldate_format(from, a), caldate_format(to, b), track ? "&track=" : "",
             track ? track : "");
    return arena_strdup(r->arena, url);
}

/* Adds each day's track code (m.track_codes) and the totals to the page. */
static void days_part(json_t *m, json_t *days)
{
    const json_t *codes = json_object_get(m, "track_codes");
    json_int_t minutes = 0;
    json_t *d;
    size_t i;

    json_array_foreach(days, i, d) {
        json_object_set(d, "track_code",
                        json_object_get(codes, json_string_value(json_object_get(d, "track_id"))));
        minutes += json_integer_value(json_object_get(d, "minutes"));
    }
    json_object_set_new(m, "count", json_integer((json_int_t)json_array_size(days)));
    json_object_set_new(m, "minutes", json_integer(minutes));
    json_object_set_new(m, "any", json_boolean(json_array_size(days) > 0));
    json_object_set_new(m, "days", days);
}

enum err reports_billing(struct req *r)
{
    json_t *m = req_model(r, reports_model(r, "Billable days", "billing")), *days = NULL, *who;
    caldate today = tracks_today(), from, to;
    long y, mo, d;
    const char *track;
    char msg[80];
    struct form f;

    form_init(&f, r, m);
    caldate_ymd(today, &y, &mo, &d);
    date_of(&f, "from", today - (d - 1), &from);
    date_of(&f, "to", today, &to);
    if (!json_object_get(json_object_get(m, "err"), "from") &&
        !json_object_get(json_object_get(m, "err"), "to")) {
        snprintf(msg, sizeof(msg), "Ask for at most %d days at a time.", BILLING_SPAN_MAX);
        if (to < from)
            form_problem(&f, "to", "The last date is on or after the first.");
        else if (to - from + 1 > BILLING_SPAN_MAX)
            form_problem(&f, "to", msg);
    }
    if (reports_track_filter(&f, &track) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    if (f.problems)
        return E_INVALID;
    if (store_billing_days(r->store, from, to, track, true, &days) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    who = patients_of(days);
    if (audit_list(r, "patient", who) < 0) {
        json_decref(who);
        json_decref(days);
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_decref(who);
    days_part(m, days);
    json_object_set_new(m, "csv_url", json_string(csv_url(r, from, to, track)));
    return E_OK;
}
