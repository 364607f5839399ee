/* journal: the patient's journal (/me/journal): private entries of up to 4000 characters with
 * their date; for each one the patient chooses whether their counsellor may read it (off
 * unless ticked) and may change that later (/me/journal/:id/sharing, the entry looked up among
 * the signed-in patient's own, so another patient's id is "no such entry"). Staff read only
 * shared entries (modules/messages/journal.c) and never change or delete one. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "store/journal.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

/* The page: the form (values from f's scratch when it came back) and the patient's entries. */
static enum err page_model(struct req *r, json_t *m)
{
    json_t *list = NULL, *e;
    size_t i;

    if (store_journal_list(r->store, auth_patient_id(r), false, &list) != E_OK)
        return E_DB;
    json_array_foreach(list, i, e) json_object_set_new(
        e, "written",
        json_string(view_time(r, json_string_value(json_object_get(e, "created_at")))));
    json_object_set_new(m, "has_entries", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "entries", list);
    json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
    return E_OK;
}

enum err portal_journal_page(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "My journal")), *form;
    char today[11];

    portal_today(today);
    form = json_pack("{s:s}", "day", today);
    json_object_set_new(m, "form", form);
    if (page_model(r, m) != E_OK ||
        portal_audit(r, "view", "journal", r->user->public_id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err portal_journal_post(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "My journal"));
    const char *day, *body;
    char today[11], id[33];
    struct form f;
    bool shared;
    enum err e;

    portal_today(today);
    form_init(&f, r, m);
    day = form_date(&f, "day", true, "Give the day this entry is about.");
    if (day && strcmp(day, today) > 0)
        form_problem(&f, "day", "The day cannot be after today.");
    body = form_text(&f, "body", JOURNAL_BODY_MAX, true, true,
                     "Write something first (up to 4000 characters).");
    shared = form_checked(&f, "shared");
    if (f.problems) {
        portal_audit(r, "create", "journal-entry", NULL, "invalid");
        return page_model(r, m) == E_OK ? E_INVALID : E_DB;
    }
    e = store_journal_add(r->store, auth_patient_id(r), day, body, shared,
                          portal_entry(r, "create", "journal-entry", NULL, "ok"), id);
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, "create", "journal-entry", NULL, audit_outcome(e));
        r->message = "Your entry could not be saved. Please try again in a minute.";
        return e == E_INVALID ? E_INVALID : E_DB;
    }
    resp_redirect(r, 303, "/me/journal?saved=1#entries");
    return E_OK;
}

enum err portal_journal_sharing(struct req *r)
{
    const char *id = req_param(r, "id"), *v = req_form(r, "shared");
    char url[80];
    enum err e;

    if (!v || (strcmp(v, "yes") && strcmp(v, "no"))) {
        portal_audit(r, "update", "journal-entry", id, "invalid");
        r->message = "Choose whether your counsellor may read this entry.";
        return E_INVALID;
    }
    e = store_journal_share(r->store, auth_patient_id(r), id, !strcmp(v, "yes"),
                            portal_entry(r, "update", "journal-entry", id, "ok"));
    if (e != E_OK) {
        portal_audit(r, "update", "journal-entry", id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such entry in your journal.";
        return e == E_NOTFOUND ? e : E_DB;
    }
    snprintf(url, sizeof(url), "/me/journal#entry-%s", id);
    resp_redirect(r, 303, url);
    return E_OK;
}
