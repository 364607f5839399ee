/* users: the users module: the administrators' Users screen (the accounts, adding one, and
 * each change to an account: disable, enable, a new password link, roles, turning a lost
 * second factor off), the workspace setting that requires a second factor and the clinic's
 * details (routes.c lists them). Every change lands in one transaction with its audit entry,
 * or neither does. */
#ifndef HAVEN_USERS_H
#define HAVEN_USERS_H

#include "http/router.h"
#include <stdbool.h>

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"

/* The handlers. */
enum err users_list(struct req *r);       /* screen.c: GET  /staff/users */
enum err users_add(struct req *r);        /* add.c: POST /staff/users */
/* actions.c: the pages that ask first, naming the person and the effect */
enum err users_disable_page(struct req *r); /* GET /staff/users/:id/disable */
enum err users_reset_page(struct req *r);   /* GET /staff/users/:id/reset */
enum err users_disable(struct req *r);    /* actions.c: POST /staff/users/:id/disable */
enum err users_enable(struct req *r);     /* actions.c: POST /staff/users/:id/enable */
enum err users_reset(struct req *r);      /* actions.c: POST /staff/users/:id/reset */
enum err users_roles(struct req *r);      /* actions.c: POST /staff/users/:id/roles */
enum err users_totp_reset(struct req *r); /* actions.c: POST /staff/users/:id/totp-reset */
enum err users_settings(struct req *r);   /* settings.c: POST /staff/settings */
enum err users_cosign(struct req *r);     /* cosign.c: POST /staff/users/:id/cosign */
enum err users_clinic_page(struct req *r); /* clinic.c: GET /staff/settings/clinic */
enum err users_clinic_save(struct req *r); /* clinic.c: POST /staff/settings/clinic */
enum err users_care_page(struct req *r);   /* care.c: GET  /staff/settings/care */
enum err users_care_save(struct req *r);   /* care.c: POST /staff/settings/care */

/* screen.c: fills m (the request's model, from view_staff_model) with the accounts (one
 * audited "list" entry per account shown: no entries, no list), the add form's role choices
 * (those in ticked checked) and the setting. E_OK, or E_DB with r->message and no model. */
enum err users_screen(struct req *r, json_t *m, unsigned ticked);
/* The Users screen as the request's model, with notice (may be NULL), answered as e (E_OK, or
 * E_INVALID for a change refused with that notice); E_DB when the screen cannot be shown. */
enum err users_page(struct req *r, const char *notice, enum err e);
/* The roles ticked on a form ("role" repeated, or comma-separated); *bad is set when a name is
 * not a role. */
unsigned users_form_roles(const struct req *r, bool *bad);

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table users_routes;

#endif
