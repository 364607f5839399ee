/* actions: an administrator's changes to one staff account, one address each: disable and
 * enable it, reset its password (a new one-time link), change its roles, turn off a lost
 * second factor. Each change and its audit entry land in one transaction (no entry, no
 * change); changes that take privileges away end the account's sessions. An administrator
 * may not lock themselves out: no disabling or un-admining oneself. */
#include "modules/users/users.h"

#include "core/log.h"
#include "domain/roles.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"
#include "web/session.h"

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

static enum err set_disabled(struct req *r, bool off)
{
    const char *action = off ? "disable" : "enable";
    struct staff_user u;
    enum err e;

    if ((e = target(r, &u)) != E_OK)
        return e;
    if (off && u.id == r->user->id)
        return refused(r, action, &u, "You cannot disable your own account.");
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
