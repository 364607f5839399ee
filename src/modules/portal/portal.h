/* portal: the patient portal under /me/ (issue 11). A patient accepts an invitation made from
 * the chart and chooses a username and passphrase (access.c: /me/welcome), signs in and out
 * (access.c: /me/sign-in, /me/sign-out), sees today's and this week's sessions and their
 * kiosk check-in code (today.c: /me/), and checks in daily (checkin.c: /me/check-in). The
 * staff side (invite, revoke, the check-ins on the chart) is modules/patients/portal_access.c.
 *
 * Every signed-in row says R_PATIENT (web/view.c: a signed-in patient, the session's CSRF
 * token, no-store, the portal's frame). Every query is keyed by the principal's patient
 * (auth_patient_id), never by an id from the address, so a patient reaches nothing but their
 * own record. Pages render in templates/portal/frame.html: the title says "Haven" and nothing
 * more, a quick exit on every page, the crisis lines in the footer, no JavaScript needed.
 * The questionnaires due (questionnaires.c), the journal (journal.c), messages with the
 * counsellor (messages.c), My progress (progress.c) and "Sign-in and security" (security.c:
 * the optional second factor, whose sign-in step is signin_code.c) follow the same rules.
 * Later parts of issue 11 (plan, help, skills) add their rows to routes.c with R_PATIENT and
 * a .nav label, and start their models from portal_model. */
#ifndef HAVEN_MODULES_PORTAL_H
#define HAVEN_MODULES_PORTAL_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "http/req.h"
#include "http/router.h"

/* frame.c: what every portal page shares. */
/* The model a portal page starts from: "portal" (the frame), "heading" (the page's own
 * heading; the <title> stays "Haven"), "csrf" (the session's token when a patient is signed
 * in, else the public double-submit one), and for a signed-in patient "me" {first_name} and
 * "nav" (the R_PATIENT rows with a .nav label, in table order). New reference. */
json_t *portal_model(struct req *r, const char *heading);
/* The entry of an action by the request's principal (arena): a signed-in patient is recorded
 * as user "patient:<public id>" with the role "patient", nobody as "anonymous". */
const struct audit_entry *portal_entry(struct req *r, const char *action, const char *type,
                                       const char *id, const char *outcome);
/* Appends portal_entry's entry now; 0, or -1 (logged) when it could not be written. */
int portal_audit(struct req *r, const char *action, const char *type, const char *id,
                 const char *outcome);
/* The help a page shows after a worrying answer, into m as "help": {counsellor (the patient's
 * counsellor's name, "" when none), clinic, phone, phone_digits (the clinic's), used}. E_DB. */
enum err portal_help(struct req *r, json_t *m, bool used);
/* The clinic's date today as a caldate and "YYYY-MM-DD" (text: 11 bytes, may be NULL). */
caldate portal_today(char *text);

/* access.c (public rows; their forms check the double-submit token themselves, so that a
 * stale form comes back in the portal's frame rather than the public site's error page) */
enum err portal_welcome_form(struct req *r); /* GET  /me/welcome?token= */
enum err portal_welcome_post(struct req *r); /* POST /me/welcome */
enum err portal_signin_form(struct req *r);  /* GET  /me/sign-in */
enum err portal_signin_post(struct req *r);  /* POST /me/sign-in */
enum err portal_signout(struct req *r);      /* POST /me/sign-out (R_PATIENT) */
enum err portal_root(struct req *r);         /* GET  /me: 303 to /me/ */
/* signin_shared.c: what the steps of the way in share (access.c, signin_code.c, security.c). */
struct portal_account;
/* Makes the request's principal the patient (no session yet), so that the entries of the
 * patient's own acts name them. */
void portal_act_as(struct req *r, long patient, const char *public_id, const char *first_name);
/* A new session for the account, its cookie set. 0, or -1 when the store failed. */
int portal_session_start(struct req *r, long account, bool shared);
/* A failed password or code: counted against the account (account > 0; pausing it past the
 * back-off's threshold, audited as "lockout" of the patient) and the client address
 * (modules/account's throttle, shared with staff). True when the account is now paused. */
bool portal_count_failure(struct req *r, long account, const char *patient_id, long now);
/* The sign-in page's model (a new reference): the username to show again and the failure (both
 * may be NULL), or the notice the query string asks for. */
json_t *portal_signin_model(struct req *r, const char *username, const char *error);
/* The sign-in page again with one sentence: 401. */
enum err portal_signin_refused(struct req *r, const char *username, const char *why);
/* The one message of a failed sign-in, whichever part was wrong; a stale form's. */
extern const char portal_signin_failed[];
extern const char portal_stale[];

/* signin_code.c: the second step of signing in, for an account with the second factor. */
/* The password was right: a sign-in waiting for its code is made (its token in the portal's
 * cookie, forgotten when the browser closes), audited as "sign-in-password", and the browser
 * sent to the code step (303). E_DB when it could not be stored. */
enum err portal_code_due(struct req *r, const struct portal_account *a, bool shared);
enum err portal_code_form(struct req *r); /* GET  /me/sign-in/code */
enum err portal_code_post(struct req *r); /* POST /me/sign-in/code */

/* security.c: "Sign-in and security": the optional second factor, on and off. */
enum err portal_security_page(struct req *r); /* GET  /me/security */
enum err portal_security_on(struct req *r);   /* POST /me/security/two-step */
enum err portal_security_off(struct req *r);  /* POST /me/security/two-step/off */

/* today.c */
enum err portal_today_page(struct req *r); /* GET /me/ */

/* checkin.c */
enum err portal_checkin_form(struct req *r); /* GET  /me/check-in */
enum err portal_checkin_post(struct req *r); /* POST /me/check-in */
enum err portal_checkin_done(struct req *r); /* GET  /me/check-in/done */
/* Today's check-in of the signed-in patient into *out (a new reference, NULL when none yet
 * today). E_OK or E_DB. */
enum err portal_checkin_today(struct req *r, json_t **out);

/* questionnaires.c: the measures due, answered by the patient */
enum err portal_questionnaires_page(struct req *r); /* GET  /me/questionnaires */
enum err portal_questionnaires_post(struct req *r); /* POST /me/questionnaires */
enum err portal_questionnaires_done(struct req *r); /* GET  /me/questionnaires/done?id= */

/* journal.c */
enum err portal_journal_page(struct req *r);    /* GET  /me/journal */
enum err portal_journal_post(struct req *r);    /* POST /me/journal */
enum err portal_journal_sharing(struct req *r); /* POST /me/journal/:id/sharing */

/* messages.c: the patient's side of the messages */
enum err portal_messages_page(struct req *r);   /* GET  /me/messages */
enum err portal_messages_new(struct req *r);    /* GET  /me/messages/new */
enum err portal_messages_post(struct req *r);   /* POST /me/messages */
enum err portal_messages_notify(struct req *r); /* POST /me/messages/notifications */
enum err portal_messages_thread(struct req *r); /* GET  /me/messages/:id */
enum err portal_messages_reply(struct req *r);  /* POST /me/messages/:id */

/* progress.c */
enum err portal_progress_page(struct req *r);     /* GET  /me/progress */
enum err portal_progress_tracking(struct req *r); /* POST /me/progress/tracking */

/* routes.c: the module's table (modules/modules.c lists it). */
extern const struct route_table portal_routes;

#endif
