/* checkin_done: what follows a check-in (/me/check-in/done): thanks, and when the check-in
 * reported use or a craving at the clinic's alert level, the help at hand: the crisis lines,
 * the counsellor's name and the clinic's number, and a word that the counsellor will hear of
 * it. The page reads today's check-in of the signed-in patient, never one named in the
 * address. Also today's check-in for the Today page. */
#include "modules/portal/portal.h"

#include <string.h>

#include "domain/checkin.h"
#include "http/resp.h"
#include "store/portal.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

enum err portal_checkin_today(struct req *r, json_t **out)
{
    json_t *list = NULL, *c;
    const char *shown;
    char day[11];
    enum err e;

    *out = NULL;
    portal_today(day);
    if ((e = store_portal_checkins(r->store, auth_patient_id(r), 1, &list)) != E_OK)
        return E_DB;
    c = json_array_get(list, 0);
    if (c && !strcmp(json_string_value(json_object_get(c, "day")), day)) {
        /* "2026-11-27 09:33 CST": the time is what the patient needs. */
        shown = view_time(r, json_string_value(json_object_get(c, "at")));
        *out = json_deep_copy(c);
        json_object_set_new(*out, "time",
                            json_stringn(strlen(shown) >= 16 ? shown + 11 : shown,
                                         strlen(shown) >= 16 ? 5 : strlen(shown)));
    }
    json_decref(list);
    return E_OK;
}

enum err portal_checkin_done(struct req *r)
{
    json_t *m, *c = NULL;
    char level[16] = "";
    bool used, craving;

    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if (portal_checkin_today(r, &c) != E_OK)
        return E_DB;
    if (!c) {
        resp_redirect(r, 303, "/me/check-in");
        return E_OK;
    }
    m = req_model(r, portal_model(r, "Thank you"));
    json_object_set_new(m, "checkin", c);
    used = checkin_use_alerts(json_string_value(json_object_get(c, "used")));
    craving = store_setting_get(r->store, "portal_craving_alert", level, sizeof(level)) == E_OK &&
              checkin_craving_alerts((int)json_integer_value(json_object_get(c, "craving")), level);
    if ((used || craving) && portal_help(r, m, used) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    return E_OK;
}
