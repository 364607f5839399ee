/* billing: the billable days report (R6, HCPCS H0015): every billable day of a date range (at
 * most 93 days, as on the API; by default this month up to today), of one track or all, with
 * the spec's columns and the patient's name, from store_billing_days, the function behind
 * GET /api/v1/billing/days, whose CSV (the same columns, names added, cells that a spreadsheet
 * would run as a formula neutralised) the page links to for the claim. Below them, the days held
 * back for documentation (R6's fourth condition, alone or with other reasons): which plan or
 * note is missing and whose it is (its author, or the session's facilitator when there is no
 * note yet), so that billing can chase them; never what a note says. The lists name patients:
 * shown only once their "list" entry is in the audit trail. */
#include "modules/reports/reports.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/caldate.h"
#include "domain/hours.h"
#include "modules/tracks/tracks.h"
#include "store/program.h"
#include "web/audit.h"

#define BILLING_SPAN_MAX 93 /* days of one report, both ends included (spec §4) */
#define BILLING_MISSING_MAX 200 /* days held back shown at once (the rest: a narrower range) */
/* Billable days listed on the page: a network's month is ~100,000 (a page of 50 MB that the
 * 1 MB page limit refused: a 500); the count and minutes are of them all, the CSV has them. */
#define BILLING_SHOWN_MAX 500

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

/* The patients the days (and the days held back) name, each once, as audit_list takes them. */
static json_t *patients_of(json_t *days, json_t *held)
{
    json_t *seen = json_object(), *out = json_array(), *all = json_array();
    const json_t *d;
    size_t i;

    json_array_extend(all, days);
    json_array_extend(all, held);
    json_array_foreach(all, i, d) {
        const char *id = json_string_value(json_object_get(d, "patient_id"));
        if (!id || json_object_get(seen, id))
            continue;
        json_object_set_new(seen, id, json_true());
        json_array_append_new(out, json_pack("{s:s}", "public_id", id));
    }
    json_decref(seen);
    json_decref(all);
    return out;
}

