/* router: linear scan of a short table; read top to bottom, first match wins. */
#include "http/router.h"

#include <string.h>

static int path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);

    if (n && pattern[n - 1] == '*')
        return strncmp(pattern, path, n - 1) == 0;
    return strcmp(pattern, path) == 0;
}

static int method_matches(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

enum route_match router_match(const struct route *table, size_t n, const char *method,
                              const char *path, const struct route **out, const char **allow)
{
    int path_seen = 0, get = 0, post = 0;

    for (size_t i = 0; i < n; i++) {
        if (!path_matches(table[i].pattern, path))
            continue;
        if (method_matches(table[i].method, method)) {
            *out = &table[i];
            return ROUTE_FOUND;
        }
        path_seen = 1;
        get |= strcmp(table[i].method, "GET") == 0;
        post |= strcmp(table[i].method, "POST") == 0;
    }
    if (!path_seen)
        return ROUTE_NO_PATH;
    *allow = get && post ? "GET, HEAD, POST" : get ? "GET, HEAD" : "POST";
    return ROUTE_NO_METHOD;
}

enum route_match router_match_tables(const struct route_table *const *tables, const char *method,
                                     const char *path, const struct route **out,
                                     const char **allow)
{
    enum route_match best = ROUTE_NO_PATH;

    for (; *tables; tables++) {
        enum route_match m = router_match((*tables)->routes, (*tables)->n, method, path, out, allow);
        if (m == ROUTE_FOUND)
            return m;
        if (m == ROUTE_NO_METHOD)
            best = m;
    }
    return best;
}
