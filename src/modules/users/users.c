/* web_users: the staff home screen, second-factor enrolment and new recovery codes, the
 * administrators' Users screen (add, disable, reset, roles, turning a lost second factor off,
 * the require-2FA setting) and GET /api/v1/me. Every change of a user record is audited and
 * lands in one transaction. */
#include "modules/users/users.h"

#include "modules/account/account.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/contact.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/qr_svg.h"
#include "core/rand.h"
#include "core/str.h"
#include "core/totp.h"
#include "domain/password.h"
#include "domain/roles.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "store/store_staff.h"
#include "web/audit.h"
#include "web/view.h"
#include "domain/roles.h"
#include "web/auth.h"
#include "web/secrets.h"
#include "web/session.h"
#include "web/view.h"

#define LINK_MAX 512

static const char expired_form[] =
    "This form had expired. Please reload the page and try again.";

static json_t *role_list(unsigned roles)
{
    json_t *a = json_array();

    for (size_t i = 0; i < roles_count(); i++)
        if (roles & roles_at(i))
            json_array_append_new(a, json_string(roles_name(roles_at(i))));
    return a;
}

/* ---- users ---------------------------------------------------------------------------- */

/* The roles ticked on a form ("role" repeated, or comma-separated); *bad gets 1 on an unknown
 * name. */
static unsigned form_roles(const struct req *r, bool *bad)
{
    unsigned roles = 0;

    *bad = false;
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *v = r->fields[i].value;
        if (strcmp(r->fields[i].name, "role") != 0)
            continue;
        while (*v) {
            char name[32];
            size_t n = strcspn(v, ",");
            unsigned bit = 0;
            if (n && n < sizeof(name)) {
                memcpy(name, v, n);
                name[n] = '\0';
                bit = roles_parse(name);
            }
            if (!bit)
                *bad = true;
            roles |= bit;
            v += n + (v[n] == ',');
        }
    }
    return roles;
}

/* Form input to show again as typed, as valid UTF-8 (arena): each byte that is not part of a
 * well-formed sequence becomes U+FFFD, so that a page can always hold it. */
static const char *shown(struct req *r, const char *v)
{
    if (!v)
        return "";
    return utf8_repair(v, arena_alloc(r->arena, strlen(v) * 3 + 1));
}

static void users_page(struct req *r, int status, json_t *form, const char *link,
                       const char *link_for, const char *notice)
{
    json_t *m, *users = NULL, *u, *roles;
    char v[8] = "0";
    size_t i;

    /* Only for a signed-in administrator: never list the accounts to anyone else. */
    if (!r->user) {
        json_decref(form);
        r->no_store = true;
        resp_redirect(r, 303, "/staff/sign-in");
        return;
    }
    m = view_staff_model(r, "Users");
    /* One "list" entry per account shown, with the read: no entries, no list. */
    {
        struct audit_entry e;
        audit_entry_of(r, &e, "list", "user", NULL, "ok");
        if (store_user_list_audited(r->store, &users, &e) != E_OK) {
            json_decref(m);
            json_decref(form);
            view_error(r, 500, "We could not show the users, because the audit trail could not "
                               "record the viewing. Please try again.");
            return;
        }
    }
    json_array_foreach(users, i, u) {
        unsigned bits = (unsigned)json_integer_value(json_object_get(u, "roles"));
        char text[128];
        json_t *checks = json_array();
        roles_text(bits, text, sizeof(text));
        json_object_set_new(u, "roles_text", json_string(text));
        for (size_t k = 0; k < roles_count(); k++)
            json_array_append_new(checks, json_pack("{s:s, s:b}", "name",
                                                    roles_name(roles_at(k)), "checked",
                                                    (bits & roles_at(k)) != 0));
        json_object_set_new(u, "role_checks", checks);
        json_object_set_new(u, "self", json_boolean(strcmp(json_string_value(json_object_get(
                                                               u, "public_id")),
                                                           r->user->public_id) == 0));
    }
    json_object_set_new(m, "users", users);
    roles = json_array();
    for (size_t k = 0; k < roles_count(); k++) {
        bool on = false;
        json_t *sel = form ? json_object_get(form, "roles") : NULL;
        size_t j;
        json_t *x;
        json_array_foreach(sel, j, x) if (strcmp(json_string_value(x), roles_name(roles_at(k))) == 0) on = true;
        json_array_append_new(roles, json_pack("{s:s, s:b}", "name", roles_name(roles_at(k)),
                                               "checked", on));
    }
    json_object_set_new(m, "role_options", roles);
    if (form)
        json_object_set_new(m, "form", form);
    if (link) {
        json_object_set_new(m, "link", json_string(link));
        json_object_set_new(m, "link_for", json_string(link_for ? link_for : ""));
    }
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    store_setting_get(r->store, "require_totp", v, sizeof(v));
    json_object_set_new(m, "require_totp", json_boolean(strcmp(v, "1") == 0));
    view_render(r, status, "users/users", m);
}

enum err web_users(struct req *r)
{
    const char *done = req_query(r, "done");
    const char *notice = NULL;

