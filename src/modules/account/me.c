/* me: GET /api/v1/me, "who am I" for scripts and the staff pages: the signed-in member's
 * account, roles, second factor, how long their session has left and its CSRF token (a page
 * whose forms carry an older one, after a sign-in in another tab, takes it from here; only a
 * same-origin script can read the answer). */
#include "modules/account/account.h"

#include "domain/roles.h"
#include "store/staff.h"
#include "web/principal.h"

static json_t *role_list(unsigned roles)
{
    json_t *a = json_array();

    for (size_t i = 0; i < roles_count(); i++)
        if (roles & roles_at(i))
            json_array_append_new(a, json_string(roles_name(roles_at(i))));
    return a;
}

enum err me_api(struct req *r)
{
    struct staff_user u;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) != E_OK) {
        r->message = "We could not load your account.";
        return E_DB;
    }
    req_model(r, json_pack("{s:s, s:s, s:s, s:o, s:b, s:{s:I, s:I}, s:s}", "id", u.public_id,
                           "email", u.email, "name", u.name, "roles", role_list(u.roles),
                           "totp_enabled", u.totp_enabled, "session", "age_seconds",
                           (json_int_t)r->user->session_age, "idle_seconds_left",
                           (json_int_t)r->user->idle_left, "csrf", r->user->csrf));
    return E_OK;
}
