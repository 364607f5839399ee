/* fuzz_form_body: arbitrary bytes as the URL-encoded body of a form POST to the real server
 * (tests/fuzz/http_harness.h), so that every mutation lands in the body parser: libmicrohttpd's
 * post processor and http/server.c's form_field, which joins a value that arrives in pieces.
 * The first byte picks how the body travels: with Content-Length in one piece, or chunked in
 * chunks of 1 to 127 bytes (values then arrive split at every boundary). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "http_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "POST /fuzz/form/f-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\n";
    static const char chunked[] = "Transfer-Encoding: chunked\r\n\r\n";
    struct buf req = BUF_INIT;
    size_t chunk;

    if (size == 0)
        return 0;
    harness_init();
    chunk = data[0] & 0x7f;
    data++, size--;
    buf_add(&req, head, sizeof(head) - 1);
    if (!chunk) {
        buf_addf(&req, "Content-Length: %zu\r\n\r\n", size);
        buf_add(&req, (const char *)data, size);
    } else {
        buf_add(&req, chunked, sizeof(chunked) - 1);
        for (size_t off = 0; off < size; off += chunk) {
            size_t n = size - off < chunk ? size - off : chunk;
            buf_addf(&req, "%zx\r\n", n);
            buf_add(&req, (const char *)data + off, n);
            buf_add(&req, "\r\n", 2);
        }
        buf_add(&req, "0\r\n\r\n", 5);
    }
    harness_send((const uint8_t *)buf_cstr(&req), req.len);
    buf_free(&req);
    return 0;
}