    if (done && strcmp(done, "disabled") == 0)
        notice = "The account is disabled and its sessions have ended.";
    else if (done && strcmp(done, "enabled") == 0)
        notice = "The account is enabled again.";
    else if (done && strcmp(done, "roles") == 0)
        notice = "The roles are changed; the user signs in again to use them.";
    else if (done && strcmp(done, "settings") == 0)
        notice = "The setting is saved.";
    else if (done && strcmp(done, "totp") == 0)
        notice = "Two-step sign-in is off for the account and its sessions have ended. The "
                 "person signs in with their password and can set it up again.";
    users_page(r, 200, NULL, NULL, NULL, notice);
    return E_OK;
}

enum err web_users_add(struct req *r)
{
    const char *email = req_form(r, "email"), *name = req_form(r, "name");
    const char *email_problem = contact_email_problem(email), *name_problem = contact_name_problem(name);
    char public_id[33], link[LINK_MAX];
    struct audit_entry ae;
    json_t *form;
    unsigned roles;
    bool bad_role, errors = false;
    long id;
    enum err e;

    if (!auth_csrf_ok(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    roles = form_roles(r, &bad_role);
    form = json_pack("{s:s, s:s, s:o}", "email", shown(r, email), "name", shown(r, name),
                     "roles", role_list(roles));
    if (email_problem) {
        json_object_set_new(form, "email_error", json_string(email_problem));
        errors = true;
    }
    if (name_problem) {
        json_object_set_new(form, "name_error", json_string(name_problem));
        errors = true;
    }
    if (!roles || bad_role) {
        json_object_set_new(form, "role_error", json_string("Choose at least one role."));
        errors = true;
    }
    if (!errors) {
        /* The entry's record id is the new account's, set inside the transaction. */
        audit_entry_of(r, &ae, "create", "user", NULL, "ok");
        e = store_user_add_audited(r->store, email, name, roles, (long)time(NULL), public_id, &id,
                                   &ae);
        if (e == E_CONFLICT) {
            json_object_set_new(form, "email_error",
                                json_string("There is already an account with this e-mail."));
            errors = true;
        } else if (e != E_OK) {
            json_decref(form);
            audit_record(r, "create", "user", NULL, "error");
            view_error(r, 500, "We could not add the user. Please try again.");
            return E_OK;
        } else if (password_link_new(r->store, id, link, sizeof(link)) < 0) {
            json_decref(form);
            view_error(r, 500, "The user is added, but we could not make the link to set their "
                               "password. Use \"New password link\" on the Users page.");
            return E_OK;
        }
    }
    if (errors) {
        json_object_set_new(form, "has_errors", json_true());
        audit_record(r, "create", "user", NULL, "invalid");
        users_page(r, 422, form, NULL, NULL, NULL);
        return E_OK;
    }
    json_decref(form);
    log_info("user %ld added by user %ld", id, r->user->id);
    users_page(r, 201, NULL, link, name, NULL);
    return E_OK;
}

/* After resetting one's own password: signed out, so the public sign-in page, with the one-time
 * link that sets the new password (shown once, here; no one else has it). */
static void self_reset_page(struct req *r, const char *email, const char *link)
{
    json_t *m = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s}", "staff", 1, "title", "Staff sign-in",
                          "csrf", csrf_token(r), "email", email, "reset_link", link, "notice",
                          "Your password is reset and you are signed out everywhere. Set a new "
                          "password with the one-time link below (it works once, for 24 hours), "
                          "then sign in with it.");

    r->no_store = true;
    view_render(r, 200, "account/sign_in", m);
}

enum err web_users_action(struct req *r)
{
    const char *rest = r->path + strlen("/staff/users/"), *slash = strchr(rest, '/');
    char public_id[64], link[LINK_MAX];
    struct audit_entry ae;
    struct staff_user u;
    const char *action;
    bool self;

