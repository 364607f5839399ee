/* portal_access: a patient's portal from the chart (/staff/patients/:id/portal). Those who hand
 * patients their check-in code (PORTAL_ACCESS_ROLES) see the access (none, invited, open since,
 * revoked), invite (a new link voids the earlier one; the link and its QR code are shown once,
 * on a card that prints alone, and never stored or logged: only the token's SHA-256 is kept),
 * revoke (the account opens nothing more and its sessions end at once) and, when a patient has
 * lost the phone with their second factor, turn that off (confirmed with a tick that the
 * request came from the patient; their sessions end, and they sign in with the password).
 * Clinicians and medical staff (PORTAL_CHECKIN_ROLES) also see the patient's check-ins, newest
 * first; no one else does (clinical content). Every view is a read of the record, audited
 * before anything is shown; an invitation, a revocation and a reset are audited with the
 * change. */
#include "modules/patients/portal_access.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/qr_svg.h"
#include "core/timefmt.h"
#include "domain/checkin.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/admissions.h"
#include "store/portal.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/session.h"
#include "web/view.h"

#define CHECKINS_SHOWN 60

/* The clinic's date today. */
static caldate today(void)
{
    char day[11];
    caldate d = 0;

    caldate_parse(timefmt_today(time(NULL), day), &d);
    return d;
}

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* The access part of the model. */
static json_t *access_view(struct req *r, const struct portal_state *st)
{
    return json_pack("{s:b, s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:b, s:b}", "has_account",
                     st->has_account, "username", st->username, "since",
                     st->has_account ? view_time(r, st->since) : "", "revoked", st->revoked,
                     "revoked_at", st->revoked ? view_time(r, st->revoked_at) : "", "open",
                     st->open, "invite_pending", st->invite_pending, "invite_expires",
                     st->invite_pending ? view_time(r, st->invite_expires) : "", "discharged",
                     !strcmp(st->status, "discharged"), "factor", st->has_account && st->factor);
}

/* One check-in as the chart shows it. */
static json_t *checkin_view(struct req *r, const json_t *c)
{
    const json_t *t = json_object_get(c, "triggers"), *v;
    struct buf b = BUF_INIT;
    json_t *out;
    size_t i;

    json_array_foreach(t, i, v) buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(v));
    out = json_pack("{s:s, s:O, s:s, s:s, s:s, s:s, s:O, s:O, s:b}", "when",
                    view_time(r, sget(c, "at")), "craving", json_object_get(c, "craving"),
                    "mood", checkin_label(CHECKIN_MOOD, sget(c, "mood")), "sleep",
                    checkin_label(CHECKIN_SLEEP, sget(c, "sleep")), "used",
                    checkin_label(CHECKIN_USE, sget(c, "used")), "triggers", buf_cstr(&b),
                    "confidence", json_object_get(c, "confidence"), "note",
                    json_object_get(c, "note"), "used_yes", !strcmp(sget(c, "used"), "yes"));
    buf_free(&b);
    return out;
}

/* The page's model for patient id into r (req_model); E_OK or the store's error. */
static enum err page_model(struct req *r, const char *id)
{
    struct portal_state st;
    json_t *p = NULL, *m, *list = NULL, *rows;
    char title[256];
    size_t i;
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, false, &p)) != E_OK ||
        (e = store_portal_state(r->store, id, (long)time(NULL), today(), &st)) != E_OK)
        goto out;
    if (auth_can(r, PORTAL_CHECKIN_ROLES) &&
        (e = store_portal_checkins(r->store, st.patient, CHECKINS_SHOWN, &list)) != E_OK)
        goto out;
    snprintf(title, sizeof(title), "Patient portal: %s %s", sget(p, "first_name"),
             sget(p, "last_name"));
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "patient", json_pack("{s:s, s:s, s:s}", "public_id", id, "first_name",
                                                sget(p, "first_name"), "last_name",
                                                sget(p, "last_name")));
    json_object_set_new(m, "access", access_view(r, &st));
    json_object_set_new(m, "can_manage", json_boolean(auth_can(r, PORTAL_ACCESS_ROLES)));
    json_object_set_new(m, "can_checkins", json_boolean(list != NULL));
    rows = json_array();
    for (i = 0; i < json_array_size(list); i++)
        json_array_append_new(rows, checkin_view(r, json_array_get(list, i)));
    json_object_set_new(m, "has_checkins", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "checkins", rows);
    json_object_set_new(m, "revoked_now", json_boolean(req_query(r, "revoked") != NULL));
    json_object_set_new(m, "factor_reset_now",
                        json_boolean(req_query(r, "factor_reset") != NULL));
