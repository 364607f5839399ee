/* today_clinical: the clinical record's part of the Today screen (issue 10), for clinicians
 * and medical staff: the open clinical alerts (PHQ-9 item 9, a risk in a note, an unexpected
 * positive screen, the portal's check-in), urgent and the member's own patients' first, each
 * until a clinician records its follow-up. The figures come from the same store functions as
 * the record's own screens and the API. */
#include "modules/calendar/calendar.h"

#include "domain/roles.h"
#include "store/clinical_alerts.h"
#include "web/auth.h"

/* Open alerts shown at most; the rest are counted and the list of all is one link away. */
#define TODAY_CLINICAL_MAX 50

/* The open clinical alerts, urgent first, as the Today screen lists them; shown gets each
 * patient listed (for the list's audit entry). */
static enum err clinical_alerts(struct req *r, json_t *m, json_t *shown)
{
    json_t *all = NULL, *list = json_array(), *a;
    size_t i, more = 0;

    if (store_clinical_alerts_open(r->store, auth_user_id(r), &all) != E_OK) {
        json_decref(list);
        return E_DB;
    }
    json_array_foreach(all, i, a)
    {
        if (json_array_size(list) >= TODAY_CLINICAL_MAX) {
            more++;
            continue;
        }
        json_array_append(list, a);
        json_array_append_new(shown, json_pack("{s:O}", "public_id",
                                               json_object_get(a, "patient_id")));
    }
    json_decref(all);
    json_object_set_new(m, "clinical_alerts", list);
    json_object_set_new(m, "clinical_alerts_none", json_boolean(!json_array_size(list)));
    json_object_set_new(m, "clinical_alerts_more", json_integer((json_int_t)more));
    return E_OK;
}

enum err calendar_today_clinical(struct req *r, json_t *today, json_t *shown)
{
    json_t *m;
    enum err e;

    if (!auth_can(r, ROLE_CLINICIAN | ROLE_MEDICAL))
        return E_OK;
    m = json_object();
    if ((e = clinical_alerts(r, m, shown)) != E_OK) {
        json_decref(m);
        return e;
    }
    json_object_set_new(today, "clinical", m);
    return E_OK;
}
