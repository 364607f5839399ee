/* census: the Reports screen's first page: every track today with its active enrolments
 * against its capacity, and this week's admissions and discharges (enrolments starting and
 * ending in it), from store_program_census. Counts only, no names; the read is audited all the
 * same, as every report is. */
#include "modules/reports/reports.h"

#include "domain/caldate.h"
#include "modules/tracks/tracks.h"
#include "store/program.h"
#include "web/audit.h"

enum err reports_census(struct req *r)
{
    json_t *m = req_model(r, reports_model(r, "Reports", "census")), *rows = NULL, *t;
    caldate today = tracks_today(), monday = today - (caldate_weekday(today) - 1);
    json_int_t active = 0, capacity = 0, in = 0, out = 0;
    char a[CALDATE_TEXT], b[CALDATE_TEXT], c[CALDATE_TEXT];
    size_t i;

    if (store_program_census(r->store, today, &rows) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    if (audit_record(r, "view", "census", NULL, "ok") < 0) {
        json_decref(rows);
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_array_foreach(rows, i, t) {
        json_int_t n = json_integer_value(json_object_get(t, "active"));
        json_int_t cap = json_integer_value(json_object_get(t, "capacity"));
        json_object_set_new(t, "over", json_boolean(n > cap));
        json_object_set_new(t, "full", json_boolean(n >= cap));
        active += n;
        capacity += cap;
        in += json_integer_value(json_object_get(t, "admissions"));
        out += json_integer_value(json_object_get(t, "discharges"));
    }
    json_object_set_new(m, "tracks", rows);
    json_object_set_new(m, "any", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "total", json_pack("{s:I, s:I, s:I, s:I}", "active", active,
                                              "capacity", capacity, "admissions", in,
                                              "discharges", out));
    json_object_set_new(m, "today", json_string(caldate_format(today, a)));
    json_object_set_new(m, "week_from", json_string(caldate_format(monday, b)));
    json_object_set_new(m, "week_to", json_string(caldate_format(monday + 6, c)));
    return E_OK;
}
