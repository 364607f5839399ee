/* cmd_routes: `haven routes [--json]` lists the route tables with the roles each route allows,
 * so that the role-matrix test walks every staff route without a copy of the table. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/roles.h"
#include "modules/modules.h"

static json_t *role_names(unsigned roles)
{
    json_t *a = json_array();

    for (size_t i = 0; i < roles_count(); i++)
        if (roles & roles_at(i))
            json_array_append_new(a, json_string(roles_name(roles_at(i))));
    return a;
}

int cmd_routes(int argc, char **argv)
{
    int as_json = argc > 1 && strcmp(argv[1], "--json") == 0;
    json_t *all = json_array();

    for (const struct route_table *const *t = modules_routes; *t; t++) {
        for (size_t i = 0; i < (*t)->n; i++) {
            const struct route *r = &(*t)->routes[i];
            json_t *names = role_names(r->roles);
            if (as_json) {
                json_array_append_new(all, json_pack("{s:s, s:s, s:b, s:o}", "method", r->method,
                                                     "pattern", r->pattern, "public",
                                                     r->roles == 0, "roles", names));
                continue;
            }
            printf("%-5s %-45s", r->method, r->pattern);
            if (!r->roles)
                printf(" public");
            for (size_t j = 0; j < json_array_size(names); j++)
                printf(" %s", json_string_value(json_array_get(names, j)));
            putchar('\n');
            json_decref(names);
        }
    }
    if (as_json) {
        char *s = json_dumps(all, JSON_INDENT(1));
        puts(s);
        free(s);
    }
    json_decref(all);
    return 0;
}
