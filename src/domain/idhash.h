/* idhash: the one string hash of the domain's lookup tables (item ids, message keys). Ids
 * are short, so it mixes 8 bytes at a time: a few multiplies per id instead of one per byte. */
#ifndef HAVEN_IDHASH_H
#define HAVEN_IDHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline unsigned idhash(const char *s, size_t len)
{
    uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15u, w;

    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    if (len) {
        w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    }
    h ^= h >> 29;
    h *= 0x9e3779b97f4a7c15u;
    return (unsigned)(h >> 32); /* the high half is the well-mixed one */
}

#endif
