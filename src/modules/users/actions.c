/* actions: an administrator's changes to one staff account, one address each: disable and
 * enable it, reset its password (a new one-time link), change its roles, turn off a lost
 * second factor. Each change and its audit entry land in one transaction (no entry, no
 * change); changes that take privileges away end the account's sessions. An administrator
 * may not lock themselves out: no disabling or un-admining oneself. The two that cut a person
 * off at once, disabling and a new password link (which ends the current password), are never
 * one click: a page first names the person and the effect, and the change needs its ticked
 * confirmation (422 and the page again without it). */
#include "modules/users/users.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/roles.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/session.h"
#include "web/view.h"

/* Shown with the link made for someone else. */
static const char hand_over[] =
    "Only the person whose account this is may use this link. Whoever opens it sets the "
    "password and can sign in as them, so hand it to that person alone (in person, or by a "
    "channel only they read), never use it yourself, and do not keep a copy. Its use is "
    "recorded in the audit trail under your name.";

/* The account the address names. */
static enum err target(struct req *r, struct staff_user *u)
{
    if (store_user_get(r->store, STAFF_BY_PUBLIC_ID, 0, req_param(r, "id"), u) != E_OK) {
        r->message = "There is no such user.";
        return E_NOTFOUND;
    }
    return E_OK;
}

/* A change the store could not make: audited as an error, the error page saying message. */
static enum err failed(struct req *r, const char *action, const struct staff_user *u,
                       const char *message)
{
    audit_record(r, action, "user", u->public_id, audit_outcome(E_DB));
    r->message = message;
    return E_DB;
}

/* A change refused for what it would do: audited as invalid, the screen with the reason. */
static enum err refused(struct req *r, const char *action, const struct staff_user *u,
                        const char *why)
{
    audit_record(r, action, "user", u->public_id, audit_outcome(E_INVALID));
    return users_page(r, why, E_INVALID);
}

/* The two changes that ask first: what the page says of each, for the person named. */
static const struct {
    const char *action; /* the address's last part and the audit action */
    const char *title;  /* "Disable %s's account?" */
    const char *effect; /* %s: the name, twice */
    const char *confirm; /* the box to tick: "Yes, disable %s's account" */
    const char *button;
} confirms[] = {
    {"disable", "Disable %s's account?",
     "%s is signed out everywhere at once and cannot sign in until an administrator enables "
     "the account again. Nothing %s recorded is lost.",
     "Yes, disable %s's account", "Disable the account"},
    {"reset", "Make a new password link for %s?",
     "%s's current password stops working at once and every session of theirs ends. The "
     "one-time link shown next sets a new password; hand it to %s alone.",
     "Yes, end %s's current password and make a new link", "End the password and make a link"},
};

/* The confirmation page of confirms[k] for account u, as the request's model; the form's
 * problems (missing ticks) are the caller's. */
static json_t *confirm_model(struct req *r, size_t k, const struct staff_user *u, bool self)
{
    json_t *m;
    char title[512], effect[1400], confirm[512], roles[128];

    snprintf(title, sizeof(title), confirms[k].title, u->name);
    snprintf(effect, sizeof(effect), confirms[k].effect, u->name, u->name);
    snprintf(confirm, sizeof(confirm), confirms[k].confirm, u->name);
    roles_text(u->roles, roles, sizeof(roles));
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "person", json_pack("{s:s, s:s, s:s, s:s}", "name", u->name, "email",
                                               u->email, "public_id", u->public_id, "roles",
                                               roles));
    json_object_set_new(m, "action", json_string(confirms[k].action));
    json_object_set_new(m, "effect", json_string(effect));
    json_object_set_new(m, "confirm_label", json_string(confirm));
    json_object_set_new(m, "button", json_string(confirms[k].button));
    json_object_set_new(m, "self", json_boolean(self));
    json_object_set_new(m, "self_disable", json_boolean(self && k == 0));
    r->view = "users/confirm";
    return m;
}

/* The confirmation page of confirms[k] for the account :id names. */
static enum err confirm_page(struct req *r, size_t k)
{
    struct staff_user u;
    enum err e;

