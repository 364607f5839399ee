/* fuzz_router: arbitrary paths (and a method) against every real route table (http/router.c
 * over modules_routes), checking what handlers rely on: a :param is 1 to 64 letters, digits or
 * '-', lies inside the path, and the route found gives the same path back when its params are
 * put into its pattern; a path no row takes for the method names the methods it allows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/router.h"
#include "modules/modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"};

static int param_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

/* The pattern with each :name replaced by its value; the rest of the path after a '*'. */
static void rebuild(const struct route *rt, const struct route_params *p, const char *path,
                    struct buf *out)
{
    const char *pat = rt->pattern;
    int i = 0;

    while (*pat) {
        if (*pat == '*' && pat[1] == '\0') {
            buf_add(out, path + out->len, strlen(path) - out->len);
            return;
        }
        if (*pat == ':') {
            while (*pat && *pat != '/')
                pat++;
            buf_add(out, p->value[i], p->value_len[i]);
            i++;
            continue;
        }
        buf_add(out, pat++, 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct route *rt = NULL;
    struct route_params p;
    const char *allow = NULL, *method;
    struct buf path = BUF_INIT, again = BUF_INIT;
    size_t plen;

    if (size == 0)
        return 0;
    method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
    buf_add(&path, data + 1, size - 1);
    plen = strlen(buf_cstr(&path)); /* the server never sees a NUL in a path */
    switch (router_match_tables(modules_routes, method, buf_cstr(&path), &rt, &p, &allow)) {
    case ROUTE_FOUND:
        if (!rt || p.n < 0 || p.n > ROUTE_MAX_PARAMS)
            abort();
        for (int i = 0; i < p.n; i++) {
            if (p.value[i] < buf_cstr(&path) || p.value[i] + p.value_len[i] >
                                                    buf_cstr(&path) + plen ||
                p.value_len[i] == 0 || p.value_len[i] > ROUTE_PARAM_MAX || p.name_len[i] == 0)
                abort();
            for (size_t k = 0; k < p.value_len[i]; k++)
                if (!param_char(p.value[i][k]))
                    abort();
        }
        rebuild(rt, &p, buf_cstr(&path), &again);
        if (again.len != plen || memcmp(buf_cstr(&again), buf_cstr(&path), plen) != 0)
            abort();
        break;
    case ROUTE_NO_METHOD:
        if (!allow || !*allow)
            abort();
        break;
    case ROUTE_NO_PATH:
        break;
    }
    buf_free(&path);
    buf_free(&again);
    return 0;
}
