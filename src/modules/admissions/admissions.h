/* admissions: the handlers of the admissions screens (routes.c lists them, one row per action)
 * and the pieces the patients screens take from them. */
#ifndef HAVEN_ADMISSIONS_H
#define HAVEN_ADMISSIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"

/* queue.c: the referral queue and its JSON twin. */
enum err queue_page(struct req *r);           /* GET /staff/queue[?status=|?due=] */
enum err queue_api(struct req *r);            /* GET /api/v1/referrals */

/* What needs a call now, for the staff home: crisis requests nobody has reached yet (still
 * new), call-backs overdue (new, never called, past the overdue hours in business time; counted
 * up to ADMISSIONS_QUEUE_COUNT_MAX: overdue_more when there are more), and the signed-in
 * member's follow-ups due today or earlier. /staff/queue?due=crisis|overdue|mine lists each. */
struct admissions_due_counts {
    long crisis, overdue, mine;
    bool overdue_more;
};
/* Counts for r->user (counts name nobody: no audit entry). E_OK or E_DB. */
enum err admissions_due_count(struct req *r, struct admissions_due_counts *c);

/* referral.c: one referral (:id) and the changes made on its page. */
enum err referral_page(struct req *r);        /* GET /staff/referrals/:id */
enum err referral_post_call(struct req *r);   /* POST /staff/referrals/:id/calls */
enum err referral_post_status(struct req *r); /* POST /staff/referrals/:id/status */
enum err referral_post_assign(struct req *r); /* POST /staff/referrals/:id/assign */

/* intake.c: the intake and its level of care. */
enum err intake_page(struct req *r);          /* GET /staff/referrals/:id/intake */
enum err intake_post(struct req *r);          /* POST /staff/referrals/:id/intake */

/* admit.c: admitting the person as a patient. */
enum err admit_page(struct req *r);           /* GET /staff/referrals/:id/admit */
enum err admit_post(struct req *r);           /* POST /staff/referrals/:id/admit */

/* timeline.c: the timeline rows (from the store) as {when, text, reason, by}; new reference. */
json_t *timeline_view(struct req *r, const json_t *events);

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table admissions_routes;

#endif
