/* rand: tokens and public ids from libsodium's CSPRNG; never rand() or the clock. */
#ifndef HAVEN_RAND_H
#define HAVEN_RAND_H

#include <stddef.h>

/* Initialises libsodium; 0 or -1. Call once before threads start. */
int rand_init(void);
void rand_bytes(void *p, size_t n);
/* Writes 2*nbytes lowercase hex digits and a NUL into out (size >= 2*nbytes+1). */
void rand_hex(char *out, size_t nbytes);

#endif
