/* fuzz_request: arbitrary bytes as one connection to the real server (tests/fuzz/
 * http_harness.h): request lines, headers, cookies, chunked and URL-encoded bodies, pipelined
 * requests, all as libmicrohttpd and http/server.c read them in `haven serve`. */
#include <stddef.h>
#include <stdint.h>

#include "http_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_init();
    harness_send(data, size);
    return 0;
}
