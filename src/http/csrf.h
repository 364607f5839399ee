/* csrf: double-submit tokens for state-changing forms. The token is random (libsodium), kept in
 * an HttpOnly SameSite=Strict cookie and echoed in a hidden field; both must match. */
#ifndef HAVEN_CSRF_H
#define HAVEN_CSRF_H

#include <stdbool.h>

#include "http/req.h"

#define CSRF_COOKIE "haven_csrf"

/* Marks the cookie Secure (behind TLS); call once at start-up, before threads. */
void csrf_set_secure(bool secure);
/* The request's token: the cookie's when it is well-formed, else a new one (and a Set-Cookie
 * header on the response). Lives in the request's arena. */
const char *csrf_token(struct req *r);
/* True when the form's `csrf` field equals the cookie (constant time) and, when the browser sent
 * an Origin header, it names this host. */
bool csrf_check(struct req *r);

#endif
