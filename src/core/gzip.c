/* gzip: zlib's deflate with a gzip header (windowBits 15 + 16), best compression: it runs once
 * at start-up, never per request. */
#include "core/gzip.h"

#include <stdlib.h>
#include <zlib.h>

#include "core/xalloc.h"

char *gzip_compress(const char *p, size_t n, size_t *out_len)
{
    z_stream z = {0};
    size_t cap;
    char *out;

    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    cap = deflateBound(&z, (uLong)n);
    out = xmalloc(cap);
    z.next_in = (Bytef *)(size_t)p; /* zlib's API is not const-correct; it does not write */
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        deflateEnd(&z);
        free(out);
        return NULL;
    }
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}
