/* reconfirm: a signed-in staff member confirms it is them again before an act that carries
 * their signature (signing a treatment plan or a note, co-signing): their password, checked like
 * the sign-in's (argon2id, failures counted toward the same pauses, audited either way). */
#include "modules/account/account.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/password.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"

enum err account_reconfirm(struct req *r, const char *password, const char *what)
{
    struct staff_user u = {0};
    long now = (long)time(NULL);
    bool ok;

    if (!r->user || !password || !*password || strlen(password) > PASSWORD_MAX_BYTES)
        return E_DENIED;
    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) != E_OK)
        return E_DB;
    /* Hash before looking at pauses, as the sign-in does: the timing tells nothing. */
    ok = password_verify(u.password_hash, password);
    if (throttle_address_paused(r, now) || u.locked_until > now) {
        log_info("reconfirm (%s) refused: paused", what);
        audit_record(r, "reconfirm-paused", "user", u.public_id, "denied");
        return E_DENIED;
    }
    if (!ok || u.disabled) {
        if (!ok)
            throttle_failure(r, u.id, u.public_id, now);
        log_info("reconfirm (%s) refused for user %ld", what, u.id);
        audit_record(r, "reconfirm", "user", u.public_id, "denied");
        return E_DENIED;
    }
    store_throttle_clear(r->store, u.id);
    return E_OK;
}
