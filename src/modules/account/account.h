/* web_staff: the handlers of the staff module's screens (routes_staff.c lists them). */
#ifndef HAVEN_WEB_STAFF_H
#define HAVEN_WEB_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

/* web_signin.c: signing in and out, the second factor, set-password links */
enum err web_signin_form(struct req *r);       /* GET  /staff/sign-in */
enum err web_signin(struct req *r);            /* POST /staff/sign-in */
enum err web_signin_code_form(struct req *r);  /* GET  /staff/sign-in/code */
enum err web_signin_code(struct req *r);       /* POST /staff/sign-in/code */
enum err web_signout(struct req *r);           /* POST /staff/sign-out */
enum err web_signout_everywhere(struct req *r);/* POST /staff/sign-out-everywhere */
enum err web_keep_alive(struct req *r);        /* POST /staff/keep-alive */
enum err web_set_password_form(struct req *r); /* GET  /staff/set-password?token= */
enum err web_set_password(struct req *r);      /* POST /staff/set-password */

/* web_users.c: the home screen, the second-factor enrolment, users and settings, /api/v1/me */
enum err web_staff_home(struct req *r);        /* GET  /staff/ (and /staff) */
enum err web_totp_form(struct req *r);         /* GET  /staff/account/totp */
enum err web_totp(struct req *r);              /* POST /staff/account/totp */
enum err web_recovery_codes(struct req *r);    /* POST /staff/account/recovery-codes */
enum err web_users(struct req *r);             /* GET  /staff/users */
enum err web_users_add(struct req *r);         /* POST /staff/users */
/* POST /staff/users/ID/(disable|enable|reset|roles|totp-reset) */
enum err web_users_action(struct req *r);
enum err web_settings(struct req *r);          /* POST /staff/settings */
enum err api_me(struct req *r);                /* GET  /api/v1/me */

/* password_link.c: a one-time set-password link for user_id, valid 24 hours, into out: the
 * base URL from HAVEN_PUBLIC_URL (default http://127.0.0.1:8080). 0, or -1 when the store
 * failed (nothing is made). Used by the Users screen and by `haven user`. */
struct store;
int password_link_new(struct store *s, long user_id, char *out, size_t size);

#endif
