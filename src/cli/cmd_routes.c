/* cmd_routes: `haven routes [--json]` lists every route row with the roles that may use it, its
 * flags and the record its :id names, so that the role-matrix test walks the real policy
 * without a copy of the table. */
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

static json_t *flag_names(unsigned flags)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{R_CSRF, "csrf"}, {R_NO_STORE, "no-store"}, {R_JSON, "json"},
                 {R_ENROLMENT, "enrolment"}, {R_PATIENT, "patient"}};
    json_t *a = json_array();

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit)
            json_array_append_new(a, json_string(names[i].name));
    return a;
}

/* The roles that let a member holding only that role in: with and_roles, those in both sets. */
static unsigned effective_roles(const struct route *r)
{
    return r->and_roles ? r->roles & r->and_roles : r->roles;
}

int cmd_routes(int argc, char **argv)
{
    int as_json = argc > 1 && strcmp(argv[1], "--json") == 0;
    json_t *all = json_array();

    for (const struct route_table *const *t = modules_routes; *t; t++) {
        for (size_t i = 0; i < (*t)->n; i++) {
            const struct route *r = &(*t)->routes[i];
            json_t *names = role_names(effective_roles(r));
            if (as_json) {
                json_t *row = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}", "method", r->method,
                                        "pattern", r->pattern, "public",
                                        r->roles == 0 && !(r->flags & R_PATIENT), "roles",
                                        names, "any_of", role_names(r->roles), "flags",
                                        flag_names(r->flags));
                if (r->and_roles)
                    json_object_set_new(row, "and_one_of", role_names(r->and_roles));
                if (r->record)
                    json_object_set_new(row, "record", json_string(r->record));
                if (r->view)
                    json_object_set_new(row, "view", json_string(r->view));
                json_array_append_new(all, row);
                continue;
            }
            printf("%-5s %-48s", r->method, r->pattern);
            if (r->flags & R_PATIENT)
                printf(" patient (signed in to the portal)");
            else if (!r->roles)
                printf(" public");
            for (size_t j = 0; j < json_array_size(names); j++)
                printf(" %s", json_string_value(json_array_get(names, j)));
            if (r->flags & R_CSRF)
                printf(" [csrf]");
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
