/* today: the portal's first page (/me/): the patient's sessions today and later this week from
 * the program (their roster's sessions: when, what, where; never who else attends or who
 * leads), whether they checked in today, and their personal check-in code for the clinic's
 * kiosk with its QR code (a discharged patient has none). Everything is read for the signed-in
 * patient (r->user), and the read is audited before anything is shown. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/qr_svg.h"
#include "store/kiosk.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/auth.h"

static const char *const weekdays[] = { "Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday" };
static const char *const months[] = { "January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December" };

/* "Wednesday 6 March" (arena). */
static const char *day_label(struct req *r, caldate d)
{
    char *out = arena_alloc(r->arena, 32);
    long y, m, dd;

    caldate_ymd(d, &y, &m, &dd);
    snprintf(out, 32, "%s %ld %s", weekdays[caldate_weekday(d) - 1], dd, months[m - 1]);
    return out;
}

/* One session as the patient sees it. */
static json_t *session_view(const json_t *s)
{
    const char *status = json_string_value(json_object_get(s, "status"));

    return json_pack("{s:O, s:O, s:O, s:O, s:b}", "start", json_object_get(s, "start"), "end",
                     json_object_get(s, "end"), "title", json_object_get(s, "title"), "room",
                     json_object_get(s, "room"), "cancelled",
                     status && strcmp(status, "cancelled") == 0);
}

/* Today's sessions and the days after it this week, into m. */
static enum err sessions(struct req *r, json_t *m, caldate today)
{
    caldate sunday = today + (7 - caldate_weekday(today));
    json_t *list = NULL, *now = json_array(), *later = json_array(), *day = NULL, *s;
    caldate at = -1, d;
    size_t i;
    enum err e;

    if ((e = store_program_sessions_list(r->store, today, sunday, NULL, r->user->public_id,
                                         &list)) != E_OK) {
        json_decref(now);
        json_decref(later);
        return e;
    }
    json_array_foreach(list, i, s)
    {
        if (!caldate_parse(json_string_value(json_object_get(s, "date")), &d))
            continue;
        if (d == today) {
            json_array_append_new(now, session_view(s));
            continue;
        }
        if (d != at) {
            at = d;
            day = json_pack("{s:s, s:[]}", "label", day_label(r, d), "sessions");
            json_array_append_new(later, day);
        }
        json_array_append_new(json_object_get(day, "sessions"), session_view(s));
    }
    json_decref(list);
    json_object_set_new(m, "has_today", json_boolean(json_array_size(now) > 0));
    json_object_set_new(m, "today", now);
    json_object_set_new(m, "later", later);
    json_object_set_new(m, "today_label", json_string(day_label(r, today)));
    return E_OK;
}

/* The check-in code and its QR, into m; nothing for a discharged patient. */
static enum err code(struct req *r, json_t *m)
{
    char digits[KIOSK_CODE_TEXT], shown[KIOSK_CODE_TEXT + 1];
    enum err e = store_checkin_code(r->store, r->user->public_id, digits);
    char *svg;

    if (e == E_CONFLICT)
        return E_OK;
    if (e != E_OK)
        return E_DB;
    snprintf(shown, sizeof(shown), "%.4s %.4s", digits, digits + 4);
    svg = qr_svg(digits, "Your check-in code as a QR code");
    json_object_set_new(
        m, "code",
        json_pack("{s:s, s:s, s:s}", "digits", digits, "shown", shown, "qr", svg ? svg : ""));
    free(svg);
    return E_OK;
}

enum err portal_today_page(struct req *r)
{
    json_t *m = portal_model(r, "Today"), *done = NULL;
    caldate today = portal_today(NULL);
    enum err e;

    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        json_decref(m);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if ((e = sessions(r, m, today)) != E_OK || (e = code(r, m)) != E_OK ||
        (e = portal_checkin_today(r, &done)) != E_OK) {
        json_decref(m);
        log_error("portal: today's page of a patient could not be read");
        return E_DB;
    }
    if (done)
        json_object_set_new(m, "checked_in", done);
    req_model(r, m);
    return E_OK;
}
