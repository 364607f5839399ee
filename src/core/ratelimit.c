/* ratelimit: see ratelimit.h. Keys are hashed with a per-process random key (libsodium
 * shorthash) so a sender cannot aim collisions at someone else's slot. */
#include "core/ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define SLOTS 4096

struct slot {
    time_t window_start;
    unsigned count;
};

struct ratelimit {
    pthread_mutex_t lock;
    unsigned limit, window;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot slots[SLOTS];
};

struct ratelimit *ratelimit_new(unsigned limit, unsigned window)
{
    struct ratelimit *rl = xcalloc(1, sizeof(*rl));

    pthread_mutex_init(&rl->lock, NULL);
    rl->limit = limit;
    rl->window = window ? window : 1;
    crypto_shorthash_keygen(rl->key);
    return rl;
}

bool ratelimit_allow(struct ratelimit *rl, const char *key, time_t now)
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t v;
    struct slot *s;
    bool ok;

    crypto_shorthash(h, (const unsigned char *)key, strlen(key), rl->key);
    memcpy(&v, h, sizeof(v));
    s = &rl->slots[v % SLOTS];
    pthread_mutex_lock(&rl->lock);
    if (s->count == 0 || now - s->window_start >= (time_t)rl->window || now < s->window_start) {
        s->window_start = now;
        s->count = 0;
    }
    ok = s->count < rl->limit;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}
