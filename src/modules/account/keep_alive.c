/* keep_alive: "Stay signed in" in the staff frame's idle warning (static/staff.js). Reaching
 * the handler is the renewal: auth_authorize has already moved the session's idle clock on.
 * The script reads JSON, but the row is not an API row: a request without a session is sent
 * to the sign-in page like any other staff address. */
#include "modules/account/account.h"

#include "domain/password.h"
#include "http/resp.h"
#include "http/status.h"

enum err keep_alive_post(struct req *r)
{
    json_t *m = json_pack("{s:i}", "idle_seconds", SESSION_IDLE_SECONDS);

    resp_json(r, status_of(E_OK), m);
    json_decref(m);
    return E_OK;
}
