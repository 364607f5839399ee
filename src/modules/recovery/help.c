/* help: Help now (/me/help), one tap from every portal page: the approved plan's coping
 * strategies, people to call (tel: links) and reasons, the counsellor and the clinic's number,
 * a ten-minute urge-surfing timer that runs in CSS alone (static/portal.css, "recovery"),
 * grounding and paced breathing in plain words, and the crisis lines. Also the service worker
 * (/me/sw.js) that keeps this page and the plan readable without a network.
 *
 * Why a service worker, and why so careful: a craving does not wait for signal, so the plan and
 * this page must open offline once seen; but they are private. So (1) the worker is served from
 * /me/, whose scope covers only the portal (with Service-Worker-Allowed: /me/ said out loud);
 * (2) it keeps only responses the server marks X-Haven-Offline: 1, which it does for a
 * patient's own device and never for a session on a device they said is shared (then it says
 * 0, and the worker drops what it kept); (3) it serves the network's answer first and the kept
 * copy only when the network fails, so a live session always sees the current plan; (4) it
 * forgets everything on sign-out (it sees the POST to /me/sign-out; the sign-out's
 * Clear-Site-Data header does the same where the browser honours it). The registering script
 * (static/portal-offline.js) is external: the CSP allows no inline script. */
#include "modules/recovery/recovery.h"

#include <string.h>

#include "core/embed.h"
#include "http/resp.h"
#include "modules/portal/portal.h"
#include "store/clinic.h"
#include "store/portal.h"
#include "store/recovery.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/session.h"
#include "web/view.h"

bool recovery_offline_ok(struct req *r)
{
    const char *token = req_cookie(r, AUTH_PATIENT_COOKIE);
    struct portal_session ps;
    char hash[65];

    if (!token || strlen(token) != 64 || auth_patient_id(r) <= 0)
        return false;
    session_token_hash(token, hash);
    /* Unknown is "shared": a page is kept only when the session positively says it may be. */
    return store_portal_session_get(r->store, hash, portal_today(NULL), &ps) == E_OK &&
           ps.patient == auth_patient_id(r) && !ps.shared;
}

void recovery_offline_mark(struct req *r, json_t *m)
{
    bool ok = recovery_offline_ok(r);

    resp_header(r, "X-Haven-Offline", ok ? "1" : "0");
    json_object_set_new(m, "offline", json_string(ok ? "keep" : "forget"));
}

/* The help's people: the counsellor's name and the clinic's number, into m. */
static enum err contacts(struct req *r, json_t *m)
{
    char name[256];
    struct clinic c;

    if (store_portal_counsellor(r->store, auth_patient_id(r), name, sizeof(name)) != E_OK ||
        store_clinic_get(r->store, &c) != E_OK)
        return E_DB;
    /* Not the clinic's name: a page glanced at over a shoulder says nothing about treatment. */
    json_object_set_new(m, "care", json_pack("{s:s, s:s, s:s}", "counsellor", name, "phone",
                                              c.phone, "phone_digits", c.phone_digits));
    return E_OK;
}

enum err recovery_help_page(struct req *r)
{
    json_t *approved = NULL, *m, *plan, *sec;
    const char *key;
    enum err e;
    size_t i;

    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if ((e = store_recovery_approved(r->store, auth_patient_id(r), &approved)) != E_OK)
        return E_DB;
    m = req_model(r, portal_model(r, "Help now"));
    if (approved) {
        /* Only the parts that help in the moment: the steps, the people, the reasons. */
        plan = recovery_sections_view(json_object_get(approved, "body"));
        json_array_foreach(json_object_get(plan, "list"), i, sec)
        {
            key = json_string_value(json_object_get(sec, "key"));
            if (!strcmp(key, "coping") || !strcmp(key, "people") || !strcmp(key, "reasons"))
                json_object_set(m, key, json_object_get(sec, "items"));
        }
        json_object_set_new(m, "has_plan", json_true());
        json_object_set_new(m, "has_reasons",
                            json_boolean(json_array_size(json_object_get(m, "reasons")) > 0));
        json_decref(plan);
    }
    json_decref(approved);
    if (contacts(r, m) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    recovery_offline_mark(r, m);
    return E_OK;
}

enum err recovery_sw(struct req *r)
{
    const struct embedded_file *f = embed_find("static/portal-sw.js");

    if (!f) {
        r->message = "There is no file at this address.";
        return E_NOTFOUND;
    }
    r->content_type = "text/javascript; charset=utf-8";
    /* The worker's scope is /me/ (its own directory); saying so lets a browser accept the
     * registration however the script is reached, and nothing wider is ever allowed. */
    resp_header(r, "Service-Worker-Allowed", "/me/");
    /* Checked on every registration, so that a fixed worker replaces the old one at once. */
    resp_header(r, "Cache-Control", "no-cache");
    r->status = 200;
    buf_add(&r->out, f->data, f->len);
    return E_OK;
}
