/* signout: ending one's own sessions: this one (the button in the staff frame), or every one
 * of the account on every device (the home screen), for a member who left a session open
 * somewhere. Both answer while a required second factor is still to be set up. */
#include "modules/account/account.h"

#include "core/log.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"
#include "web/session.h"

enum err signout_post(struct req *r)
{
    audit_record(r, "sign-out", "session", r->user->public_id, "ok");
    session_end(r);
    resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
    return E_OK;
}

enum err signout_everywhere(struct req *r)
{
    audit_record(r, "sign-out-everywhere", "session", r->user->public_id, "ok");
    store_session_delete_user(r->store, r->user->id, 0);
    session_end(r);
    log_info("user %ld signed out everywhere", r->user->id);
    resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
    return E_OK;
}
