/* skills: the skills library as patients read it (/me/skills, /me/skills/:id): the clinic's
 * short exercises and readings, hidden ones left out, each with its source. The library holds
 * no patient data; reads are audited like every portal page. */
#include "modules/recovery/recovery.h"

#include "modules/portal/portal.h"
#include "store/recovery.h"
#include "web/audit.h"
#include "web/auth.h"

enum err recovery_skills_page(struct req *r)
{
    json_t *list = NULL, *m;

    if (portal_audit(r, "view", "skill", NULL, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if (store_recovery_skills(r->store, false, &list) != E_OK)
        return E_DB;
    m = req_model(r, portal_model(r, "Skills"));
    json_object_set_new(m, "skills", list);
    return E_OK;
}

enum err recovery_skill_page(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *s = NULL, *m;
    enum err e = store_recovery_skill(r->store, id, false, &s);

    if (portal_audit(r, "view", "skill", id, audit_outcome(e)) < 0 && e == E_OK) {
        json_decref(s);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    if (e != E_OK) {
        r->message = "There is no such skill.";
        return e == E_NOTFOUND ? E_NOTFOUND : E_DB;
    }
    m = req_model(r, portal_model(r, json_string_value(json_object_get(s, "title"))));
    json_object_set_new(s, "paragraphs",
                        recovery_paragraphs(json_string_value(json_object_get(s, "body"))));
    json_object_set_new(m, "skill", s);
    return E_OK;
}
