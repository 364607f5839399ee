/* messages: the staff's side of the messages patients send from the portal (issue 11) and the
 * journal entries patients share. The inbox (/staff/messages) lists the threads of the
 * member's own patients (every thread for an administrator) with their unread counts and the
 * clinic's response-time target (the setting message_reply_hours, 24 by default: a service
 * target, not a clinical rule), overdue threads marked; a thread opens and is answered at
 * /staff/messages/:id. A patient's shared journal entries are on the chart
 * (/staff/patients/:id/journal, clinicians and medical staff). When a patient asked to hear of
 * new messages, an answer hands "You have a new message in Haven" to the delivery backend
 * (notify.c). The patient's side is modules/portal/messages.c and journal.c. */
#ifndef HAVEN_MODULES_MESSAGES_H
#define HAVEN_MODULES_MESSAGES_H

#include "core/err.h"
#include "domain/roles.h"
#include "http/req.h"
#include "http/router.h"

/* Who reads the messages: a patient's counsellor, and administrators (all of them). */
#define MESSAGES_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL | ROLE_ADMIN)
/* Who reads the journal entries a patient shared: clinical staff. */
#define MESSAGES_JOURNAL_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL)

extern const struct route_table messages_routes;

/* inbox.c */
enum err messages_inbox(struct req *r);  /* GET  /staff/messages */
enum err messages_thread(struct req *r); /* GET  /staff/messages/:id */
enum err messages_reply(struct req *r);  /* POST /staff/messages/:id */

/* journal.c */
enum err messages_journal(struct req *r); /* GET /staff/patients/:id/journal */

/* notify.c: delivering "You have a new message in Haven". */
/* A delivery backend: send hands the text to `to` (an address); 0, or -1 (logged). */
struct messages_backend {
    const char *name;
    int (*send)(const char *to, const char *text);
};
/* The backend the environment chooses (HAVEN_SMTP_URL; none without it), chosen once. */
const struct messages_backend *messages_backend(void);
/* Hands the one sentence a notification ever says to the backend, for address `to` (a
 * patient without an address gets nothing). 0, or -1 when nothing was sent. */
int messages_notify(const char *to);

#endif
