/* session: staff sessions. The cookie carries a 256-bit random token; the store keeps only its
 * SHA-256, so a copy of the database opens no session. A new session at every sign-in step, so
 * a token seen before sign-in never becomes a signed-in one. */
#include "web/session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "http/resp.h"

void session_token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

void session_token_new(char out[65])
{
    rand_hex(out, 32);
}

static void set_cookie(struct req *r, const char *token)
{
    const char *secure = getenv("HAVEN_COOKIE_SECURE");
    size_t n = 160;
    char *c = arena_alloc(r->arena, n);

    if (token)
        snprintf(c, n, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", SESSION_COOKIE, token,
                 secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    else
        snprintf(c, n, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", SESSION_COOKIE,
                 secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    resp_header(r, "Set-Cookie", c);
}

static bool well_formed(const char *t)
{
    return t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

bool session_of(struct req *r, struct staff_session *out)
{
    const char *token = req_cookie(r, SESSION_COOKIE);
    char hash[65];

    if (!well_formed(token))
        return false;
    session_token_hash(token, hash);
    return store_session_get(r->store, hash, out) == E_OK;
}

int session_start(struct req *r, long user_id, bool mfa_pending, const char **csrf)
{
    struct staff_session old;
    char token[65], hash[65], *tok_csrf = arena_alloc(r->arena, 65);
    long id;

    if (session_of(r, &old))
        store_session_delete(r->store, old.id);
    session_token_new(token);
    session_token_hash(token, hash);
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
    log_info("session %ld started for user %ld%s", id, user_id,
             mfa_pending ? " (second factor pending)" : "");
    return 0;
}

void session_end(struct req *r)
{
    struct staff_session ss;

    if (session_of(r, &ss))
        store_session_delete(r->store, ss.id);
    set_cookie(r, NULL);
}
