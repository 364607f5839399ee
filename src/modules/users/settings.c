/* settings: the workspace settings on the Users screen; one so far, whether every staff member
 * must set up two-step sign-in (web/auth.c then sends those without it to enrol first). The
 * setting and its audit entry land together. */
#include "modules/users/users.h"

#include <string.h>

#include "core/log.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"

enum err users_settings(struct req *r)
{
    const char *v = req_form(r, "require_totp");

    if (!v || (strcmp(v, "1") && strcmp(v, "0"))) {
        audit_record(r, "update", "settings", "require_totp", audit_outcome(E_INVALID));
        return users_page(r, "Choose whether two-step sign-in is required.", E_INVALID);
    }
    if (store_setting_set_audited(r->store, "require_totp", v,
                                  audit_entry(r, "update", "settings", "require_totp")) != E_OK) {
        audit_record(r, "update", "settings", "require_totp", audit_outcome(E_DB));
        r->message = "We could not save the setting. Please try again.";
        return E_DB;
    }
    log_info("require_totp set to %s by user %ld", v, r->user->id);
    resp_redirect(r, 303, "/staff/users?done=settings");
    return E_OK;
}
