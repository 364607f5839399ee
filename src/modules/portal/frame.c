/* frame: what every portal page shares: its model (the frame's switch, the CSRF token, the
 * patient's first name and the portal's menu, made from the route table), the audit entries
 * that name the patient as their author, and the clinic's date. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "http/csrf.h"
#include "store/audit.h"
#include "store/clinic.h"
#include "store/portal.h"
#include "web/app.h"
#include "web/audit.h"
#include "web/auth.h"

/* The portal's menu: rows that need a signed-in patient and carry a label, in table order. */
static json_t *nav_of(struct req *r)
{
    json_t *nav = json_array();

    for (const struct route_table *const *t = r->app->routes; t && *t; t++)
        for (size_t i = 0; i < (*t)->n; i++) {
            const struct route *rt = &(*t)->routes[i];
            if (rt->nav && (rt->flags & R_PATIENT) && strcmp(rt->method, "GET") == 0)
                json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", rt->pattern,
                                                     "label", rt->nav, "current",
                                                     strcmp(r->path, rt->pattern) == 0));
        }
    return nav;
}

json_t *portal_model(struct req *r, const char *heading)
{
    bool patient = auth_patient_id(r) > 0;
    json_t *m = json_pack("{s:b, s:s, s:s}", "portal", 1, "heading", heading, "csrf",
                          patient ? r->user->csrf : csrf_token(r));

    if (patient) {
        json_object_set_new(m, "me", json_pack("{s:s}", "first_name", r->user->name));
        json_object_set_new(m, "nav", nav_of(r));
    }
    return m;
}

const struct audit_entry *portal_entry(struct req *r, const char *action, const char *type,
                                       const char *id, const char *outcome)
{
    struct audit_entry *a = arena_alloc(r->arena, sizeof(*a));

    audit_entry_of(r, a, action, type, id, outcome);
    /* A patient holds no staff role: the trail says "patient" (web/audit.c knows staff roles
     * only), and never a users.id. */
    if (auth_patient_id(r) > 0) {
        a->roles = "patient";
        a->user_id = 0;
    }
    return a;
}

int portal_audit(struct req *r, const char *action, const char *type, const char *id,
                 const char *outcome)
{
    if (store_audit_append(r->store, portal_entry(r, action, type, id, outcome)) != E_OK) {
        log_error("audit: portal %s %s %s not recorded", action, type, id ? id : "-");
        return -1;
    }
    return 0;
}

caldate portal_today(char *text)
{
    char day[11];
    caldate d = 0;

    timefmt_today(time(NULL), day);
    if (!caldate_parse(day, &d))
        log_error("portal: today's date does not parse");
    if (text)
        memcpy(text, day, sizeof(day));
    return d;
}

enum err portal_help(struct req *r, json_t *m, bool used)
{
    char name[256];
    struct clinic c;

    if (store_portal_counsellor(r->store, auth_patient_id(r), name, sizeof(name)) != E_OK ||
        store_clinic_get(r->store, &c) != E_OK)
        return E_DB;
    json_object_set_new(m, "help",
                        json_pack("{s:s, s:s, s:s, s:s, s:b}", "counsellor", name, "clinic", c.name,
                                  "phone", c.phone, "phone_digits", c.phone_digits, "used", used));
    return E_OK;
}
