/* xalloc: allocation that aborts on out-of-memory, so callers never check for NULL. */
#ifndef HAVEN_XALLOC_H
#define HAVEN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
