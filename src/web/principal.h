/* principal: who a request comes from once web/auth.c has checked it: a staff member with a
 * session, or a patient signed in to the portal (/me/). A patient principal holds no staff
 * role and no users.id (id 0), so nothing that checks roles or a member's id ever lets one
 * through; its email is "patient:<patients.public_id>", the name the audit trail records. */
#ifndef HAVEN_PRINCIPAL_H
#define HAVEN_PRINCIPAL_H

enum principal_kind {
    PRINCIPAL_STAFF,
    PRINCIPAL_PATIENT,
};

struct principal {
    enum principal_kind kind;
    long id;               /* users.id; 0 for a patient */
    const char *public_id; /* users.public_id; a patient's patients.public_id */
    const char *email;
    const char *name;
    unsigned roles;        /* bit set of domain/roles.h */
    const char *csrf;      /* the session's CSRF token for forms */
    long session_age;      /* seconds since sign-in */
    long idle_left;        /* seconds before the idle timeout */
    long patient;          /* patients.id of a signed-in patient; 0 for staff */
};

#endif
