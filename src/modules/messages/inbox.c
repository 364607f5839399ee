/* inbox: the staff inbox of patients' messages (/staff/messages): the threads of the member's
 * own patients (all of them for an administrator), newest activity first, each with its
 * unread count and, when the patient has waited longer than the clinic's response-time target
 * (message_reply_hours), marked overdue; a thread (/staff/messages/:id), opened as the member
 * (read marks only when the member is the patient's counsellor) and answered in place. Every
 * list, read and answer is audited; a thread the member may not read is "no such thread". */
#include "modules/messages/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/resp.h"
#include "store/messages.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

#define THREAD "message-thread"

static struct message_reader reader_of(struct req *r)
{
    return (struct message_reader){ .user = auth_user_id(r), .admin = auth_can(r, ROLE_ADMIN) };
}

/* The clinic's response-time target in hours (1-720; else the default). */
static long reply_hours(struct req *r)
{
    char v[16];
    long h = 0;

    if (store_setting_get(r->store, "message_reply_hours", v, sizeof(v)) == E_OK)
        h = strtol(v, NULL, 10);
    return h >= 1 && h <= 720 ? h : MESSAGE_REPLY_HOURS_DEFAULT;
}

/* Adds "when" (the clinic's time of key) to each object of list. */
static void local_times(struct req *r, json_t *list, const char *key)
{
    json_t *x;
    size_t i;

    json_array_foreach(list, i, x)
        json_object_set_new(x, "when",
                            json_string(view_time(r, json_string_value(json_object_get(x, key)))));
}

enum err messages_inbox(struct req *r)
{
    struct message_reader me = reader_of(r);
    json_t *m, *list = NULL, *t;
    long hours = reply_hours(r), unread = 0, overdue = 0;
    size_t i;

    if (store_message_threads(r->store, &me, hours, (long)time(NULL), &list) != E_OK ||
        store_message_unread(r->store, &me, &unread) != E_OK) {
        json_decref(list);
        audit_record(r, "list", THREAD, NULL, "error");
        return E_DB;
    }
    local_times(r, list, "last_at");
    json_array_foreach(list, i, t)
        overdue += json_is_true(json_object_get(t, "overdue"));
    m = req_model(r, view_staff_model(r, "Messages"));
    json_object_set_new(m, "has_threads", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "threads", list);
    json_object_set_new(m, "unread", json_integer(unread));
    json_object_set_new(m, "overdue", json_integer(overdue));
    json_object_set_new(m, "reply_hours", json_integer(hours));
    json_object_set_new(m, "all", json_boolean(me.admin));
    if (audit_record(r, "list", THREAD, NULL, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* The thread :id into m, opened as the member (audited in the store's transaction). */
static enum err thread_into(struct req *r, json_t *m)
{
    struct message_reader me = reader_of(r);
    const char *id = req_param(r, "id");
    json_t *t = NULL;
    enum err e = store_message_thread_open(r->store, id, &me, audit_entry(r, "view", THREAD, id),
                                           &t);

    if (e != E_OK) {
        audit_record(r, "view", THREAD, id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such conversation among your patients' messages.";
        return e == E_NOTFOUND ? e : E_DB;
    }
    local_times(r, json_object_get(t, "messages"), "at");
    json_object_set_new(m, "thread", t);
    json_object_set_new(m, "sent", json_boolean(req_query(r, "sent") != NULL));
    return E_OK;
}

enum err messages_thread(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Messages"));
    enum err e = thread_into(r, m);

    if (e != E_OK)
        r->model = NULL;
    return e;
}

enum err messages_reply(struct req *r)
{
    struct message_reader me = reader_of(r);
    const char *id = req_param(r, "id"), *body;
    json_t *m = req_model(r, view_staff_model(r, "Messages"));
    char url[96], email[256];
    bool notify = false;
    struct form f;
    enum err e;

    form_init(&f, r, m);
    body = form_text(&f, "body", MESSAGE_BODY_MAX, true, true,
                     "Write the answer (up to 4000 characters).");
    if (f.problems) {
        audit_record(r, "update", THREAD, id, "invalid");
        if ((e = thread_into(r, m)) != E_OK)
            r->model = NULL;
        return e != E_OK ? e : E_INVALID;
    }
    e = store_message_reply(r->store, id, &me, body, audit_entry(r, "update", THREAD, id),
                            &notify, email, sizeof(email));
    r->model = NULL;
    if (e != E_OK) {
        audit_record(r, "update", THREAD, id, audit_outcome(e));
        r->message = e == E_NOTFOUND ? "There is no such conversation among your patients' "
                                       "messages."
                                     : NULL;
        return e == E_NOTFOUND || e == E_INVALID ? e : E_DB;
    }
    if (notify)
        messages_notify(email);
    snprintf(url, sizeof(url), "/staff/messages/%s?sent=1#last", id);
    resp_redirect(r, 303, url);
    return E_OK;
}