    if (!auth_csrf_ok(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    if (!slash || (size_t)(slash - rest) >= sizeof(public_id)) {
        view_error(r, 404, "There is no such user.");
        return E_OK;
    }
    memcpy(public_id, rest, (size_t)(slash - rest));
    public_id[slash - rest] = '\0';
    action = slash + 1;
    if (strcmp(action, "disable") && strcmp(action, "enable") && strcmp(action, "reset") &&
        strcmp(action, "roles") && strcmp(action, "totp-reset")) {
        view_error(r, 404, "There is no page at this address.");
        return E_OK;
    }
    if (store_user_get(r->store, STAFF_BY_PUBLIC_ID, 0, public_id, &u) != E_OK) {
        view_error(r, 404, "There is no such user.");
        return E_OK;
    }
    self = u.id == r->user->id;
    if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
        bool off = action[0] == 'd';
        if (self && off) {
            audit_record(r, "disable", "user", u.public_id, "invalid");
            users_page(r, 422, NULL, NULL, NULL, "You cannot disable your own account.");
            return E_OK;
        }
        audit_entry_of(r, &ae, off ? "disable" : "enable", "user", u.public_id, "ok");
        if (store_user_set_disabled(r->store, u.id, off, &ae) != E_OK) {
            audit_record(r, off ? "disable" : "enable", "user", u.public_id, "error");
            view_error(r, 500, "We could not change the account. Please try again.");
            return E_OK;
        }
        log_info("user %ld %s by user %ld", u.id, off ? "disabled" : "enabled", r->user->id);
        resp_redirect(r, 303, off ? "/staff/users?done=disabled" : "/staff/users?done=enabled");
    } else if (strcmp(action, "totp-reset") == 0) {
        /* A lost phone: the person signs in with the password alone and enrols again. */
        if (!u.totp_enabled && !u.totp_secret[0]) {
            audit_record(r, "reset-2fa", "user", u.public_id, "invalid");
            users_page(r, 422, NULL, NULL, NULL, "Two-step sign-in is already off for that "
                                                 "account.");
            return E_OK;
        }
        audit_entry_of(r, &ae, "reset-2fa", "user", u.public_id, "ok");
        if (store_user_totp_off(r->store, u.id, &ae) != E_OK) {
            audit_record(r, "reset-2fa", "user", u.public_id, "error");
            view_error(r, 500, "We could not turn off two-step sign-in. Please try again.");
            return E_OK;
        }
        log_info("user %ld: two-step sign-in turned off by user %ld", u.id, r->user->id);
        if (self) {
            /* Every session of the user ended, this one too. */
            session_end(r);
            resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
            return E_OK;
        }
        resp_redirect(r, 303, "/staff/users?done=totp");
    } else if (strcmp(action, "reset") == 0) {
        /* The old password stops working now; the link sets a new one. The entry names the
         * administrator (who) and the account reset (record id): the administrator sees a link
         * that could act as that person. */
        audit_entry_of(r, &ae, "reset", "user", u.public_id, "ok");
        if (store_user_reset(r->store, u.id, &ae) != E_OK) {
            audit_record(r, "reset", "user", u.public_id, "error");
            view_error(r, 500, "We could not reset the password. Please try again.");
            return E_OK;
        }
        if (password_link_new(r->store, u.id, link, sizeof(link)) < 0) {
            view_error(r, 500, "The password is reset, but we could not make the link to set a "
                               "new one. Use \"New password link\" again.");
            return E_OK;
        }
        log_info("user %ld reset by user %ld", u.id, r->user->id);
        if (self) {
            /* Resetting oneself ends one's own session too: the sign-in page, with the link. */
            session_end(r);
            r->user = NULL;
            self_reset_page(r, u.email, link);
            return E_OK;
        }
        users_page(r, 200, NULL, link, u.name,
                   "Only the person whose account this is may use this link. Whoever opens it "
                   "sets the password and can sign in as them, so hand it to that person "
                   "alone (in person, or by a channel only they read), never use it yourself, "
                   "and do not keep a copy. Its use is recorded in the audit trail under your "
                   "name.");
    } else {
        bool bad;
        unsigned roles = form_roles(r, &bad);
        const char *csrf = NULL;
        if (!roles || bad || (self && !(roles & ROLE_ADMIN))) {
            audit_record(r, "update", "user", u.public_id, "invalid");
            users_page(r, 422, NULL, NULL, NULL,
                       !roles || bad ? "Choose at least one role."
                                     : "You cannot remove your own admin role; ask another "
                                       "administrator.");
            return E_OK;
        }
        /* Privileges changed: every session of the user ends; one's own gets a new token. */
        audit_entry_of(r, &ae, "update", "user", u.public_id, "ok");
        if (store_user_set_roles(r->store, u.id, roles, 0, &ae) != E_OK) {
            audit_record(r, "update", "user", u.public_id, "error");
            view_error(r, 500, "We could not change the roles. Please try again.");
            return E_OK;
        }
        if (self && session_start(r, u.id, false, &csrf) < 0) {
            view_error(r, 500, "The roles are changed, but we could not renew your session. "
                               "Please sign in again.");
            return E_OK;
        }
        log_info("user %ld roles changed by user %ld", u.id, r->user->id);
        resp_redirect(r, 303, "/staff/users?done=roles");
    }
    return E_OK;
}

enum err web_settings(struct req *r)
{
    const char *v = req_form(r, "require_totp");
    struct audit_entry ae;

    if (!auth_csrf_ok(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    if (!v || (strcmp(v, "1") && strcmp(v, "0"))) {
        audit_record(r, "update", "settings", "require_totp", "invalid");
        users_page(r, 422, NULL, NULL, NULL, "Choose whether two-step sign-in is required.");
        return E_OK;
    }
    audit_entry_of(r, &ae, "update", "settings", "require_totp", "ok");
    if (store_setting_set_audited(r->store, "require_totp", v, &ae) != E_OK) {
        audit_record(r, "update", "settings", "require_totp", "error");
        view_error(r, 500, "We could not save the setting. Please try again.");
        return E_OK;
    }
    log_info("require_totp set to %s by user %ld", v, r->user->id);
    resp_redirect(r, 303, "/staff/users?done=settings");
    return E_OK;
}
