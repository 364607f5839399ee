/* set_password: a staff member sets their password from a one-time link (made by
 * password_link.c for a new account or a reset). The link works once, for 24 hours; the
 * password must pass the rules of domain/password.h and be typed twice. Setting it ends the
 * account's sessions (store_token_use), and the person then signs in with it. */
#include "modules/account/account.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/password.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/session.h"

static const char gone[] = "This link has expired or was used already. Ask an administrator "
                           "for a new one (links work once, for 24 hours).";
static const char not_saved[] = "We could not save your password. Please try again in a minute.";

static bool token_ok(const char *t)
{
    return t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

/* The answer for a link that cannot be used: 404 when there never was such a link, else 410
 * (used, expired, or unreadable just now). */
static enum err link_gone(struct req *r, enum err e)
{
    r->message = gone;
    return e == E_NOTFOUND ? E_NOTFOUND : E_GONE;
}

/* The user of the link whose token is token; E_NOTFOUND or the store's error when none. */
static enum err link_user(struct req *r, const char *token, long now, char hash[65],
                          struct staff_user *u)
{
    long user_id;
    enum err e;

    if (!token_ok(token))
        return E_NOTFOUND;
    session_token_hash(token, hash);
    if ((e = store_token_find(r->store, hash, now, &user_id)) != E_OK)
        return e;
    return store_user_get(r->store, STAFF_BY_ID, user_id, NULL, u) == E_OK ? E_OK : E_NOTFOUND;
}

static json_t *set_password_page(struct req *r, const char *token, const char *email)
{
    json_t *m = signin_public_model(r, "Set your password");

    json_object_set_new(m, "token", json_string(token));
    json_object_set_new(m, "email", json_string(email));
    return m;
}

enum err set_password_form(struct req *r)
{
    const char *token = req_query(r, "token");
    char hash[65];
    struct staff_user u;
    enum err e;

    if ((e = link_user(r, token, (long)time(NULL), hash, &u)) != E_OK)
        return link_gone(r, e);
    req_model(r, set_password_page(r, token, u.email));
    return E_OK;
}

enum err set_password_post(struct req *r)
{
    const char *token = req_form(r, "token"), *pw = req_form(r, "password");
    const char *confirm = req_form(r, "confirm");
    char hash[65], pwhash[PASSWORD_HASH_MAX];
    struct staff_user u;
    long user_id, now = (long)time(NULL);
    enum password_problem p;
    struct form f;
    enum err e;

    if ((e = link_user(r, token, now, hash, &u)) != E_OK)
        return link_gone(r, e);
    /* The passwords themselves never go back into the page. */
    form_init(&f, r, req_model(r, set_password_page(r, token, u.email)));
    if ((p = password_check(pw, u.email)) != PASSWORD_OK)
        form_problem(&f, "password", password_message(p));
    else if (!confirm || strcmp(pw, confirm) != 0)
        form_problem(&f, "confirm", "The two passwords are not the same.");
    if (f.problems)
        return E_INVALID;
    r->model = NULL;
    if (password_hash(pw, pwhash) < 0) {
        r->message = not_saved;
        return E_DB;
    }
    /* The entry names the member as its author, and lands with the password or not at all. */
    auth_set_principal(r, &u, NULL, now);
    e = store_token_use(r->store, hash, now, pwhash, &user_id,
                        audit_entry(r, "set-password", "user", u.public_id));
    r->user = NULL;
    sodium_memzero(pwhash, sizeof(pwhash));
    if (e == E_DB) {
        r->message = not_saved;
        return E_DB;
    }
    if (e != E_OK)
        return link_gone(r, e);
    log_info("user %ld set a password", u.id);
    resp_redirect(r, 303, "/staff/sign-in?password=set");
    return E_OK;
}
