/* staff_auth: staff sessions. The cookie carries a 256-bit random token; the store keeps only
 * its SHA-256, so a copy of the database opens no session. Every staff response is no-store. */
#include "web/staff_auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/password.h"
#include "domain/roles.h"
#include "http/resp.h"
#include "web/page.h"
#include "web/routes.h"

static bool is_api(const struct req *r)
{
    return strncmp(r->path, "/api/", 5) == 0;
}

void staff_token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

void staff_token_new(char out[65])
{
    rand_hex(out, 32);
}

int staff_password_hash(const char *password, char out[STAFF_PWHASH_MAX])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static char dummy_hash[STAFF_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    char pw[33];

    rand_hex(pw, 16);
    if (staff_password_hash(pw, dummy_hash) < 0)
        dummy_hash[0] = '\0';
}

bool staff_password_verify(const char *hash, const char *password)
{
    if (!password)
        password = "";
    if (!hash || !*hash) {
        pthread_once(&dummy_once, dummy_init);
        if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            return false;
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void staff_roles_text(unsigned roles, char *out, size_t size)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < roles_count() && len < size; i++)
        if (roles & roles_at(i))
            len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "",
                                    roles_name(roles_at(i)));
}

void staff_set_principal(struct req *r, const struct staff_user *u,
                         const struct staff_session *ss, long now)
{
    struct principal *p = arena_alloc(r->arena, sizeof(*p));
    long left = 0;

    p->id = u->id;
    p->public_id = arena_strdup(r->arena, u->public_id);
    p->email = arena_strdup(r->arena, u->email);
    p->name = arena_strdup(r->arena, u->name);
    p->roles = u->roles;
    p->csrf = ss ? arena_strdup(r->arena, ss->csrf) : "";
    if (ss) {
        p->session_age = now - ss->created;
        password_session_state(now, ss->created, now, &left);
    }
    p->idle_left = left;
    r->user = p;
}

