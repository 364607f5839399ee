/* roles: the table of role names. */
#include "domain/roles.h"

#include <stdio.h>
#include <string.h>

static const struct {
    unsigned bit;
    const char *name;
} table[] = {
    {ROLE_ADMIN, "admin"},     {ROLE_CLINICIAN, "clinician"}, {ROLE_ADMISSIONS, "admissions"},
    {ROLE_MEDICAL, "medical"}, {ROLE_BILLING, "billing"},     {ROLE_AUDITOR, "auditor"},
};

unsigned roles_parse(const char *s)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i].name, s) == 0)
            return table[i].bit;
    return 0;
}

const char *roles_name(unsigned role)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].bit == role)
            return table[i].name;
    return NULL;
}

size_t roles_count(void)
{
    return sizeof(table) / sizeof(table[0]);
}

unsigned roles_at(size_t i)
{
    return i < roles_count() ? table[i].bit : 0;
}

const char *roles_parse_list(const char *list, unsigned *roles)
{
    while (*list) {
        char name[32];
        size_t n = strcspn(list, ",");
        unsigned bit = 0;
        if (n && n < sizeof(name)) {
            memcpy(name, list, n);
            name[n] = '\0';
            bit = roles_parse(name);
        }
        if (!bit)
            return list;
        *roles |= bit;
        list += n + (list[n] == ',');
    }
    return NULL;
}

void roles_join(unsigned roles, const char *sep, char *out, size_t size)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < roles_count() && len < size; i++)
        if (roles & roles_at(i))
            len += (size_t)snprintf(out + len, size - len, "%s%s", len ? sep : "",
                                    roles_name(roles_at(i)));
}

void roles_text(unsigned roles, char *out, size_t size)
{
    roles_join(roles, ", ", out, size);
}
