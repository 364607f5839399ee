/* queue: the admissions queue (crisis first, then overdue, then oldest) and its JSON twin, and
 * what needs a call now (the staff home's counts and the queue filtered to them: crisis
 * requests nobody has reached, call-backs overdue, the member's follow-ups due). Every referral
 * listed is audited, one entry each, before anything is shown. */
#include "modules/admissions/admissions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "domain/referral_flow.h"
#include "store/admissions.h"
#include "modules/admissions/common.h"
#include "web/view.h"
#include "web/audit.h"
#include "web/principal.h"

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
    const char *intake_at = json_string_value(json_object_get(row, "intake_at"));
    bool crisis, overdue;
    json_t *item;
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
    item = json_pack(
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
    /* The appointment, on the clinic's clock, while it is still to come. */
    if (item && st == REFERRAL_INTAKE_SCHEDULED && intake_at && *intake_at)
        json_object_set_new(item, "intake_at", json_string(view_time(r, intake_at)));
    return item;
}

/* The queue's rows as display items, in queue order (crisis, overdue, oldest), only the overdue
 * ones when overdue_only; NULL when one does not fit its model (then nothing is shown: a queue
 * missing a row is worse than none). */
static json_t *queue_items(struct req *r, json_t *rows, bool overdue_only)
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
    for (i = 0; i < n; i++) {
        if (overdue_only && !q[i].rank.overdue)
            json_decref(q[i].item);
        else
            json_array_append_new(out, q[i].item);
    }
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
        !(*items = queue_items(r, rows, false))) {
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

/* What the queue filtered to a "needs a call now" count shows. */
static const struct {
    const char *code;
    enum admissions_due due;
    const char *title;
} dues[] = {
    {"crisis", ADMISSIONS_DUE_CRISIS, "crisis requests nobody has reached yet"},
    {"overdue", ADMISSIONS_DUE_OVERDUE, "call-backs overdue"},
    {"mine", ADMISSIONS_DUE_MINE, "your follow-ups due"},
};

/* The instant before which a new referral cannot be overdue yet (business time never runs
 * faster than the wall clock), as a UTC stamp, into out (32 bytes). */
static const char *overdue_before(time_t now, int hours, char *out)
{
    return timefmt_utc(now - (time_t)hours * 3600, out, 32);
}

enum err admissions_due_count(struct req *r, struct admissions_due_counts *c)
{
    int hours = admissions_overdue_hours(r);
    time_t now = time(NULL);
    char today[11], before[32];
    json_t *created = NULL, *v;
    size_t i;

    *c = (struct admissions_due_counts){0};
    timefmt_today(now, today);
    if (store_adm_due_counts(r->store, r->user ? r->user->id : 0, today, &c->crisis,
                             &c->mine) != E_OK ||
        store_adm_unanswered(r->store, overdue_before(now, hours, before),
                             ADMISSIONS_QUEUE_COUNT_MAX + 1, &created) != E_OK)
        return E_DB;
    json_array_foreach(created, i, v)
        c->overdue += referral_flow_overdue_local(referral_flow_parse_utc(json_string_value(v)),
                                                  -1, now, admissions_clock(), hours);
    c->overdue_more = json_array_size(created) > ADMISSIONS_QUEUE_COUNT_MAX;
    json_decref(created);
    return E_OK;
}

/* The queue filtered to what needs a call now (dues[k]), each referral audited as listed. */
static enum err due_page(struct req *r, size_t k)
{
    struct admissions_due_query q = {.due = dues[k].due, .user = r->user ? r->user->id : 0};
    int hours = admissions_overdue_hours(r);
    time_t now = time(NULL);
    char today[11], before[32], title[96];
    json_t *rows = NULL, *items, *m;

    q.today = timefmt_today(now, today);
    q.before = overdue_before(now, hours, before);
    /* Every crisis request, however many; the oldest page of the others. */
    if (store_adm_due(r->store, &q, q.due == ADMISSIONS_DUE_CRISIS ? ADMISSIONS_QUEUE_COUNT_MAX
                                                                   : ADMISSIONS_QUEUE_PAGE,
                      &rows) != E_OK ||
        !(items = queue_items(r, rows, q.due == ADMISSIONS_DUE_OVERDUE))) {
        json_decref(rows);
        audit_record(r, "list", "referral", NULL, "error");
        r->message = "The queue could not be read. Please try again in a minute.";
        return E_DB;
    }
    json_decref(rows);
    if (audit_list(r, "referral", items) < 0) {
        json_decref(items);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    snprintf(title, sizeof(title), "Admissions queue: %s", dues[k].title);
    m = req_model(r, admissions_model(r, title));
    json_object_set_new(m, "due_title", json_string(dues[k].title));
    json_object_set_new(m, "due", json_string(dues[k].code));
    json_object_set_new(m, "filters", queue_filters(NULL));
    json_object_set_new(m, "empty", json_boolean(json_array_size(items) == 0));
    json_object_set_new(m, "referrals", items);
    json_object_set_new(m, "overdue_hours", json_integer(hours));
    return E_OK;
}

enum err queue_page(struct req *r)
{
    const char *status = status_filter(r), *due = req_query(r, "due");
    json_t *items = NULL, *m;
    long total = 0;
    size_t shown;
    enum err e;

    for (size_t k = 0; due && k < sizeof(dues) / sizeof(dues[0]); k++)
        if (!strcmp(due, dues[k].code))
            return due_page(r, k);
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
