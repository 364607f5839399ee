/* portal_access: the staff side of the patient portal (issue 11), from the chart: invite the
 * patient (a one-time link shown once with its QR code, printable), see and revoke their
 * access, turn off their second factor when they lost their phone, and read their daily
 * check-ins. */
#ifndef HAVEN_PORTAL_ACCESS_H
#define HAVEN_PORTAL_ACCESS_H

#include "core/err.h"
#include "domain/roles.h"
#include "http/req.h"

/* Who gives and takes away access: those who hand patients their check-in code. */
#define PORTAL_ACCESS_ROLES (ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_ADMIN)
/* Who reads check-ins: clinical content (clinicians and medical staff). */
#define PORTAL_CHECKIN_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL)
/* Who opens the page: either of them; each sees its own part of it. */
#define PORTAL_PAGE_ROLES (PORTAL_ACCESS_ROLES | PORTAL_CHECKIN_ROLES)

enum err portal_access_page(struct req *r);   /* GET  /staff/patients/:id/portal */
enum err portal_access_invite(struct req *r); /* POST /staff/patients/:id/portal/invite */
enum err portal_access_revoke(struct req *r); /* POST /staff/patients/:id/portal/revoke */
/* POST /staff/patients/:id/portal/second-factor/reset (confirm=yes) */
enum err portal_access_reset_factor(struct req *r);

#endif
