/* staff_auth: staff sessions. The cookie carries a 256-bit random token; the store keeps only
 * its SHA-256, so a copy of the database opens no session. Every staff response is no-store.
 * Also the key that seals second-factor secrets at rest (loaded once, before threads). */
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
#include "web/audit.h"
#include "web/page.h"
#include "web/app.h"

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

/* The audit entry of a request the route table turned away: the record type and public id
 * come from the path ("/staff/referrals/ID/..." -> "referral", ID), else "page". */
static void audit_denied(struct req *r)
{
    static const struct {
        const char *segment;
        const char *type;
    } kinds[] = {
        {"referrals", "referral"}, {"patients", "patient"}, {"users", "user"}, {"audit", "audit"},
    };
    const char *p = r->path, *type = "page", *id = NULL;
    size_t n, m;

    if (strncmp(p, "/staff/", 7) == 0)
        p += 7;
    else if (strncmp(p, "/api/v1/", 8) == 0)
        p += 8;
    else
        p = "";
    n = strcspn(p, "/");
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strlen(kinds[i].segment) == n && strncmp(p, kinds[i].segment, n) == 0)
            type = kinds[i].type;
    if (strcmp(type, "page") != 0 && p[n] == '/') {
        const char *rest = p + n + 1;
        m = strcspn(rest, "/");
        /* Only what could be a public id goes into the trail, never arbitrary text. */
        if (m > 0 && m <= 64 &&
            strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") >= m)
            id = arena_strndup(r->arena, rest, m);
    }
    audit_record(r, strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 ? "view"
                                                                                     : "update",
                 type, id, "denied");
}

/* Signed in, but none of the route's roles: the staff frame (so the way on and the sign-out
 * button stay in reach) around a plain explanation. */
static void forbidden_page(struct req *r)
{
    json_t *m = staff_page_model(r, "No access to this page");

    json_object_set_new(m, "status", json_integer(403));
    page_render(r, 403, "layout/forbidden", m);
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
        audit_denied(r);
        if (is_api(r))
            resp_json_error(r, 403, "Your role does not give access to this.", NULL);
        else
            forbidden_page(r);
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
        if (router_match_tables(r->app->routes, "GET", nav_links[i].href, &route, &allow) !=
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

/* ---- the key that seals second-factor secrets ------------------------------------------ */

#define KEY_CHECK_SETTING "secret_key_check"
#define KEY_CHECK_TEXT "haven secret key check v1"

/* Written once by staff_secrets_init before any thread starts; only read afterwards. */
static unsigned char secret_key[TOTP_KEY_BYTES];
static bool secret_key_loaded;

void staff_secrets_forget(void)
{
    sodium_memzero(secret_key, sizeof(secret_key));
    secret_key_loaded = false;
}

/* A keyed hash that names the key without revealing it: 64 hex digits. */
static void key_check(const unsigned char key[TOTP_KEY_BYTES], char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)KEY_CHECK_TEXT,
                       sizeof(KEY_CHECK_TEXT) - 1, key, TOTP_KEY_BYTES);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* Seals the secrets the first release stored in the clear; the number sealed, or -1. */
static long seal_plain_rows(struct store *s)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    char hex[41], sealed[TOTP_SEALED_LEN + 1];
    long id = 0, n = 0;
    size_t len;
    enum err e;

    while ((e = store_totp_plain_next(s, id, &id, hex)) == E_OK) {
        len = 0;
        if (!totp_is_plain(hex) || sodium_hex2bin(secret, sizeof(secret), hex, strlen(hex), NULL,
                                                  &len, NULL) != 0 || len != sizeof(secret)) {
            log_warn("user %ld: second-factor secret unreadable, left as it is", id);
            continue;
        }
        if (totp_seal(secret_key, secret, sealed) < 0 ||
            store_totp_reseal(s, id, hex, sealed) != E_OK)
            n = -1;
        else if (n >= 0)
            n++;
        sodium_memzero(secret, sizeof(secret));
        sodium_memzero(hex, sizeof(hex));
        if (n < 0)
            break;
    }
    return e == E_NOTFOUND ? n : -1;
}

