/* roles: the staff roles, as bits, and their names. One user may hold several. */
#ifndef HAVEN_ROLES_H
#define HAVEN_ROLES_H

#include <stddef.h>

enum role {
    ROLE_ADMIN = 1u << 0,      /* users, settings, everything an auditor sees */
    ROLE_CLINICIAN = 1u << 1,  /* clinical records, level-of-care decisions */
    ROLE_ADMISSIONS = 1u << 2, /* the referral queue, intake, admission */
    ROLE_MEDICAL = 1u << 3,    /* medical staff: clinical records */
    ROLE_BILLING = 1u << 4,    /* billing: no clinical answers */
    ROLE_AUDITOR = 1u << 5,    /* read-only: the audit trail */
};

#define ROLE_ALL                                                                                   \
    (ROLE_ADMIN | ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_MEDICAL | ROLE_BILLING | ROLE_AUDITOR)

/* The role named s ("admin", ...), or 0. */
unsigned roles_parse(const char *s);
/* The name of a single role bit, or NULL. */
const char *roles_name(unsigned role);
/* Every role, in table order, for loops: roles_at(i) for i < roles_count(). */
size_t roles_count(void);
unsigned roles_at(size_t i);
/* Adds to *roles the roles named in a comma-separated list ("admin" or "admin,clinician").
 * NULL when every name is a role; else where the first unknown name starts in list (it runs
 * to the next comma). */
const char *roles_parse_list(const char *list, unsigned *roles);
/* The names of a role set joined by sep ("admin, clinician" with ", "), into out (truncated
 * to size). */
void roles_join(unsigned roles, const char *sep, char *out, size_t size);
/* "admin, clinician" for a role set, into out (truncated to size). */
void roles_text(unsigned roles, char *out, size_t size);

#endif
