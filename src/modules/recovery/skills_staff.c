/* skills_staff: the skills library on the staff side (/staff/skills), for administrators and
 * clinicians: the whole list with hidden ones marked, a form to add or edit a skill (title,
 * summary, text, source, kind, place in the list), and hiding or showing one. The library
 * holds no patient data; every write is audited in its transaction. */
#include "modules/recovery/recovery.h"

#include <stdio.h>
#include <string.h>

#include "domain/recovery.h"
#include "http/resp.h"
#include "store/recovery.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

enum err recovery_skills_staff(struct req *r)
{
    json_t *list = NULL, *m;

    if (store_recovery_skills(r->store, true, &list) != E_OK)
        return E_DB;
    m = req_model(r, view_staff_model(r, "Skills library"));
    json_object_set_new(m, "skills", list);
    json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
    return E_OK;
}

/* The kind's option selected, from the form's values. */
static void kind_flags(json_t *m)
{
    const char *k = json_string_value(json_object_get(json_object_get(m, "form"), "kind"));

    json_object_set_new(m, "kind_exercise", json_boolean(!k || !strcmp(k, "exercise")));
    json_object_set_new(m, "kind_reading", json_boolean(k && !strcmp(k, "reading")));
}

/* The form's page model: a new skill (id NULL) or skill s's values. */
static json_t *form_model(struct req *r, const char *id, const json_t *s)
{
    json_t *m = view_staff_model(r, id ? "Edit a skill" : "Add a skill");

    json_object_set_new(m, "skill_id", id ? json_string(id) : json_null());
    json_object_set_new(m, "form", s ? json_deep_copy(s) : json_pack("{s:s, s:i}", "kind",
                                                                     "exercise", "position", 100));
    kind_flags(m);
    return m;
}

enum err recovery_skill_new(struct req *r)
{
    req_model(r, form_model(r, NULL, NULL));
    return E_OK;
}

enum err recovery_skill_edit(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *s = NULL;
    enum err e = store_recovery_skill(r->store, id, true, &s);

    if (e != E_OK) {
        r->message = "There is no such skill.";
        return e == E_NOTFOUND ? E_NOTFOUND : E_DB;
    }
    req_model(r, form_model(r, id, s));
    json_decref(s);
    return E_OK;
}

/* The posted skill into in; problems in f. */
static void check(struct form *f, struct recovery_skill_in *in)
{
    static const char *const kinds[] = {"exercise", "reading", NULL};
    static const struct {
        const char *name;
        enum recovery_skill_field field;
        bool multiline;
    } fields[] = {
        {"title", RECOVERY_SKILL_TITLE, false},
        {"summary", RECOVERY_SKILL_SUMMARY, false},
        {"body", RECOVERY_SKILL_BODY, true},
        {"source", RECOVERY_SKILL_SOURCE, false},
    };
    const char **out[] = {&in->title, &in->summary, &in->body, &in->source};
    const char *why, *pos;

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        *out[i] = form_text(f, fields[i].name, (size_t)recovery_skill_max(fields[i].field) * 4,
                            false, fields[i].multiline, NULL);
        if ((why = recovery_skill_problem(fields[i].field, *out[i])))
            form_problem(f, fields[i].name, why);
    }
    in->kind = form_choice(f, "kind", kinds, true, "Choose exercise or reading.");
    pos = form_text(f, "position", 8, true, false, "Give its place in the list (0 to 9999).");
    if (pos && !recovery_skill_position_parse(pos, &in->position))
        form_problem(f, "position", "The place in the list is a whole number from 0 to 9999.");
}

/* Saves the posted skill (id NULL: a new one); 303 to the list, or the form again. */
static enum err save(struct req *r, const char *id)
{
    struct recovery_skill_in in = {0};
    char made[33];
    struct form f;
    enum err e;

    form_init(&f, r, req_model(r, form_model(r, id, NULL)));
    check(&f, &in);
    if (f.problems) {
        kind_flags(r->model);
        audit_record(r, id ? "update" : "create", "skill", id, "invalid");
        return E_INVALID;
    }
    e = id ? store_recovery_skill_update(r->store, id, &in, auth_user_id(r),
                                         audit_entry(r, "update", "skill", id))
           : store_recovery_skill_add(r->store, &in, auth_user_id(r),
                                      audit_entry(r, "create", "skill", NULL), made);
    if (e != E_OK) {
        r->model = NULL;
        audit_record(r, id ? "update" : "create", "skill", id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such skill." : NULL;
        return e == E_NOTFOUND ? E_NOTFOUND : E_DB;
    }
    resp_redirect(r, 303, "/staff/skills?saved=1");
    return E_OK;
}

enum err recovery_skill_create(struct req *r)
{
    return save(r, NULL);
}

enum err recovery_skill_update(struct req *r)
{
    return save(r, req_param(r, "id"));
}

enum err recovery_skill_visibility(struct req *r)
{
    const char *id = req_param(r, "id"), *v = req_form(r, "hidden");
    bool hide = v && !strcmp(v, "yes");
    const char *action = hide ? "hide" : "show";
    enum err e;

    e = store_recovery_skill_hide(r->store, id, hide, auth_user_id(r),
                                  audit_entry(r, action, "skill", id));
    if (e != E_OK) {
        audit_record(r, action, "skill", id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such skill." : NULL;
        return e == E_NOTFOUND ? E_NOTFOUND : E_DB;
    }
    resp_redirect(r, 303, "/staff/skills?saved=1");
    return E_OK;
}
