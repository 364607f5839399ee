/* hours: the program's figures over the API (spec program.md §3, §4): a patient's week (R1-R6),
 * billable days (R6, JSON or CSV with names for the claim) and alerts (R7), each as of a date
 * (`as_of`, default today) so that a report can be asked for any day. Every read is audited. */
#include "modules/program/program.h"

#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "domain/hours.h"
#include "http/resp.h"
#include "web/audit.h"

#define BILLING_SPAN_MAX 93 /* days of one billing read, both ends included */

enum err program_week(struct req *r)
{
    const char *id = req_param(r, "id");
    struct caldate_week w;
    caldate as_of;
    json_t *out = NULL;
    enum err e = E_OK;

    if (!caldate_week_parse(req_param(r, "week"), &w))
        return program_invalid(r, "week", "Name an ISO week such as 2026-W11.");
    if (!program_query_date(r, "as_of", program_today(), &as_of, &e))
        return e;
    if ((e = store_patient_week(r->store, id, w, as_of, &out)) != E_OK) {
        audit_record(r, "view", "patient", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (audit_record(r, "view", "patient", id, "ok") < 0) {
        json_decref(out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}

static const char *const csv_columns[] = {"date",     "patient_id", "track_id",    "minutes",
                                          "services", "code",       "patient_name"};

/* One billable day as a CSV line, in csv_columns' order. Only the name can hold what a cell
 * must quote or neutralise: the date, the ids (hex), the numbers and the code never do, so they
 * are copied as they are (a network's month is ~100,000 lines). */
static char *digits(char *p, int v)
{
    char tmp[12];
    int n = 0;

    if (v < 0)
        v = 0; /* minutes and services never are */
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < (int)sizeof(tmp));
    while (n)
        *p++ = tmp[--n];
    return p;
}

static int csv_day(const struct billing_day *d, void *ctx)
{
    struct buf *out = ctx;
    char nums[48], *p = nums;

    *p++ = ',';
    p = digits(p, d->minutes);
    *p++ = ',';
    p = digits(p, d->services);
    memcpy(p, "," HOURS_BILLING_CODE, sizeof(HOURS_BILLING_CODE));
    p += sizeof(HOURS_BILLING_CODE);
    buf_adds(out, d->date);
    buf_addc(out, ',');
    buf_adds(out, d->patient_id);
    buf_addc(out, ',');
    buf_adds(out, d->track_id);
    buf_add(out, nums, (size_t)(p - nums));
    csv_cell(out, d->patient_name, false);
    buf_add(out, "\r\n", 2);
    return out->over;
}

/* The billable days as CSV: the spec's columns and the patient's name, a header line first,
 * each day written as the store finds it (a network's month is ~100,000 lines). */
static enum err billing_csv(struct req *r, caldate from, caldate to, const char *track)
{
    const size_t n = sizeof(csv_columns) / sizeof(*csv_columns);

    buf_reset(&r->out);
    for (size_t c = 0; c < n; c++)
        csv_cell(&r->out, csv_columns[c], c == 0);
    buf_adds(&r->out, "\r\n");
    if (store_billing_days_each(r->store, from, to, track, csv_day, &r->out) != E_OK ||
        r->out.over)
        return E_DB;
    r->content_type = "text/csv; charset=utf-8; header=present";
    resp_header(r, "Content-Disposition", "attachment; filename=\"haven-billable-days.csv\"");
    return E_OK;
}

enum err program_billing(struct req *r)
{
    const char *track = req_query(r, "track"), *format = req_query(r, "format");
    bool csv = format && !strcmp(format, "csv");
    caldate from, to;
    json_t *out = NULL;
    enum err e = E_OK;
    char msg[64];

    if (format && !csv && strcmp(format, "json"))
        return program_invalid(r, "format", "The format is csv or json.");
    if (!req_query(r, "from"))
        return program_invalid(r, "from", "Give the first date, such as 2026-03-01.");
    if (!req_query(r, "to"))
        return program_invalid(r, "to", "Give the last date, such as 2026-03-31.");
    if (!program_query_date(r, "from", 0, &from, &e) || !program_query_date(r, "to", 0, &to, &e))
        return e;
    if (to < from)
        return program_invalid(r, "to", "The last date is on or after the first.");
    if (to - from + 1 > BILLING_SPAN_MAX) {
        snprintf(msg, sizeof(msg), "Ask for at most %d days at a time.", BILLING_SPAN_MAX);
        return program_invalid(r, "to", arena_strdup(r->arena, msg));
    }
    if (track && *track && store_track_get(r->store, track, from, &out) != E_OK)
        return program_invalid(r, "track", "There is no such track.");
    json_decref(out);
    out = NULL;
    track = track && *track ? track : NULL;
    if (csv)
        e = billing_csv(r, from, to, track);
    else
        e = store_billing_days(r->store, from, to, track, false, &out);
    if (e != E_OK)
        return E_DB;
    if (audit_record(r, csv ? "export" : "list", "billable-days", NULL, "ok") < 0) {
        json_decref(out);
        buf_reset(&r->out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if (!csv)
        req_model(r, out);
    return E_OK;
}

enum err program_alerts(struct req *r)
{
    caldate as_of;
    json_t *out = NULL;
    enum err e = E_OK;

    if (!program_query_date(r, "as_of", program_today(), &as_of, &e))
        return e;
    if (store_alerts(r->store, as_of, &out) != E_OK)
        return E_DB;
    if (audit_record(r, "list", "alert", NULL, "ok") < 0) {
        json_decref(out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}
