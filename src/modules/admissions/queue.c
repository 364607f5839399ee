/* queue: the admissions queue (crisis first, then overdue, then oldest) and its JSON twin. Every
 * referral listed is audited, one entry each, before anything is shown. */
#include "modules/admissions/admissions.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/referral_flow.h"
#include "store/admissions.h"
#include "modules/admissions/common.h"
#include "web/view.h"
#include "web/audit.h"

struct queue_row {
    struct referral_flow_rank rank;
    json_t *item;
};

static int queue_cmp(const void *a, const void *b)
{
    return referral_flow_queue_cmp(&((const struct queue_row *)a)->rank,
                                   &((const struct queue_row *)b)->rank);
}

/* One referral of the store's queue as a display item, with its rank in the queue; NULL when it
 * does not fit the item's model. */
static json_t *queue_item(struct req *r, const json_t *row, time_t now, int hours,
                          struct referral_flow_rank *rank)
{
    const char *status = json_string_value(json_object_get(row, "status"));
    const char *created = json_string_value(json_object_get(row, "created_at"));
    const char *first = json_string_value(json_object_get(row, "first_call_at"));
    const char *level = json_string_value(json_object_get(row, "level"));
    bool crisis, overdue;
    json_t *flags = admissions_flags(json_object_get(row, "flags"), &crisis);
    enum referral_status st = REFERRAL_NEW;

    /* The store's marker (migration 0008) and the flags agree; either makes it crisis. */
    crisis |= json_is_true(json_object_get(row, "crisis"));
    referral_flow_status_parse(status, &st);
    overdue = st == REFERRAL_NEW &&
              referral_flow_overdue_local(referral_flow_parse_utc(created),
                                          first && *first ? referral_flow_parse_utc(first) : -1,
                                          now, admissions_clock(), hours);
    *rank = (struct referral_flow_rank){crisis, overdue, referral_flow_parse_utc(created)};
    return json_pack(
        "{s:O, s:O, s:O, s:O, s:s, s:s, s:o, s:b, s:b, s:s, s:b, s:s, s:s, s:O, s:s, s:O, s:O}",
        "public_id", json_object_get(row, "public_id"), "name", json_object_get(row, "name"),
        "phone", json_object_get(row, "phone"), "email", json_object_get(row, "email"), "level",
        level, "level_title", admissions_level_title(level), "flags", flags, "crisis", crisis,
        "overdue", overdue, "best_time",
        referral_flow_best_time_label(json_string_value(json_object_get(row, "best_time"))),
        "voicemail_ok", json_is_true(json_object_get(row, "voicemail_ok")), "age",
        admissions_age(r, created, now), "created", view_time(r, created), "status",
        json_object_get(row, "status"), "status_label", referral_flow_status_label(st), "assignee",
        json_object_get(row, "assignee"), "next_follow_up", json_object_get(row, "next_follow_up"));
}

/* The queue's rows as display items, in queue order (crisis, overdue, oldest); NULL when one
 * does not fit its model (then nothing is shown: a queue missing a row is worse than none). */
static json_t *queue_items(struct req *r, json_t *rows)
{
    size_t n = json_array_size(rows), i;
    struct queue_row *q = arena_alloc(r->arena, (n ? n : 1) * sizeof(*q));
    int hours = admissions_overdue_hours(r);
    time_t now = time(NULL);
    json_t *row, *out;
    bool ok = true;

    json_array_foreach(rows, i, row) {
        q[i].item = queue_item(r, row, now, hours, &q[i].rank);
        ok &= q[i].item != NULL;
    }
    if (!ok) {
        for (i = 0; i < n; i++)
            json_decref(q[i].item);
        log_error("queue: a referral does not fit the queue's model");
        return NULL;
    }
    qsort(q, n, sizeof(*q), queue_cmp);
    out = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(out, q[i].item);
    return out;
}

static const char *status_filter(struct req *r)
{
    const char *s = req_query(r, "status");
    enum referral_status st;

    if (s && referral_flow_status_parse(s, &st) == E_OK)
        return referral_flow_status_name(st);
    return NULL; /* every open referral */
}

/* The queue as display items with its total, every one audited as listed; on failure r->message
 * says why, in the page's words or the API's. */
static enum err queue_load(struct req *r, const char *status, bool api, json_t **items,
                           long *total)
{
    json_t *rows = NULL;

    if (store_adm_queue(r->store, status, &rows, total) != E_OK ||
        !(*items = queue_items(r, rows))) {
        json_decref(rows);
        audit_record(r, "list", "referral", NULL, "error");
        r->message = api ? "The queue could not be read."
                         : "The queue could not be read. Please try again in a minute.";
        return E_DB;
    }
    json_decref(rows);
    if (audit_list(r, "referral", *items) < 0) {
        json_decref(*items);
        r->message = api ? "The queue could not be recorded in the audit trail."
                         : AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* The status filter's choices: every open referral, or one status. */
static json_t *queue_filters(const char *status)
{
    json_t *filters = json_array();

    json_array_append_new(filters, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                             "All open", "selected", status == NULL));
    for (int i = 0; i < REFERRAL_N_STATUS; i++)
        json_array_append_new(filters,
                              json_pack("{s:s, s:s, s:b}", "value", referral_flow_status_name(i),
                                        "label", referral_flow_status_label(i), "selected",
                                        status && !strcmp(status, referral_flow_status_name(i))));
    return filters;
}

enum err queue_page(struct req *r)
{
    const char *status = status_filter(r);
    json_t *items = NULL, *m;
    long total = 0;
    size_t shown;
    enum err e;

    if ((e = queue_load(r, status, false, &items, &total)) != E_OK)
        return e;
    shown = json_array_size(items);
    m = req_model(r, admissions_model(r, "Admissions queue"));
    json_object_set_new(m, "filters", queue_filters(status));
    json_object_set_new(m, "referrals", items);
    json_object_set_new(m, "overdue_hours", json_integer(admissions_overdue_hours(r)));
    json_object_set_new(m, "empty", json_boolean(shown == 0));
    /* "N more not shown": the page lists every crisis referral and the oldest others. */
    json_object_set_new(m, "total", json_integer(total));
    json_object_set_new(m, "shown", json_integer((json_int_t)shown));
    /* absent, not 0, when nothing is hidden: a template section shows for any number */
    if (total > (long)shown)
        json_object_set_new(m, "more", json_integer(total - (long)shown));
    /* Counted up to a maximum: "more than N" then. */
    json_object_set_new(m, "more_at_least", json_boolean(total > ADMISSIONS_QUEUE_COUNT_MAX));
    return E_OK;
}

enum err queue_api(struct req *r)
{
    json_t *items = NULL;
    long total = 0;
    size_t shown;
    enum err e;

    if ((e = queue_load(r, status_filter(r), true, &items, &total)) != E_OK)
        return e;
    shown = json_array_size(items);
    if (!req_model(r, json_pack("{s:o, s:I, s:I, s:b}", "referrals", items, "total",
                                (json_int_t)total, "more",
                                (json_int_t)(total > (long)shown ? total - (long)shown : 0),
                                "more_at_least", total > ADMISSIONS_QUEUE_COUNT_MAX))) {
        r->message = "The queue could not be read.";
        return E_DB;
    }
    return E_OK;
}