int staff_secrets_init(struct store *s, const char *db_path)
{
    const char *env = getenv("HAVEN_SECRET_KEY_FILE");
    char path[4096], want[65], have[65] = "";
    bool known, created = false;
    enum err e;
    long n;

    if (env && *env)
        snprintf(path, sizeof(path), "%s", env);
    else if (db_path && *db_path && strlen(db_path) + 5 < sizeof(path))
        snprintf(path, sizeof(path), "%s.key", db_path);
    else {
        log_error("no secret key file: set HAVEN_SECRET_KEY_FILE");
        return -1;
    }
    e = store_setting_get(s, KEY_CHECK_SETTING, have, sizeof(have));
    if (e != E_OK && e != E_NOTFOUND)
        return -1;
    known = e == E_OK;
    /* A database that has had a key never gets a new one by accident: its secrets would be
     * lost. */
    if (totp_key_file(path, !known, secret_key, &created) < 0) {
        if (known)
            log_error("this database's second-factor secrets need the key file %s", path);
        staff_secrets_forget();
        return -1;
    }
    key_check(secret_key, want);
    if (known && (strlen(have) != 64 || sodium_memcmp(have, want, 64) != 0)) {
        log_error("the secret key file %s is not the one this database was used with", path);
        staff_secrets_forget();
        return -1;
    }
    if (!known && store_setting_set(s, KEY_CHECK_SETTING, want) != E_OK) {
        staff_secrets_forget();
        return -1;
    }
    secret_key_loaded = true;
    if (created)
        log_info("created the secret key file %s (back it up, but not together with "
                 "the database's backups)", path);
    if ((n = seal_plain_rows(s)) < 0) {
        log_error("cannot seal the second-factor secrets stored in the clear");
        staff_secrets_forget();
        return -1;
    }
    if (n > 0)
        log_info("sealed %ld second-factor secrets stored in the clear", n);
    return 0;
}

int staff_totp_seal(const unsigned char secret[TOTP_SECRET_BYTES],
                    char out[TOTP_SEALED_LEN + 1])
{
    if (!secret_key_loaded) {
        log_error("no secret key loaded: cannot seal a second-factor secret");
        return -1;
    }
    return totp_seal(secret_key, secret, out);
}

int staff_totp_open(struct store *s, const struct staff_user *u,
                    unsigned char secret[TOTP_SECRET_BYTES])
{
    char sealed[TOTP_SEALED_LEN + 1];
    size_t len = 0;

    sodium_memzero(secret, TOTP_SECRET_BYTES);
    if (!u->totp_secret[0])
        return -1;
    if (!secret_key_loaded) {
        log_error("no secret key loaded: cannot open user %ld's second-factor secret", u->id);
        return -1;
    }
    if (totp_is_sealed(u->totp_secret)) {
        if (totp_open(secret_key, u->totp_secret, secret) == 0)
            return 0;
        log_error("user %ld's second-factor secret does not open with this key", u->id);
        return -1;
    }
    /* Stored in the clear (before migration 0005) and missed at start-up: seal it now. */
    if (!totp_is_plain(u->totp_secret) ||
        sodium_hex2bin(secret, TOTP_SECRET_BYTES, u->totp_secret, strlen(u->totp_secret), NULL,
                       &len, NULL) != 0 ||
        len != TOTP_SECRET_BYTES) {
        sodium_memzero(secret, TOTP_SECRET_BYTES);
        log_error("user %ld's second-factor secret is malformed", u->id);
        return -1;
    }
    if (totp_seal(secret_key, secret, sealed) == 0 &&
        store_totp_reseal(s, u->id, u->totp_secret, sealed) == E_OK)
        log_info("user %ld's second-factor secret sealed", u->id);
    return 0;
}