/* What is missing, in words a biller chases with: the state of the note (store/program.h). */
static const char *missing_words(const char *state)
{
    static const struct {
        const char *state, *words;
    } words[] = {
        {"no-plan", "No signed treatment plan current on this day"},
        {"no-note", "No note yet"},
        {"unsigned", "Note written, not signed"},
        {"cosign-pending", "Signed, waiting for the supervisor's co-signature"},
        {"section-missing", "Group note signed without this patient's section"},
        {"section-unsigned", "Group note signed, this patient's section not"},
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (!strcmp(words[i].state, state))
            return words[i].words;
    return state;
}

/* Whose a missing note is: its author, else the session's facilitator(s), else nobody named. */
static json_t *missing_whose(struct req *r, const json_t *m)
{
    const char *author = json_string_value(json_object_get(m, "author"));
    const char *first = json_string_value(json_object_get(m, "facilitator"));
    json_int_t n = json_integer_value(json_object_get(m, "facilitators"));
    char text[200];

    if (author)
        return json_string(author);
    if (!first)
        return json_string(json_object_get(m, "session_id") ? "No facilitator named" : "");
    if (n > 1)
        snprintf(text, sizeof(text), "%s and %lld more (facilitators)", first,
                 (long long)(n - 1));
    else
        snprintf(text, sizeof(text), "%s (facilitator)", first);
    return json_string(arena_strdup(r->arena, text));
}

/* The day's other reasons (R6), in words: "under 3 hours attended; not enrolled ...". */
static json_t *others_words(struct req *r, const json_t *codes)
{
    struct buf t = BUF_INIT;
    const json_t *c;
    json_t *out;
    size_t i;

    json_array_foreach(codes, i, c)
        buf_addf(&t, "%s%s", i ? "; " : "", hours_reason_words(json_string_value(c)));
    out = json_string(arena_strdup(r->arena, buf_cstr(&t)));
    buf_free(&t);
    return out;
}

/* The days held back for documentation, worded for the page: m.held (days, each with its
 * items: what, whose) and m.held_more. */
static void missing_part(struct req *r, json_t *m, json_t *miss)
{
    json_t *days = json_object_get(miss, "days"), *d, *it;
    size_t i, k;

    json_array_foreach(days, i, d) {
        json_t *items = json_array();
        json_array_foreach(json_object_get(d, "missing"), k, it) {
            const char *title = json_string_value(json_object_get(it, "title"));
            const char *start = json_string_value(json_object_get(it, "start"));
            json_array_append_new(
                items, json_pack("{s:s, s:s, s:s, s:o}", "session",
                                 title ? title : "Treatment plan", "start", start ? start : "",
                                 "what",
                                 missing_words(json_string_value(json_object_get(it, "state"))),
                                 "whose", missing_whose(r, it)));
        }
        json_object_set_new(d, "items", items);
        json_object_set_new(d, "also", json_boolean(!json_is_true(json_object_get(d, "only"))));
        json_object_set_new(d, "also_words", others_words(r, json_object_get(d, "other_reasons")));
    }
    json_object_set(m, "held", days);
    json_object_set_new(m, "held_count", json_integer((json_int_t)json_array_size(days)));
    json_object_set_new(m, "any_held", json_boolean(json_array_size(days) > 0));
    json_object_set(m, "held_more", json_object_get(miss, "more"));
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
/* The days as the page takes them from the store: all counted, the first BILLING_SHOWN_MAX
 * (in date order) kept for the table. */
struct shown {
    json_t *days;
    size_t count;
    json_int_t minutes;
};

static int day_shown(const struct billing_day *d, void *ctx)
{
    struct shown *x = ctx;

    x->count++;
    x->minutes += d->minutes;
    if (json_array_size(x->days) >= BILLING_SHOWN_MAX)
        return 0;
    return json_array_append_new(
        x->days, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "date", d->date, "patient_id",
                           d->patient_id, "track_id", d->track_id, "minutes", d->minutes,
                           "services", d->services, "code", HOURS_BILLING_CODE,
                           "patient_name", d->patient_name));
}

static void days_part(json_t *m, struct shown *x)
{
    const json_t *codes = json_object_get(m, "track_codes");
    json_t *d;
    size_t i;

    json_array_foreach(x->days, i, d) {
        json_object_set(d, "track_code",
                        json_object_get(codes, json_string_value(json_object_get(d, "track_id"))));
    }
    json_object_set_new(m, "count", json_integer((json_int_t)x->count));
    json_object_set_new(m, "minutes", json_integer(x->minutes));
    json_object_set_new(m, "any", json_boolean(x->count > 0));
    if (x->count > json_array_size(x->days))
        json_object_set_new(m, "shown", json_integer((json_int_t)json_array_size(x->days)));
    json_object_set(m, "days", x->days);
}

enum err reports_billing(struct req *r)
{
    json_t *m = req_model(r, reports_model(r, "Billable days", "billing")), *who;
    struct shown days = {NULL, 0, 0};
    json_t *miss = NULL;
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
    days.days = json_array();
    if (store_billing_days_each(r->store, from, to, track, day_shown, &days) != E_OK) {
        json_decref(days.days);
        r->model = NULL;
        return E_DB;
    }
    if (store_billing_missing_notes(r->store, from, to, track, BILLING_MISSING_MAX, &miss) !=
        E_OK) {
        json_decref(days.days);
        r->model = NULL;
        return E_DB;
    }
    /* The patients the page names: those of the days listed and held back. */
    who = patients_of(days.days, json_object_get(miss, "days"));
    if (audit_list(r, "patient", who) < 0) {
        json_decref(who);
        json_decref(days.days);
        json_decref(miss);
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_decref(who);
    days_part(m, &days);
    json_decref(days.days);
    missing_part(r, m, miss);
    json_decref(miss);
    json_object_set_new(m, "csv_url", json_string(csv_url(r, from, to, track)));
    return E_OK;
}
