/* staff_home: the staff workspace's home screen: Today for those who run the program (today's
 * sessions with their rosters and attendance, and the alerts: modules/calendar/today.c), or
 * links to their screens for those who do not (billing, auditors); who is signed in, what
 * needs action now for
 * those who work the referral queue (crisis requests nobody has reached, call-backs overdue,
 * their own follow-ups due, each a link to the queue filtered to it; the menu in the frame
 * lists the screens, so the home screen does not repeat it), and their own account: the second
 * factor, how many recovery codes are left (a warning when few), new recovery codes and
 * signing out everywhere. */
#include "modules/account/account.h"

#include <stdio.h>

#include "http/resp.h"
#include "modules/admissions/admissions.h"
#include "modules/admissions/common.h"
#include "modules/calendar/calendar.h"
#include "store/staff.h"
#include "web/auth.h"
#include "web/principal.h"
#include "web/view.h"

/* Fewer recovery codes than this left: the home screen says so. */
#define RECOVERY_LOW 3

/* Who is assigned referrals, and so has follow-ups of their own (store_adm_assign). */
#define HOME_ASSIGNED_ROLES (ROLE_ADMISSIONS | ROLE_CLINICIAN)

enum err staff_home_redirect(struct req *r)
{
    resp_redirect(r, 303, "/staff/");
    return E_OK;
}

/* One count as {n, text, any}: "1 crisis request", "3 crisis requests", "more than 10000 ...". */
static json_t *count(long n, bool more, const char *one, const char *many)
{
    char text[160];

    snprintf(text, sizeof(text), "%s%ld %s", more ? "more than " : "", n, n == 1 ? one : many);
    return json_pack("{s:I, s:s, s:b}", "n", (json_int_t)n, "text", text, "any", n > 0);
}

/* The "needs action now" counts, for members who work the queue. */
static void home_due(struct req *r, json_t *m)
{
    struct admissions_due_counts c;
    json_t *due;

    if (!auth_can(r, ADM_QUEUE_ROLES))
        return;
    if (admissions_due_count(r, &c) != E_OK) {
        json_object_set_new(m, "due_unread", json_true());
        return;
    }
    due = json_pack("{s:o, s:o, s:i}", "crisis",
                    count(c.crisis, false, "crisis request nobody has reached yet",
                          "crisis requests nobody has reached yet"),
                    "overdue",
                    count(c.overdue, c.overdue_more, "call-back overdue", "call-backs overdue"),
                    "overdue_hours", admissions_overdue_hours(r));
    if (auth_can(r, HOME_ASSIGNED_ROLES))
        json_object_set_new(due, "mine", count(c.mine, false, "follow-up of yours due",
                                               "follow-ups of yours due"));
    json_object_set_new(m, "due", due);
}

enum err staff_home_page(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Staff workspace"));
    struct staff_user u = {0};
    int left = -1;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) == E_OK && u.totp_enabled &&
        store_recovery_left(r->store, u.id, &left) == E_OK)
        json_object_set_new(m, "recovery_left", json_integer(left));
    json_object_set_new(m, "totp_enabled", json_boolean(u.totp_enabled));
    json_object_set_new(m, "recovery_low", json_boolean(left >= 0 && left < RECOVERY_LOW));
    home_due(r, m);
    if (calendar_today(r, m) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    return E_OK;
}
