/* throttle: what failed sign-ins cost. Wrong passwords and wrong second-factor codes count
 * against the account and against the client address (r->client: behind a trusted proxy, the
 * address the proxy saw); past a threshold (an account after 5, an address after 50:
 * domain/password.h) each is paused for a while, and every pause is audited ("lockout", in the
 * same transaction as the pause). The address threshold is high because many people may share
 * one (a clinic's NAT).
 *
 * An account's count ends with its own complete sign-in. An address's must not end with a
 * success: one success of another account would wipe it, and 45 failures, a good sign-in, 45
 * more ... never paused anyone (issue 8, finding 4). So it is a leaky bucket: it forgets one
 * failure every ADDRESS_LEAK_MINUTES, and nothing else empties it. A leaky bucket rather than a
 * sliding window: one row of two numbers per address (a window must keep every failure's
 * time), the same burst of 50 allowed, and a long-run rate it can never exceed (one failure per
 * leak period, 48 a day), which pauses of growing length cannot give on their own. */
#include "modules/account/account.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/str.h"
#include "domain/password.h"
#include "store/staff.h"
#include "web/audit.h"

/* A shared address's typos stay far below this rate; a full bucket (50) empties in a day. */
#define ADDRESS_LEAK_MINUTES 30

static long minute = 60;
static pthread_once_t minute_once = PTHREAD_ONCE_INIT;

/* HAVEN_THROTTLE_MINUTE: the seconds a minute of the throttle lasts (pauses and leaking), 60
 * unless the tests shorten it to watch a pause lift and a bucket drain. */
static void minute_read(void)
{
    const char *v = getenv("HAVEN_THROTTLE_MINUTE");

    if (v && str_to_long(str_from(v), 1, 60, &minute) < 0) {
        log_warn("HAVEN_THROTTLE_MINUTE is not a number from 1 to 60; using 60");
        minute = 60;
    }
}

/* Seconds of the throttle's clock, from the rules' seconds (which count in real minutes). */
static long scaled(long seconds)
{
    pthread_once(&minute_once, minute_read);
    return seconds / 60 * minute + seconds % 60 * minute / 60;
}

/* Pauses the account (user_id > 0) or the address with its audit entry, in one transaction.
 * When the entry cannot be written the pause holds all the same (a failing trail must not
 * open the door to guessing), and the log says so. False when nothing could be stored. */
static bool pause_until(struct req *r, long user_id, const char *kind, const char *public_id,
                        long until)
{
    const char *ip = user_id > 0 ? NULL : r->client;

    if (store_throttle_lock(r->store, user_id, ip, until,
                            audit_entry(r, "lockout", kind, public_id)) == E_OK)
        return true;
    log_error("a sign-in pause (%s) is not in the audit trail", kind);
    return store_throttle_lock(r->store, user_id, ip, until, NULL) == E_OK;
}

bool throttle_failure(struct req *r, long user_id, const char *public_id, long now)
{
    bool locked = false;
    int n = 0;
    long wait;

    if (user_id > 0 && store_throttle_user_fail(r->store, user_id, &n) == E_OK &&
        (wait = scaled(password_lockout_seconds(n))) > 0) {
        locked = pause_until(r, user_id, "user", public_id, now + wait);
        log_info("user %ld paused %lds after %d failures", user_id, wait, n);
    }
    if (store_throttle_ip_fail(r->store, r->client, now, scaled(ADDRESS_LEAK_MINUTES * 60),
                               &n) == E_OK &&
        (wait = scaled(password_address_lockout_seconds(n))) > 0) {
        pause_until(r, 0, "address", NULL, now + wait);
        log_info("client address paused %lds after %d failures", wait, n);
    }
    return locked;
}

bool throttle_address_paused(struct req *r, long now)
{
    long until = 0;

    return store_throttle_ip_until(r->store, r->client, &until) == E_OK && until > now;
}
