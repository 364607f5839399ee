/* csrf: see csrf.h. SameSite=Strict keeps the cookie off cross-site posts; the equality check
 * stops a forged form even where SameSite is not honoured. */
#include "http/csrf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/rand.h"
#include "http/resp.h"

#define TOKEN_HEX 64

static bool cookie_secure; /* set once at start-up */

void csrf_set_secure(bool secure)
{
    cookie_secure = secure;
}

static bool well_formed(const char *t)
{
    if (!t || strlen(t) != TOKEN_HEX)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

const char *csrf_token(struct req *r)
{
    const char *have = req_cookie(r, CSRF_COOKIE);
    char *token, *cookie;
    size_t n;

    if (well_formed(have))
        return have;
    token = arena_alloc(r->arena, TOKEN_HEX + 1);
    rand_hex(token, TOKEN_HEX / 2);
    n = sizeof(CSRF_COOKIE) + TOKEN_HEX + 64;
    cookie = arena_alloc(r->arena, n);
    snprintf(cookie, n, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", CSRF_COOKIE, token,
             cookie_secure ? "; Secure" : "");
    resp_header(r, "Set-Cookie", cookie);
    return token;
}

static bool origin_ok(struct req *r)
{
    const char *origin = req_header(r, "Origin"), *host = req_header(r, "Host"), *p;
    const char *site = req_header(r, "Sec-Fetch-Site");

    if (site && strcmp(site, "cross-site") == 0)
        return false;
    /* Absent from older browsers; "null" is what browsers send under Referrer-Policy:
     * no-referrer (ours). The token comparison still protects both cases. */
    if (!origin || strcmp(origin, "null") == 0)
        return true;
    if (!host)
        return false;
    p = strstr(origin, "://");
    return p && strcmp(p + 3, host) == 0;
}

bool csrf_check(struct req *r)
{
    const char *cookie = req_cookie(r, CSRF_COOKIE), *field = req_form(r, "csrf");

    if (!well_formed(cookie) || !well_formed(field))
        return false;
    return sodium_memcmp(cookie, field, TOKEN_HEX) == 0 && origin_ok(r);
}
