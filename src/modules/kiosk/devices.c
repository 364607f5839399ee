/* devices: the administrators' Kiosks screen. It lists every kiosk device (live ones first)
 * and sets up the browser it is opened in as a new one: a token of 32 random bytes goes into
 * that browser's cookie (kiosk_cookie) and only its SHA-256 into the store, the member is
 * signed out there (a front-desk tablet must not stay signed in as an administrator) and the
 * browser is sent to /kiosk. Revoking asks first, on a page of its own, and needs a ticked
 * confirmation; a revoked device's cookie opens nothing. Each write lands with its entry. */
#include "modules/kiosk/kiosk.h"

#include <sodium.h>
#include <stdio.h>

#include "core/log.h"
#include "http/resp.h"
#include "store/kiosk.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/session.h"
#include "web/view.h"

/* Bytes of a device's name and place (the hint says what a good one is). */
#define NAME_MAX_BYTES 100
#define PLACE_MAX_BYTES 100

/* A device as the screen shows it: times in the clinic's zone. */
static void device_shown(struct req *r, json_t *d)
{
    static const char *const times[] = { "created_at", "last_used_at", "revoked_at" };
    const char *v;

    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        if ((v = json_string_value(json_object_get(d, times[i]))) && *v)
            json_object_set_new(d, times[i], json_string(view_time(r, v)));
}

/* The screen (m: its model, the request's, with the setup form's values and problems when
 * they are shown again) at the status of e; the list's entry is written first. */
static enum err screen(struct req *r, json_t *m, enum err e)
{
    json_t *list = NULL, *d;
    size_t i;
    enum err got;

    if ((got = store_kiosk_list(r->store, &list)) != E_OK) {
        r->model = NULL;
        return got;
    }
    json_array_foreach(list, i, d) device_shown(r, d);
    json_object_set_new(m, "devices", list);
    json_object_set_new(m, "has_devices", json_boolean(json_array_size(list) > 0));
    if (audit_list(r, "kiosk", list) < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return e;
}

enum err kiosk_devices_page(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Kiosks"));

    json_object_set_new(m, "form", json_object());
    json_object_set_new(m, "err", json_object());
    return screen(r, m, E_OK);
}

enum err kiosk_device_add(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Kiosks"));
    char token[65], hash[65], id[33];
    const char *name, *place;
    struct form f;
    enum err e;

    form_init(&f, r, m);
    name = form_text(&f, "name", NAME_MAX_BYTES, true, false,
                     "Please give the kiosk a name, such as \"Front desk tablet\".");
    place = form_text(&f, "place", PLACE_MAX_BYTES, false, false, NULL);
    if (f.problems) {
        audit_record(r, "create", "kiosk", NULL, "invalid");
        return screen(r, m, E_INVALID);
    }
    session_token_new(token);
    session_token_hash(token, hash);
    e = store_kiosk_add(r->store, name, place, hash, auth_user_id(r),
                        audit_entry(r, "create", "kiosk", NULL), id);
    if (e != E_OK) {
        sodium_memzero(token, sizeof(token));
        audit_record(r, "create", "kiosk", NULL, audit_outcome(e));
        r->model = NULL;
        return e == E_INVALID ? E_INVALID : E_DB;
    }
    log_info("kiosk %s set up by user %ld", id, auth_user_id(r));
    session_end(r);
    resp_header(r, "Set-Cookie", kiosk_cookie(r, token));
    sodium_memzero(token, sizeof(token));
    r->model = NULL;
    resp_redirect(r, 303, "/kiosk");
    return E_OK;
}

/* The confirmation page's model for the device :id names (the request's), or the error that
 * stops it: no such device (404), one revoked already (409). */
static enum err revoke_model(struct req *r, json_t **m)
{
    json_t *d = NULL;
    enum err e;

    *m = NULL;
    if ((e = store_kiosk_get(r->store, req_param(r, "id"), &d)) != E_OK) {
        if (e == E_NOTFOUND)
            r->message = "There is no such kiosk.";
        return e;
    }
    if (json_is_true(json_object_get(d, "revoked"))) {
        r->message = "This kiosk was revoked already. Go back to the kiosks to see it.";
        json_decref(d);
        return E_CONFLICT;
    }
    device_shown(r, d);
    *m = req_model(r, view_staff_model(r, "Revoke a kiosk"));
    json_object_set_new(*m, "device", d);
    return E_OK;
}

enum err kiosk_view_audited(struct req *r, const char *type, const char *id, enum err e)
{
    if (audit_record(r, "view", type, id, audit_outcome(e)) < 0 && e == E_OK) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return e;
}

enum err kiosk_revoke_page(struct req *r)
{
    json_t *m;

    return kiosk_view_audited(r, "kiosk", req_param(r, "id"), revoke_model(r, &m));
}

enum err kiosk_revoke(struct req *r)
{
    const char *id = req_param(r, "id");
    struct form f;
    json_t *m;
    enum err e;

    if ((e = revoke_model(r, &m)) != E_OK) {
        audit_record(r, "revoke", "kiosk", id, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    if (!form_checked(&f, "confirm"))
        form_problem(&f, "confirm",
                     "Please tick the box to confirm that this device stops "
                     "being a kiosk.");
    if (f.problems) {
        audit_record(r, "revoke", "kiosk", id, "invalid");
        return E_INVALID;
    }
    r->model = NULL;
    e = store_kiosk_revoke(r->store, id, auth_user_id(r), audit_entry(r, "revoke", "kiosk", id));
    if (e != E_OK) {
        audit_record(r, "revoke", "kiosk", id, audit_outcome(e));
        if (e == E_CONFLICT)
            r->message = "This kiosk was revoked already. Go back to the kiosks to see it.";
        return e == E_NOTFOUND || e == E_CONFLICT ? e : E_DB;
    }
    log_info("kiosk %s revoked by user %ld", id, auth_user_id(r));
    resp_redirect(r, 303, "/staff/kiosks");
    return E_OK;
}
