/* fuzz_headers: arbitrary header values on a form POST to the real server (tests/fuzz/
 * http_harness.h): the cookies (libmicrohttpd's Cookie parser, web/session.c's session token,
 * http/csrf.c's token and its Origin and Sec-Fetch-Site checks) and X-Forwarded-For behind the
 * trusted proxy (http/proxy.c). The input is lines; each line's first byte picks the header
 * name (or, for "raw", the line is a whole header line), the rest is its value, so that
 * mutations stay inside headers. The body carries the CSRF token the seeds' cookie holds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "http_harness.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "Cookie", "X-Forwarded-For", "Host", "Origin", "Sec-Fetch-Site", "Content-Type",
    "Referer", "Accept", NULL, /* raw: the line is the whole header */
};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

/* Adds p[0..n) without CR or LF (a header line ends only where this driver ends it). */
static void add_clean(struct buf *b, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r' && p[i] != '\n')
            buf_add(b, &p[i], 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char body[] = "csrf=" TOKEN "&name=Sam";
    struct buf req = BUF_INIT;
    const uint8_t *line = data, *end = data + size, *nl;

    harness_init();
    buf_addf(&req, "POST /fuzz/form HTTP/1.1\r\n");
    while (line < end) {
        const char *name;
        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            nl = end;
        if (nl > line) {
            name = names[line[0] % N_NAMES];
            if (name)
                buf_addf(&req, "%s: ", name);
            add_clean(&req, line + 1, (size_t)(nl - line - 1));
            buf_add(&req, "\r\n", 2);
        }
        line = nl + 1;
    }
    buf_addf(&req, "Content-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\n\r\n%s", sizeof(body) - 1, body);
    harness_send((const uint8_t *)buf_cstr(&req), req.len);
    buf_free(&req);
    return 0;
}
