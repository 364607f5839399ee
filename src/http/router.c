/* router: linear scan of short tables; read top to bottom, first match wins. Paths are matched
 * segment by segment so that a record id is a :param, never a hand-split prefix. */
#include "http/router.h"

#include <stdbool.h>
#include <string.h>

static bool param_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

/* True when path fits pattern; fills p (may be NULL) with the :params. */
static bool path_matches(const char *pattern, const char *path, struct route_params *p)
{
    struct route_params local;

    if (!p)
        p = &local;
    p->n = 0;
    while (*pattern) {
        if (*pattern == '*' && pattern[1] == '\0')
            return true;
        if (*pattern == ':') {
            const char *name = ++pattern;
            size_t len = 0;
            while (*pattern && *pattern != '/')
                pattern++;
            while (param_char(path[len]))
                len++;
            if (len == 0 || len > ROUTE_PARAM_MAX || (path[len] && path[len] != '/') ||
                p->n == ROUTE_MAX_PARAMS)
                return false;
            p->name[p->n] = name;
            p->name_len[p->n] = (size_t)(pattern - name);
            p->value[p->n] = path;
            p->value_len[p->n] = len;
            p->n++;
            path += len;
            continue;
        }
        if (*pattern++ != *path++)
            return false;
    }
    return *path == '\0';
}

static bool method_matches(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* The Allow header of a path, from the methods its rows take (bit 0 GET and HEAD, 1 POST,
 * 2 PUT, 3 PATCH): static strings, so that a 405 costs no allocation. */
static const char *allow_list(unsigned methods)
{
    static const char *const lists[16] = {
        "",
        "GET, HEAD",
        "POST",
        "GET, HEAD, POST",
        "PUT",
        "GET, HEAD, PUT",
        "POST, PUT",
        "GET, HEAD, POST, PUT",
        "PATCH",
        "GET, HEAD, PATCH",
        "POST, PATCH",
        "GET, HEAD, POST, PATCH",
        "PUT, PATCH",
        "GET, HEAD, PUT, PATCH",
        "POST, PUT, PATCH",
        "GET, HEAD, POST, PUT, PATCH",
    };
    return lists[methods & 15u];
}

static unsigned method_bit(const char *method)
{
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH"};
    for (unsigned i = 0; i < 4; i++)
        if (strcmp(method, names[i]) == 0)
            return 1u << i;
    return 0;
}

enum route_match router_match(const struct route *table, size_t n, const char *method,
                              const char *path, const struct route **out,
                              struct route_params *params, const char **allow)
{
    unsigned methods = 0;
    bool path_seen = false;

    for (size_t i = 0; i < n; i++) {
        if (!path_matches(table[i].pattern, path, params))
            continue;
        if (method_matches(table[i].method, method)) {
            *out = &table[i];
            return ROUTE_FOUND;
        }
        path_seen = true;
        methods |= method_bit(table[i].method);
    }
    if (!path_seen)
        return ROUTE_NO_PATH;
    *allow = allow_list(methods);
    return ROUTE_NO_METHOD;
}

enum route_match router_match_tables(const struct route_table *const *tables, const char *method,
                                     const char *path, const struct route **out,
                                     struct route_params *params, const char **allow)
{
    enum route_match best = ROUTE_NO_PATH;
    const char *first_allow = NULL;

    for (; *tables; tables++) {
        enum route_match m =
            router_match((*tables)->routes, (*tables)->n, method, path, out, params, allow);
        if (m == ROUTE_FOUND)
            return m;
        if (m == ROUTE_NO_METHOD && best != ROUTE_NO_METHOD) {
            best = m;
            first_allow = *allow;
        }
    }
    if (best == ROUTE_NO_METHOD)
        *allow = first_allow;
    return best;
}