static void set_cookie(struct req *r, const char *token)
{
    const char *secure = getenv("HAVEN_COOKIE_SECURE");
    size_t n = 160;
    char *c = arena_alloc(r->arena, n);

    if (token)
        snprintf(c, n, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", STAFF_COOKIE, token,
                 secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    else
        snprintf(c, n, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", STAFF_COOKIE,
                 secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    resp_header(r, "Set-Cookie", c);
}

static bool well_formed(const char *t)
{
    return t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

bool staff_session_of(struct req *r, struct staff_session *out)
{
    const char *token = req_cookie(r, STAFF_COOKIE);
    char hash[65];

    if (!well_formed(token))
        return false;
    staff_token_hash(token, hash);
    return store_session_get(r->store, hash, out) == E_OK;
}

int staff_session_start(struct req *r, long user_id, bool mfa_pending, const char **csrf)
{
    struct staff_session old;
    char token[65], hash[65], *tok_csrf = arena_alloc(r->arena, 65);
    long id;

    if (staff_session_of(r, &old))
        store_session_delete(r->store, old.id);
    staff_token_new(token);
    staff_token_hash(token, hash);
    rand_hex(tok_csrf, 32);
    if (store_session_add(r->store, user_id, hash, tok_csrf, mfa_pending, r->client,
                          (long)time(NULL), &id) != E_OK) {
        sodium_memzero(token, sizeof(token));
        return -1;
    }
    set_cookie(r, token);
    sodium_memzero(token, sizeof(token));
    if (csrf)
        *csrf = tok_csrf;
    log_info("session %ld started for user %ld%s", id, user_id, mfa_pending ? " (second factor pending)" : "");
    return 0;
}

void staff_session_end(struct req *r)
{
    struct staff_session ss;

    if (staff_session_of(r, &ss))
        store_session_delete(r->store, ss.id);
    set_cookie(r, NULL);
}

bool staff_totp_required(struct req *r, const struct staff_user *u)
{
    char v[8];

    if (u->totp_enabled)
        return false;
    return store_setting_get(r->store, "require_totp", v, sizeof(v)) == E_OK &&
           strcmp(v, "1") == 0;
}

static int anonymous(struct req *r, bool expired)
{
    if (is_api(r))
        resp_json_error(r, 401, "Sign in first.", NULL);
    else
        resp_redirect(r, 303, expired ? "/staff/sign-in?expired=1" : "/staff/sign-in");
    return 0;
}

/* While enrolment is forced, only these answer; everything else leads to the enrolment page. */
static bool enrolment_route(const struct req *r)
{
    static const char *const open[] = {"/staff/account/totp", "/staff/sign-out",
                                       "/staff/sign-out-everywhere", "/staff/keep-alive",
                                       "/api/v1/me"};
    for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
        if (strcmp(r->path, open[i]) == 0)
            return true;
    return false;
}

int staff_authorize(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;
    long now = (long)time(NULL);
    enum session_state st;

    r->no_store = true;
    if (!staff_session_of(r, &ss))
        return anonymous(r, false);
    st = password_session_state(now, ss.created, ss.last_seen, NULL);
    if (st == SESSION_IDLE_EXPIRED || st == SESSION_TOO_OLD) {
        log_info("session %ld ended: %s", ss.id, st == SESSION_TOO_OLD ? "12 h limit" : "idle");
        staff_session_end(r);
        return anonymous(r, true);
    }
    if (store_user_get(r->store, STAFF_BY_ID, ss.user_id, NULL, &u) != E_OK || u.disabled) {
        staff_session_end(r);
        return anonymous(r, false);
    }
    if (ss.mfa_pending) {
        /* Half signed in: the second-factor page is the only place to go. */
        if (is_api(r))
            resp_json_error(r, 401, "Finish signing in first.", NULL);
        else
            resp_redirect(r, 303, "/staff/sign-in/code");
        return 0;
    }
    store_session_touch(r->store, ss.id, now);
    ss.last_seen = now;
    staff_set_principal(r, &u, &ss, now);
    if (!(u.roles & r->route->roles)) {
        log_info("user %ld denied %s %s", u.id, r->method, r->route->pattern);
        if (is_api(r))
            resp_json_error(r, 403, "Your role does not give access to this.", NULL);
        else
            page_error(r, 403, "Your role does not give access to this page. If you need it, "
                               "ask an administrator.");
        r->no_store = true;
        return 0;
    }
    if (staff_totp_required(r, &u) && !enrolment_route(r)) {
        if (is_api(r))
            resp_json_error(r, 403, "Set up two-step sign-in first.", NULL);
        else
            resp_redirect(r, 303, "/staff/account/totp");
        return 0;
    }
    return 1;
}

bool staff_csrf_ok(struct req *r)
{
    const char *field = req_form(r, "csrf");

    if (!r->user || !r->user->csrf || strlen(r->user->csrf) != 64 || !field ||
        strlen(field) != 64)
        return false;
    return sodium_memcmp(r->user->csrf, field, 64) == 0;
}

/* The workspace's main screens; each is shown only when the route table lets the user in. */
static const struct {
    const char *href;
    const char *label;
} nav_links[] = {
    {"/staff/", "Home"},
    {"/staff/queue", "Admissions queue"},
    {"/staff/patients", "Patients"},
    {"/staff/audit", "Audit trail"},
    {"/staff/users", "Users"},
};

json_t *staff_page_model(struct req *r, const char *title)
{
    const struct principal *p = r->user;
    json_t *nav = json_array(), *roles = json_array();
    char text[128];

    for (size_t i = 0; p && i < sizeof(nav_links) / sizeof(nav_links[0]); i++) {
        const struct route *route;
        const char *allow;
        if (router_match_tables(route_tables, "GET", nav_links[i].href, &route, &allow) !=
                ROUTE_FOUND ||
            !(route->roles & p->roles))
            continue;
        json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", nav_links[i].href,
                                             "label", nav_links[i].label, "current",
                                             strcmp(r->path, nav_links[i].href) == 0));
    }
    for (size_t i = 0; p && i < roles_count(); i++)
        if (p->roles & roles_at(i))
            json_array_append_new(roles, json_string(roles_name(roles_at(i))));
    staff_roles_text(p ? p->roles : 0, text, sizeof(text));
    r->no_store = true;
    return json_pack("{s:b, s:s, s:s, s:{s:s, s:s, s:s, s:o, s:s}, s:o, s:i, s:i}", "staff", 1,
                     "title", title, "csrf", p ? p->csrf : "", "user", "name", p ? p->name : "",
                     "email", p ? p->email : "", "public_id", p ? p->public_id : "", "roles",
                     roles, "roles_text", text, "nav", nav, "idle_seconds", SESSION_IDLE_SECONDS,
                     "warn_seconds", SESSION_WARN_SECONDS);
}