    if ((e = target(r, &u)) != E_OK) {
        audit_record(r, "view", "user", req_param(r, "id"), audit_outcome(e));
        return e;
    }
    /* The page names the person: a read of the account, recorded, or not shown. */
    if (audit_record(r, "view", "user", u.public_id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    confirm_model(r, k, &u, u.id == r->user->id);
    return E_OK;
}

enum err users_disable_page(struct req *r)
{
    return confirm_page(r, 0);
}

enum err users_reset_page(struct req *r)
{
    return confirm_page(r, 1);
}

/* The change goes ahead only with its box ticked; otherwise the confirmation page again, the
 * problem by the box (422), audited as invalid. */
static enum err confirmed(struct req *r, size_t k, const struct staff_user *u)
{
    struct form f;
    json_t *m;
    char why[640];

    if (req_form(r, "confirm") && !strcmp(req_form(r, "confirm"), "yes"))
        return E_OK;
    m = confirm_model(r, k, u, u->id == r->user->id);
    form_init(&f, r, m);
    snprintf(why, sizeof(why), "Tick \"%s\" to go ahead, or go back to the users.",
             json_string_value(json_object_get(m, "confirm_label")));
    form_problem(&f, "confirm", why);
    audit_record(r, confirms[k].action, "user", u->public_id, audit_outcome(E_INVALID));
    return E_INVALID;
}

static enum err set_disabled(struct req *r, bool off)
{
    const char *action = off ? "disable" : "enable";
    struct staff_user u;
    enum err e;

    if ((e = target(r, &u)) != E_OK)
        return e;
    if (off && u.id == r->user->id)
        return refused(r, action, &u, "You cannot disable your own account.");
    if (off && (e = confirmed(r, 0, &u)) != E_OK)
        return e;
    if (store_user_set_disabled(r->store, u.id, off, audit_entry(r, action, "user",
                                                                  u.public_id)) != E_OK)
        return failed(r, action, &u, "We could not change the account. Please try again.");
    log_info("user %ld %s by user %ld", u.id, off ? "disabled" : "enabled", r->user->id);
    resp_redirect(r, 303, off ? "/staff/users?done=disabled" : "/staff/users?done=enabled");
    return E_OK;
}

enum err users_disable(struct req *r)
{
    return set_disabled(r, true);
}

enum err users_enable(struct req *r)
{
    return set_disabled(r, false);
}

/* A lost phone: the person signs in with the password alone and enrols again. */
enum err users_totp_reset(struct req *r)
{
    struct staff_user u;
    enum err e;

    if ((e = target(r, &u)) != E_OK)
        return e;
    if (!u.totp_enabled && !u.totp_secret[0])
        return refused(r, "reset-2fa", &u, "Two-step sign-in is already off for that account.");
    if (store_user_totp_off(r->store, u.id, audit_entry(r, "reset-2fa", "user", u.public_id)) !=
        E_OK)
        return failed(r, "reset-2fa", &u,
                      "We could not turn off two-step sign-in. Please try again.");
    log_info("user %ld: two-step sign-in turned off by user %ld", u.id, r->user->id);
    if (u.id == r->user->id) {
        /* Every session of the user ended, this one too. */
        session_end(r);
        resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
        return E_OK;
    }
    resp_redirect(r, 303, "/staff/users?done=totp");
    return E_OK;
}

/* After resetting one's own password: signed out, so the public sign-in page, with the
 * one-time link that sets the new password (shown once, here; no one else has it). */
static enum err self_reset_page(struct req *r, const char *email, const char *link)
{
    json_t *m;

    session_end(r);
    r->user = NULL;
    m = req_model(r, signin_page(r, email, NULL));
    json_object_set_new(m, "reset_link", json_string(link));
    json_object_set_new(m, "notice",
                        json_string("Your password is reset and you are signed out everywhere. "
                                    "Set a new password with the one-time link below (it works "
                                    "once, for 24 hours), then sign in with it."));
    r->view = "account/sign_in";
    return E_OK;
}

enum err users_reset(struct req *r)
{
    char link[PASSWORD_LINK_MAX];
    struct staff_user u;
    enum err e;

    if ((e = target(r, &u)) != E_OK)
        return e;
    if ((e = confirmed(r, 1, &u)) != E_OK)
        return e;
    /* The old password stops working now; the link sets a new one. The entry names the
     * administrator (who) and the account reset (record id): the administrator sees a link
     * that could act as that person. */
    if (store_user_reset(r->store, u.id, audit_entry(r, "reset", "user", u.public_id)) != E_OK)
        return failed(r, "reset", &u, "We could not reset the password. Please try again.");
    if (password_link_new(r->store, u.id, link, sizeof(link)) < 0) {
        r->message = "The password is reset, but we could not make the link to set a new one. "
                     "Use \"New password link\" again.";
        return E_DB;
    }
    log_info("user %ld reset by user %ld", u.id, r->user->id);
    if (u.id == r->user->id)
        return self_reset_page(r, u.email, link);
    if ((e = users_page(r, hand_over, E_OK)) != E_OK)
        return e;
    json_object_set_new(r->model, "link", json_string(link));
    json_object_set_new(r->model, "link_for", json_string(u.name));
    return E_OK;
}

enum err users_roles(struct req *r)
{
    struct staff_user u;
    const char *csrf = NULL;
    unsigned roles;
    bool bad, self;
    enum err e;

    if ((e = target(r, &u)) != E_OK)
        return e;
    self = u.id == r->user->id;
    roles = users_form_roles(r, &bad);
    if (!roles || bad)
        return refused(r, "update", &u, "Choose at least one role.");
    if (self && !(roles & ROLE_ADMIN))
        return refused(r, "update", &u,
                       "You cannot remove your own admin role; ask another administrator.");
    /* Privileges changed: every session of the user ends; one's own gets a new token. */
    if (store_user_set_roles(r->store, u.id, roles, 0,
                             audit_entry(r, "update", "user", u.public_id)) != E_OK)
        return failed(r, "update", &u, "We could not change the roles. Please try again.");
    if (self && session_start(r, u.id, false, &csrf) < 0) {
        r->message = "The roles are changed, but we could not renew your session. Please sign "
                     "in again.";
        return E_DB;
    }
    log_info("user %ld roles changed by user %ld", u.id, r->user->id);
    resp_redirect(r, 303, "/staff/users?done=roles");
    return E_OK;
}
