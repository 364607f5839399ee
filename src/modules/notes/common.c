/* common: what the notes module's handlers share: the password again before a signature, the
 * store's refusals as answers, the audit entry of a read, and a note made ready for a page
 * (times in the clinic's zone, a flag per state). */
#include "modules/notes/notes.h"

#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/timefmt.h"
#include "modules/account/account.h"
#include "modules/program/program.h"
#include "web/audit.h"
#include "web/view.h"

enum err notes_password(struct req *r, const char *password, const char *what, bool json)
{
    enum err e = account_reconfirm(r, password, what);

    if (e == E_DENIED) {
        /* 422, not 401: the session is fine, the signature's password is not. */
        if (json)
            return program_invalid(r, "password", "That password is not right.");
        return E_INVALID;
    }
    return e == E_OK ? E_OK : E_DB;
}

caldate notes_today(void)
{
    return program_today();
}

enum err notes_refused(struct req *r, enum err e, const struct program_why *why,
                       const char *action, const char *id)
{
    if (r->route && (r->route->flags & R_JSON))
        return program_refused(r, e, why, action, "note", id);
    audit_record(r, action, "note", id, e == E_FORBIDDEN ? "denied" : audit_outcome(e));
    r->model = NULL;
    if (why && why->message[0] && (e == E_INVALID || e == E_CONFLICT || e == E_FORBIDDEN))
        r->message = arena_strdup(r->arena, why->message);
    if (e != E_NOTFOUND && e != E_CONFLICT && e != E_INVALID && e != E_FORBIDDEN)
        e = E_DB;
    return e;
}

/* The choices of a list as [{value, label}]. */
static json_t *choices(const char *(*at)(size_t), const char *(*label)(const char *))
{
    json_t *out = json_array();
    const char *v;

    for (size_t i = 0; (v = at(i)); i++)
        json_array_append_new(out, json_pack("{s:s, s:s}", "value", v, "label", label(v)));
    return out;
}

json_t *notes_page_model(struct req *r, const char *title)
{
    json_t *m = view_staff_model(r, title);

    json_object_set_new(m, "choices",
                        json_pack("{s:o, s:o}", "participation",
                                  choices(note_participation_at, note_participation_label),
                                  "progress", choices(note_progress_at, note_progress_label)));
    return m;
}

int notes_audit_read(struct req *r, const json_t *notes)
{
    json_t *items = json_array();
    const json_t *n;
    size_t i;
    int rc;

    json_array_foreach(notes, i, n)
        json_array_append_new(items, json_pack("{s:O}", "public_id", json_object_get(n, "id")));
    rc = audit_list(r, "note", items);
    json_decref(items);
    return rc;
}

/* Sets key_text to the stored time at key shown in the clinic's zone, when there is one. */
static void shown(struct req *r, json_t *o, const char *key, const char *as)
{
    const char *v = json_string_value(json_object_get(o, key));

    if (v)
        json_object_set_new(o, as, json_string(view_time(r, v)));
}

static const char *kind_label(const char *kind)
{
    static const char *const labels[][2] = {{"group", "Group note"},
                                            {"individual", "Individual note"},
                                            {"family", "Family note"},
                                            {"medication", "Medication note"}};

    for (size_t i = 0; kind && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (!strcmp(labels[i][0], kind))
            return labels[i][1];
    return "Note";
}

/* Flags for a section shown on a page. */
static void section_view(struct req *r, json_t *sec)
{
    const char *risk = json_string_value(json_object_get(sec, "risk"));

    if (!json_is_object(sec))
        return;
    shown(r, sec, "signed_at", "signed_text");
    json_object_set_new(sec, "concern", json_boolean(risk && !strcmp(risk, "concern")));
}

void notes_view(struct req *r, json_t *note)
{
    const char *state = json_string_value(json_object_get(note, "state"));
    const char *kind = json_string_value(json_object_get(note, "kind"));
    json_t *it;
    size_t i;

    json_object_set_new(note, "kind_label", json_string(kind_label(kind)));
    json_object_set_new(note, "is_group", json_boolean(kind && !strcmp(kind, "group")));
    json_object_set_new(note, "draft", json_boolean(state && !strcmp(state, "draft")));
    json_object_set_new(note, "signed", json_boolean(state && strcmp(state, "draft")));
    json_object_set_new(note, "awaiting_cosign",
                        json_boolean(state && !strcmp(state, "awaiting-cosign")));
    json_object_set_new(note, "has_addenda",
                        json_boolean(json_array_size(json_object_get(note, "addenda")) > 0));
    json_object_set_new(note, "has_progress",
                        json_boolean(json_array_size(json_object_get(note, "progress")) > 0));
    shown(r, note, "signed_at", "signed_text");
    shown(r, note, "cosigned_at", "cosigned_text");
    shown(r, note, "due_at", "due_text");
    json_array_foreach(json_object_get(note, "addenda"), i, it)
        shown(r, it, "signed_at", "signed_text");
    json_array_foreach(json_object_get(note, "sections"), i, it)
        section_view(r, it);
    section_view(r, json_object_get(note, "section"));
}
