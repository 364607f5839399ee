/* ratelimit: a fixed-window counter per key (a client address), for public writes that anyone
 * can send. Fixed memory: keys hash into a table; a collision shares a slot, which can only make
 * the limit stricter for the two keys, never looser. Thread-safe. */
#ifndef HAVEN_RATELIMIT_H
#define HAVEN_RATELIMIT_H

#include <stdbool.h>
#include <time.h>

struct ratelimit;

/* At most `limit` events per key in each `window` seconds. */
struct ratelimit *ratelimit_new(unsigned limit, unsigned window);
/* Counts one event for key at time now; false when the key is over its limit (not counted). */
bool ratelimit_allow(struct ratelimit *rl, const char *key, time_t now);
void ratelimit_free(struct ratelimit *rl);

#endif
