/* staff_auth: who is signed in. Loads the staff session from its cookie for routes that name
 * roles, enforces the idle and absolute limits, and checks the route's roles. */
#ifndef HAVEN_STAFF_AUTH_H
#define HAVEN_STAFF_AUTH_H

#include <stdbool.h>

#include "http/req.h"

/* server_config.authorize: 1 = run the handler (r->user is set and holds one of the route's
 * roles); 0 = answered already: anonymous -> 303 to /staff/sign-in (HTML) or 401 JSON (API);
 * signed in without the role -> 403 page or 403 JSON. */
int staff_authorize(struct req *r);
/* True when the form's "csrf" field equals the session's token (constant time). */
bool staff_csrf_ok(struct req *r);

#endif
