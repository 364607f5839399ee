/* code: a patient's personal check-in code, shown big for staff to read out or print (the
 * printout names the patient by first name only and says nothing of what the clinic treats),
 * made on the first view, and renewed on request: the old code stops working at once. A
 * discharged patient gets no code; one they had is shown with a note that the kiosk refuses
 * it. Each view is a read of the patient's record, each renewal a change, both audited. */
#include "modules/kiosk/kiosk.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "store/admissions.h"
#include "store/kiosk.h"
#include "web/audit.h"
#include "web/view.h"

/* The code as a card shows it: two groups of four digits (arena). */
static const char *grouped(struct req *r, const char *code)
{
    char *out = arena_alloc(r->arena, KIOSK_CODE_TEXT + 1);

    snprintf(out, KIOSK_CODE_TEXT + 1, "%.4s %.4s", code, code + 4);
    return out;
}

/* The page's model for the patient :id names (the request's); the store's error otherwise. */
static enum err page_model(struct req *r, const char *id)
{
    char code[KIOSK_CODE_TEXT] = "", title[256];
    const char *status;
    json_t *p = NULL, *m;
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, false, &p)) == E_OK) {
        e = store_checkin_code(r->store, id, code);
        e = e == E_CONFLICT ? E_OK : e; /* discharged, without a code: the page says so */
    }
    if (e != E_OK) {
        json_decref(p);
        if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        return e == E_NOTFOUND ? e : E_DB;
    }
    status = json_string_value(json_object_get(p, "status"));
    snprintf(title, sizeof(title), "Check-in code: %s %s",
             json_string_value(json_object_get(p, "first_name")),
             json_string_value(json_object_get(p, "last_name")));
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "patient",
                        json_pack("{s:O, s:O, s:O}", "public_id", json_object_get(p, "public_id"),
                                  "first_name", json_object_get(p, "first_name"), "last_name",
                                  json_object_get(p, "last_name")));
    json_object_set_new(m, "discharged", json_boolean(status && !strcmp(status, "discharged")));
    if (*code)
        json_object_set_new(m, "code",
                            json_pack("{s:s, s:s}", "digits", code, "shown", grouped(r, code)));
    json_object_set_new(m, "renewed", json_boolean(req_query(r, "renewed") != NULL));
    json_decref(p);
    return E_OK;
}

enum err kiosk_code_page(struct req *r)
{
    const char *id = req_param(r, "id");

    /* The code opens the patient's check-in: showing it is a read of their record. */
    return kiosk_view_audited(r, "patient", id, page_model(r, id));
}

enum err kiosk_code_renew(struct req *r)
{
    const char *id = req_param(r, "id");
    char code[KIOSK_CODE_TEXT], loc[96];
    enum err e;

    e = store_checkin_code_renew(r->store, id, audit_entry(r, "update", "checkin-code", id), code);
    if (e != E_OK) {
        audit_record(r, "update", "checkin-code", id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        else if (e == E_CONFLICT)
            r->message = "This patient was discharged: a discharged patient gets no check-in "
                         "code. Re-activate them on the chart first.";
        return e == E_NOTFOUND || e == E_CONFLICT ? e : E_DB;
    }
    snprintf(loc, sizeof(loc), "/staff/patients/%s/checkin-code?renewed=1", id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}
