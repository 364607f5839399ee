/* messages: the patient's side of the messages with the care team (/me/messages): the threads
 * they started, a new one to their counsellor, a thread and its answer, and their choice to
 * hear of new messages (off until they turn it on). Text only, no attachments; every compose
 * screen says it is not for emergencies. Every thread is opened through the store with the
 * signed-in patient as the reader, so another patient's thread is "no such thread". */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "store/messages.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

#define THREAD "message-thread"

static struct message_reader me_of(struct req *r)
{
    return (struct message_reader){ .patient = auth_patient_id(r) };
}

/* Adds "when" (the clinic's time) to each object of list under key from. */
static void local_times(struct req *r, json_t *list, const char *from)
{
    json_t *x;
    size_t i;

    json_array_foreach(list, i, x)
        json_object_set_new(x, "when",
                            json_string(view_time(r, json_string_value(json_object_get(x, from)))));
}

/* A refusal of the audit trail: nothing is shown. */
static enum err unrecorded(struct req *r)
{
    r->model = NULL;
    r->message = AUDIT_UNRECORDED;
    return E_DB;
}

enum err portal_messages_page(struct req *r)
{
    struct message_reader me = me_of(r);
    json_t *m = req_model(r, portal_model(r, "Messages")), *list = NULL;
    bool on = false;

    if (store_message_threads(r->store, &me, MESSAGE_REPLY_HOURS_DEFAULT, 0, &list) != E_OK ||
        store_message_notify_get(r->store, me.patient, &on) != E_OK) {
        json_decref(list);
        r->model = NULL;
        return E_DB;
    }
    local_times(r, list, "last_at");
    json_object_set_new(m, "has_threads", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "threads", list);
    json_object_set_new(m, "notify", json_boolean(on));
    json_object_set_new(m, "notify_saved", json_boolean(req_query(r, "notify") != NULL));
    if (portal_audit(r, "list", THREAD, r->user->public_id, "ok") < 0)
        return unrecorded(r);
    return E_OK;
}

enum err portal_messages_new(struct req *r)
{
    req_model(r, portal_model(r, "Write to your counsellor"));
    return E_OK;
}

enum err portal_messages_post(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "Write to your counsellor"));
    const char *subject, *body;
    struct form f;
    char id[33], url[80];
    enum err e;

    form_init(&f, r, m);
    subject = form_text(&f, "subject", MESSAGE_SUBJECT_MAX, true, false,
                        "Give your message a short subject.");
    body = form_text(&f, "body", MESSAGE_BODY_MAX, true, true,
                     "Write your message (up to 4000 characters).");
    if (f.problems) {
        portal_audit(r, "create", THREAD, NULL, "invalid");
        return E_INVALID;
    }
    e = store_message_thread_start(r->store, auth_patient_id(r), subject, body,
                                   portal_entry(r, "create", THREAD, NULL, "ok"), id);
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, "create", THREAD, NULL, audit_outcome(e));
        r->message = "Your message could not be sent. Please try again in a minute.";
        return e == E_INVALID ? E_INVALID : E_DB;
    }
    snprintf(url, sizeof(url), "/me/messages/%s", id);
    resp_redirect(r, 303, url);
    return E_OK;
}

/* The thread :id into m (opened as the patient: marked read, audited). */
static enum err thread_into(struct req *r, json_t *m)
{
    struct message_reader me = me_of(r);
    const char *id = req_param(r, "id");
    json_t *t = NULL;
    enum err e = store_message_thread_open(r->store, id, &me,
                                           portal_entry(r, "view", THREAD, id, "ok"), &t);

    if (e != E_OK) {
        portal_audit(r, "view", THREAD, id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such conversation.";
        return e == E_NOTFOUND ? e : E_DB;
    }
    local_times(r, json_object_get(t, "messages"), "at");
    json_object_set_new(m, "thread", t);
    return E_OK;
}

enum err portal_messages_thread(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "Conversation"));
    enum err e = thread_into(r, m);

    if (e != E_OK)
        r->model = NULL;
    return e;
}

enum err portal_messages_reply(struct req *r)
{
    struct message_reader me = me_of(r);
    const char *id = req_param(r, "id"), *body;
    json_t *m = req_model(r, portal_model(r, "Conversation"));
    char url[80];
    struct form f;
    enum err e;

    form_init(&f, r, m);
    body = form_text(&f, "body", MESSAGE_BODY_MAX, true, true,
                     "Write your message (up to 4000 characters).");
    if (f.problems) {
        portal_audit(r, "update", THREAD, id, "invalid");
        if ((e = thread_into(r, m)) != E_OK)
            r->model = NULL;
        return e != E_OK ? e : E_INVALID;
    }
    e = store_message_reply(r->store, id, &me, body, portal_entry(r, "update", THREAD, id, "ok"),
                            NULL, NULL, 0);
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, "update", THREAD, id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such conversation."
                                     : "Your message could not be sent. Please try again.";
        return e == E_NOTFOUND || e == E_INVALID ? e : E_DB;
    }
    snprintf(url, sizeof(url), "/me/messages/%s#last", id);
    resp_redirect(r, 303, url);
    return E_OK;
}

enum err portal_messages_notify(struct req *r)
{
    const char *v = req_form(r, "notify");
    enum err e;

    if (!v || (strcmp(v, "yes") && strcmp(v, "no"))) {
        portal_audit(r, "update", "portal-prefs", r->user->public_id, "invalid");
        r->message = "Choose whether to hear about new messages.";
        return E_INVALID;
    }
    e = store_message_notify_set(r->store, auth_patient_id(r), !strcmp(v, "yes"),
                                 portal_entry(r, "update", "portal-prefs", r->user->public_id,
                                              "ok"));
    if (e != E_OK) {
        portal_audit(r, "update", "portal-prefs", r->user->public_id, audit_outcome(e));
        return E_DB;
    }
    resp_redirect(r, 303, "/me/messages?notify=saved");
    return E_OK;
}
