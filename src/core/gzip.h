/* gzip: compresses a kept page once so that phones download ~10 KB instead of ~100 KB. */
#ifndef HAVEN_GZIP_H
#define HAVEN_GZIP_H

#include <stddef.h>

/* Returns a malloc'd gzip member of the n bytes at p (its size in *out_len), or NULL. */
char *gzip_compress(const char *p, size_t n, size_t *out_len);

#endif
