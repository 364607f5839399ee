/* session: the staff session behind a request's cookie: find it, start a new one, end it. */
#ifndef HAVEN_SESSION_H
#define HAVEN_SESSION_H

#include <stdbool.h>

#include "http/req.h"
#include "store/staff.h"

#define SESSION_COOKIE "haven_session"

/* SHA-256 of a token's text, as 64 hex digits and a NUL. */
void session_token_hash(const char *token, char out[65]);
/* A new random token: 64 hex digits (256 bits) and a NUL. */
void session_token_new(char out[65]);
/* The request's session row (any state) from its cookie; false when there is none. */
bool session_of(struct req *r, struct staff_session *out);
/* Ends the session the request came with (if any) and starts a new one for user_id with a new
 * token and CSRF token, setting the cookie; *csrf (may be NULL) gets the CSRF token (arena).
 * 0, or -1 when the store failed. Used at sign-in, after the second factor and when the
 * user's privileges change. */
int session_start(struct req *r, long user_id, bool mfa_pending, const char **csrf);
/* Ends the request's session and clears the cookie. */
void session_end(struct req *r);

#endif
