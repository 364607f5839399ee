/* principal: who a request comes from once web/auth.c has checked it. One kind today (a staff
 * member with a session); the patient portal and the clinic's kiosk add theirs here. */
#ifndef HAVEN_PRINCIPAL_H
#define HAVEN_PRINCIPAL_H

enum principal_kind {
    PRINCIPAL_STAFF,
};

struct principal {
    enum principal_kind kind;
    long id;               /* users.id */
    const char *public_id; /* users.public_id */
    const char *email;
    const char *name;
    unsigned roles;        /* bit set of domain/roles.h */
    const char *csrf;      /* the session's CSRF token for forms */
    long session_age;      /* seconds since sign-in */
    long idle_left;        /* seconds before the idle timeout */
};

#endif
