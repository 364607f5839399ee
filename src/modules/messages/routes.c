/* routes: the messages module's addresses, one row per action: the staff inbox and a thread
 * (a patient's counsellor, and administrators: the store shows each member only the threads
 * they may read), the answer (R_CSRF), and a patient's shared journal entries on the chart
 * (clinicians and medical staff). Admissions, billing and auditors open none of them. */
#include "modules/messages/messages.h"

#define TEXT_FORM 49152 /* 4000 characters, percent-encoded */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/staff/messages", .handler = messages_inbox,
     .roles = MESSAGES_ROLES, .view = "messages/inbox", .record = "message-thread",
     .nav = "Messages"},
    {.method = "GET", .pattern = "/staff/messages/:id", .handler = messages_thread,
     .roles = MESSAGES_ROLES, .view = "messages/thread", .record = "message-thread"},
    {.method = "POST", .pattern = "/staff/messages/:id", .handler = messages_reply,
     .body = BODY_FORM, .body_limit = TEXT_FORM, .roles = MESSAGES_ROLES, .flags = R_CSRF,
     .view = "messages/thread", .record = "message-thread"},
    {.method = "GET", .pattern = "/staff/patients/:id/journal", .handler = messages_journal,
     .roles = MESSAGES_JOURNAL_ROLES, .view = "messages/journal", .record = "patient"},
};

const struct route_table messages_routes = {rows, sizeof(rows) / sizeof(rows[0])};
