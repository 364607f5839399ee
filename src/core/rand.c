/* rand: thin wrapper so the rest of the code names one source of randomness. */
#include "core/rand.h"

#include <sodium.h>

int rand_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void rand_bytes(void *p, size_t n)
{
    randombytes_buf(p, n);
}

void rand_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];

    if (nbytes > sizeof(raw))
        nbytes = sizeof(raw);
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, raw, nbytes);
    sodium_memzero(raw, sizeof(raw));
}
