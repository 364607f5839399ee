/* throttle: what failed sign-ins cost. Wrong passwords and wrong second-factor codes count
 * against the account and against the client address; past a threshold (an account after 5,
 * an address after 50: domain/password.h) each is paused for a while, and every pause is
 * audited. The address threshold is high because many people may share one (a clinic's NAT). */
#include "modules/account/account.h"

#include "core/log.h"
#include "domain/password.h"
#include "store/staff.h"
#include "web/audit.h"

bool throttle_failure(struct req *r, long user_id, const char *public_id, long now)
{
    bool locked = false;
    int n = 0;
    long wait;

    if (user_id > 0 && store_throttle_fail(r->store, user_id, NULL, now, &n) == E_OK &&
        (wait = password_lockout_seconds(n)) > 0) {
        store_throttle_lock(r->store, user_id, NULL, now + wait);
        log_info("user %ld paused %lds after %d failures", user_id, wait, n);
        audit_record(r, "lockout", "user", public_id, "ok");
        locked = true;
    }
    if (store_throttle_fail(r->store, 0, r->client, now, &n) == E_OK &&
        (wait = password_address_lockout_seconds(n)) > 0) {
        store_throttle_lock(r->store, 0, r->client, now + wait);
        log_info("client address paused %lds after %d failures", wait, n);
        audit_record(r, "lockout", "address", NULL, "ok");
    }
    return locked;
}

bool throttle_address_paused(struct req *r, long now)
{
    long until = 0;

    return store_throttle_ip_until(r->store, r->client, &until) == E_OK && until > now;
}