out:
    json_decref(p);
    json_decref(list);
    if (e == E_NOTFOUND)
        r->message = "There is no such patient.";
    return e == E_OK || e == E_NOTFOUND ? e : E_DB;
}

enum err portal_access_page(struct req *r)
{
    const char *id = req_param(r, "id");
    enum err e = page_model(r, id);

    /* No entry, no read. */
    if (audit_record(r, "view", "patient", id, audit_outcome(e)) < 0 && e == E_OK) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return e;
}

/* The link and its QR code, into the page's model. */
static void show_link(struct req *r, const char *token)
{
    const char *base = password_link_base();
    size_t blen = strlen(base), n;
    char *link, *svg;

    while (blen && base[blen - 1] == '/')
        blen--;
    n = blen + sizeof("/me/welcome?token=") + 64;
    link = arena_alloc(r->arena, n);
    snprintf(link, n, "%.*s/me/welcome?token=%s", (int)blen, base, token);
    svg = qr_svg(link, "The link as a QR code");
    json_object_set_new(r->model, "invite", json_pack("{s:s, s:s}", "link", link, "qr",
                                                      svg ? svg : ""));
    free(svg);
}

enum err portal_access_invite(struct req *r)
{
    const char *id = req_param(r, "id");
    char token[65], hash[65];
    enum err e;

    session_token_new(token);
    session_token_hash(token, hash);
    e = store_portal_invite(r->store, id, hash, (long)time(NULL), today(),
                            auth_user_id(r), audit_entry(r, "portal-invite", "patient", id));
    if (e != E_OK) {
        audit_record(r, "portal-invite", "patient", id, audit_outcome(e));
        sodium_memzero(token, sizeof(token));
        if (e == E_CONFLICT)
            r->message = "This patient was discharged longer ago than the clinic's aftercare "
                         "days: there is no access to give.";
        else if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        return e == E_CONFLICT || e == E_NOTFOUND ? e : E_DB;
    }
    if ((e = page_model(r, id)) == E_OK) {
        show_link(r, token);
        r->status = 201; /* Created: the link is shown this once */
    }
    sodium_memzero(token, sizeof(token));
    return e;
}

enum err portal_access_revoke(struct req *r)
{
    const char *id = req_param(r, "id");
    char loc[96];
    enum err e;

    e = store_portal_revoke(r->store, id, (long)time(NULL), auth_user_id(r),
                            audit_entry(r, "portal-revoke", "patient", id));
    if (e != E_OK) {
        audit_record(r, "portal-revoke", "patient", id, audit_outcome(e));
        if (e == E_CONFLICT)
            r->message = "There is no access to revoke: no account, and no invitation waiting.";
        else if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        return e == E_CONFLICT || e == E_NOTFOUND ? e : E_DB;
    }
    snprintf(loc, sizeof(loc), "/staff/patients/%s/portal?revoked=1", id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}

enum err portal_access_reset_factor(struct req *r)
{
    const char *id = req_param(r, "id"), *confirm = req_form(r, "confirm");
    char loc[96];
    struct form f;
    enum err e;

    if (!confirm || strcmp(confirm, "yes") != 0) {
        audit_record(r, "reset-2fa", "patient", id, "invalid");
        if ((e = page_model(r, id)) != E_OK)
            return e;
        form_init(&f, r, r->model);
        form_problem(&f, "confirm", "Tick the box to confirm that the patient asked for this.");
        return E_INVALID;
    }
    e = store_portal_factor_reset(r->store, id, audit_entry(r, "reset-2fa", "patient", id));
    if (e != E_OK) {
        audit_record(r, "reset-2fa", "patient", id, audit_outcome(e));
        if (e == E_CONFLICT)
            r->message = "Two-step sign-in is not on for this patient: there is nothing to "
                         "turn off.";
        else if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        return e == E_CONFLICT || e == E_NOTFOUND ? e : E_DB;
    }
    log_info("portal second factor of a patient reset by user %ld", auth_user_id(r));
    snprintf(loc, sizeof(loc), "/staff/patients/%s/portal?factor_reset=1", id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}
