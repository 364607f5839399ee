/* common: what the plans module's files share: the clinic's date, the audited read, a store
 * failure as the answer (JSON body for the API, a sentence for pages), and the plan's
 * blockers and dimension names as the screens and API show them. */
#include "modules/plans/plans.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/messages.h"
#include "domain/plan.h"
#include "modules/program/program.h"
#include "web/audit.h"

const char *plans_today(char *out)
{
    return timefmt_today(time(NULL), out);
}

int plans_audit_read(struct req *r, const char *type, const char *id)
{
    if (audit_record(r, "view", type, id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return -1;
    }
    return 0;
}

enum err plans_shown(struct req *r, enum err e, json_t *out, const char *type, const char *id)
{
    if (e != E_OK)
        return plans_failed(r, e, NULL, "view", type, id);
    if (plans_audit_read(r, type, id) < 0) {
        json_decref(out);
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}

enum err plans_failed(struct req *r, enum err e, const struct program_why *why,
                      const char *action, const char *type, const char *id)
{
    const struct route *rt = r->route;

    audit_record(r, action, type, id, e == E_FORBIDDEN ? "denied" : audit_outcome(e));
    r->model = NULL;
    if (e != E_NOTFOUND && e != E_CONFLICT && e != E_INVALID)
        return E_DB;
    if (why && why->field[0]) {
        if (rt && (rt->flags & R_JSON))
            req_model(r, json_pack("{s:s, s:[{s:s, s:s}]}", "error",
                                   e == E_CONFLICT ? "conflict" : "invalid", "details", "field",
                                   why->field, "message", why->message));
        else
            r->message = arena_strdup(r->arena, why->message);
    }
    return e;
}

enum err plans_why(struct program_why *why, enum err e, const char *field, const char *message)
{
    snprintf(why->field, sizeof(why->field), "%s", field);
    snprintf(why->message, sizeof(why->message), "%s", message);
    return e;
}

const char *plans_body_choice(struct body *b, const char *key, const char *const *allowed,
                              const char *message, const char *needs, long max,
                              const char *missing, const char **reason)
{
    const char *v = body_text(b, key, 32, true, message), *why;
    size_t i;

    for (i = 0; v && allowed[i] && strcmp(v, allowed[i]); i++)
        ;
    if (v && !allowed[i]) {
        body_problem(b, key, message);
        v = NULL;
    }
    why = body_text(b, "reason", max, false, "Give the reason on one line, within the limit.");
    if (v && !strcmp(v, needs) && !why && !body_has(b, "reason"))
        body_problem(b, "reason", missing);
    *reason = v && !strcmp(v, needs) ? why : NULL;
    return v;
}

json_t *plans_blockers(const json_t *plan)
{
    struct plan_blocker b[64];
    char message[160], field[96];
    json_t *out = json_array();
    size_t n = plan_blockers(json_object_get(plan, "problems"), b, 64);

    for (size_t i = 0; i < n && i < 64; i++) {
        plan_blocker_words(&b[i], message, sizeof(message), field, sizeof(field));
        json_array_append_new(out, json_pack("{s:s, s:s}", "field", field, "message", message));
    }
    return out;
}

const char *plans_dimension_name(int dim)
{
    char key[32];
    const char *name;

    snprintf(key, sizeof(key), "dimension.%d.name", dim);
    name = msg(key);
    return name ? name : "ASAM dimension";
}
