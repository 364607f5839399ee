/* trail: the audit trail for auditors and admins: a filter form with a page of entries
 * (newest first), the same selection as CSV, and its JSON twin. Every parameter is validated
 * before use, and reading the trail is itself audited (action "view" or "export"). The record
 * type and action filters offer the values the trail holds; names.c adds the names. */
#include "modules/audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/contact.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/str.h"
#include "http/resp.h"
#include "store/audit.h"
#include "web/audit.h"
#include "web/view.h"

#define PER_PAGE 100
#define PAGE_MAX 1000000L
#define EXPORT_MAX 100000L /* rows in one CSV; past it, the filters must narrow the selection */

/* The filters of the form and the query string, in the form's order. */
enum param_kind { P_EMAIL, P_ID, P_WORD, P_DATE };

static const struct param {
    const char *name;  /* query parameter and form field */
    const char *label; /* for messages */
    enum param_kind kind;
    size_t max;
} params[] = {
    {.name = "user", .label = "User", .kind = P_EMAIL, .max = 254},
    {.name = "record", .label = "Patient or record id", .kind = P_ID, .max = 64},
    {.name = "type", .label = "Record type", .kind = P_WORD, .max = 32},
    {.name = "action", .label = "Action", .kind = P_WORD, .max = 32},
    {.name = "from", .label = "From", .kind = P_DATE, .max = 10},
    {.name = "to", .label = "To", .kind = P_DATE, .max = 10},
};

#define N_PARAMS (sizeof(params) / sizeof(params[0]))

struct query {
    const char *v[N_PARAMS]; /* each parameter's value, NULL when absent or empty */
    long page;               /* 1-based */
                             /* f.max_id: "until", the newest entry id when paging started */
    struct audit_filter f;
};

/* YYYY-MM-DD naming a real day (domain/contact) of the years 2000-9999: the trail's span. */
static bool valid_date(const char *s)
{
    long y, m, d;

    return contact_date_parse(s, &y, &m, &d) == 0 && y >= 2000;
}

static bool all_of(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

/* The problem with value v of parameter p, or NULL when it is fine. */
static const char *param_problem(const struct param *p, const char *v)
{
    if (strlen(v) > p->max) {
        switch (p->kind) {
        case P_EMAIL: return "at most 254 characters.";
        case P_ID: return "at most 64 characters.";
        case P_WORD: return "at most 32 characters.";
        case P_DATE: return "a date as YYYY-MM-DD, for example 2026-01-31.";
        }
    }
    switch (p->kind) {
    case P_EMAIL:
        /* A whole e-mail address, or "anonymous"; printable ASCII without spaces. */
        for (const char *c = v; *c; c++)
            if (*c <= ' ' || *c >= 127)
                return "an e-mail address (or \"anonymous\"), without spaces.";
        return NULL;
    case P_ID:
        return all_of(v, LOWER UPPER DIGIT "-_.:") ? NULL
               : "letters, digits and - _ . : only.";
    case P_WORD:
        return all_of(v, LOWER DIGIT "-") && v[0] != '-' ? NULL
               : "lower-case letters, digits and - only (for example sign-in).";
    case P_DATE:
        return valid_date(v) ? NULL : "a date as YYYY-MM-DD, for example 2026-01-31.";
    }
    return NULL;
}

static void add_error(json_t *errors, json_t *by_field, const char *field, const char *label,
                      const char *problem)
{
    char msg[200];

    snprintf(msg, sizeof(msg), "%s: %s", label, problem);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", msg));
    json_object_set_new(by_field, field, json_string(msg));
}

/* Reads and checks every parameter into q. Problems go to errors ([{field, message}]) and
 * by_field ({field: message}); returns their count. */
static size_t query_parse(struct req *r, struct query *q, json_t *errors, json_t *by_field)
{
    const char *page, *until;
    long n;

    memset(q, 0, sizeof(*q));
    for (size_t i = 0; i < N_PARAMS; i++) {
        const char *v = req_query(r, params[i].name), *problem;
        if (!v || !*v)
            continue;
        q->v[i] = v;
        if ((problem = param_problem(&params[i], v)))
            add_error(errors, by_field, params[i].name, params[i].label, problem);
    }
    if (q->v[4] && q->v[5] && !json_object_get(by_field, "from") &&
        !json_object_get(by_field, "to") && strcmp(q->v[4], q->v[5]) > 0)
        add_error(errors, by_field, "to", "To", "on or after the From date.");
    until = req_query(r, "until");
    if (until && *until) {
        if (strlen(until) > 15 || !all_of(until, DIGIT) ||
            str_to_long(str_from(until), 1, 999999999999999L, &n) < 0)
            add_error(errors, by_field, "until", "Until", "an entry number (from a page link).");
        else
            q->f.max_id = n;
    }
    q->page = 1;
    page = req_query(r, "page");
    if (page && *page) {
        if (strlen(page) > 7 || !all_of(page, DIGIT) ||
            str_to_long(str_from(page), 1, PAGE_MAX, &n) < 0)
            add_error(errors, by_field, "page", "Page", "a whole number from 1 to 1000000.");
        else
            q->page = n;
    }
    q->f.user_email = q->v[0];
    q->f.record_id = q->v[1];
    q->f.record_type = q->v[2];
    q->f.action = q->v[3];
    q->f.from = q->v[4];
    q->f.to = q->v[5];
    return json_array_size(errors);
}

/* A JSON string of v; U+FFFD when v is not UTF-8 (rows are ours, but never trust a file). */
static json_t *jstr(const char *v)
{
    json_t *s = json_string(v ? v : "");
    return s ? s : json_string("\xEF\xBF\xBD");
}

/* Where a page's entries go, as names.c shows them. */
struct collected {
    json_t *entries;
    struct names *names;
};

static int collect(const struct audit_entry *e, void *ctx)
{
    struct collected *c = ctx;

    json_array_append_new(c->entries, names_entry(c->names, e));
    return 0;
}

#define OPTIONS_MAX 200 /* distinct values a select offers (Haven writes a few dozen) */

/* A select's options: the values the trail holds, and the one asked for when it holds none
 * such (so the form shows the filter that was applied, or the one refused). */
struct options {
    json_t *list;
    const struct param *p;
    const char *selected; /* NULL: none */
    bool found;
};

static int option_add(const char *v, void *ctx)
{
    struct options *o = ctx;
    bool selected = o->selected && strcmp(o->selected, v) == 0;

    if (param_problem(o->p, v)) /* a value the filter would refuse (slipped in by hand) */
        return 0;
    o->found |= selected;
    json_array_append_new(o->list, json_pack("{s:o, s:b}", "value", jstr(v), "selected",
                                             selected));
    return 0;
}

/* [{value, selected}] for the select of parameter p (column c). A trail that cannot be read
 * gives no options: the page says so anyway. */
static json_t *options(struct req *r, const struct param *p, enum audit_column c,
                       const char *selected)
{
    struct options o = {.list = json_array(), .p = p, .selected = selected};

    if (r->store && store_audit_values(r->store, c, OPTIONS_MAX, option_add, &o) != E_OK)
        json_array_clear(o.list);
    if (selected && !o.found)
        json_array_append_new(o.list, json_pack("{s:o, s:b}", "value", jstr(selected),
                                                "selected", 1));
    return o.list;
}

static int newest_id(const struct audit_entry *e, void *ctx)
{
    *(long *)ctx = e->id;
    return 1;
}

/* 12345 as "12,345" into out. */
static void thousands(long n, char *out, size_t size)
{
    char digits[24];
    size_t len, o = 0;

    snprintf(digits, sizeof(digits), "%ld", n);
    len = strlen(digits);
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* One page of entries and the total, into model ("entries", "total", "total_capped"). The
 * count stops at AUDIT_COUNT_CAP entries (or just past the page asked for): *total is then a
 * lower bound and *capped is set. */
static enum err load_page(struct req *r, struct query *q, json_t *model, long *total,
                          bool *capped)
{
    struct audit_filter newest = {.limit = 1};
    struct names names;
    struct collected c = {.names = &names};
    long cap;
    enum err e = E_OK;

    /* Pages are counted within a snapshot (entries up to the newest id now), so entries
     * appended while someone pages, such as their own views, do not shift the pages. */
    if (!q->f.max_id && (e = store_audit_query(r->store, &newest, newest_id, &q->f.max_id)) != E_OK)
        return e;
    q->f.limit = PER_PAGE;
    q->f.offset = (q->page - 1) * PER_PAGE;
    /* One more than we show, so "more than" is known; past the cap, enough to know whether
     * there is a page after this one. */
    cap = AUDIT_COUNT_CAP + 1;
    if (q->f.offset + PER_PAGE + 1 > cap)
        cap = q->f.offset + PER_PAGE + 1;
    c.entries = json_array();
    names_init(&names, r, q->f.record_id);
    *capped = false;
    if ((e = store_audit_count(r->store, &q->f, cap, total)) == E_OK) {
        if (*total >= cap) {
            *capped = true;
            *total = cap - 1;
        }
        e = store_audit_query(r->store, &q->f, collect, &c);
    }
    names_free(&names);
    json_object_set_new(model, "entries", c.entries);
    json_object_set_new(model, "total", json_integer(*total));
    json_object_set_new(model, "total_capped", json_boolean(*capped));
    return e;
}

/* Adds v to b percent-encoded for a query string (RFC 3986 unreserved bytes stay as they are). */
static void url_add(struct buf *b, const char *v)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (strchr(LOWER UPPER DIGIT "-._~", *c))
            buf_addc(b, (char)*c);
        else
            buf_addf(b, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
    }
}

/* path?filters[&page=N] (page 0 = none) as a new JSON string. */
static json_t *link_to(const char *path, const struct query *q, long page)
{
    struct buf b = BUF_INIT;
    char sep = '?';
    json_t *s;

    buf_adds(&b, path);
    for (size_t i = 0; i < N_PARAMS; i++) {
        if (!q->v[i])
            continue;
        buf_addf(&b, "%c%s=", sep, params[i].name);
        url_add(&b, q->v[i]);
        sep = '&';
    }
    if (q->f.max_id > 0 && page > 0) {
        buf_addf(&b, "%cuntil=%ld", sep, q->f.max_id);
        sep = '&';
    }
    if (page > 0)
        buf_addf(&b, "%cpage=%ld", sep, page);
    s = json_string(buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* The page's model: the staff frame's fields (web/view.c), the filters as given (valid or
 * not), and the problems found in them. */
static json_t *screen_model(struct req *r, const struct query *q, json_t *errors, json_t *by_field)
{
    json_t *model = view_staff_model(r, "Audit trail"), *filter = json_object();

    if (!model) /* a principal without the fields the frame shows: still a staff page */
        model = json_pack("{s:b, s:s}", "staff", 1, "title", "Audit trail");
    for (size_t i = 0; i < N_PARAMS; i++)
        json_object_set_new(filter, params[i].name, jstr(q->v[i] ? q->v[i] : ""));
    json_object_set_new(model, "filter", filter);
    json_object_set_new(model, "type_options", options(r, &params[2], AUDIT_COL_TYPE, q->v[2]));
    json_object_set_new(model, "action_options",
                        options(r, &params[3], AUDIT_COL_ACTION, q->v[3]));
    json_object_set_new(model, "errors", errors);
    json_object_set_new(model, "error", by_field);
    json_object_set_new(model, "per_page", json_integer(PER_PAGE));
    return model;
}

/* The flags the template needs, derived here, in one place. */
static void screen_flags(json_t *model)
{
    json_t *total = json_object_get(model, "total");

    if (!json_object_get(model, "entries"))
        json_object_set_new(model, "entries", json_array());
    json_object_set_new(model, "has_errors",
                        json_boolean(json_array_size(json_object_get(model, "errors")) > 0));
    /* A capped total is text ("10,000+"): there are entries. */
    json_object_set_new(model, "any", json_boolean(json_is_string(total) ||
                                                   (total && json_integer_value(total) > 0)));
}

static const char unreadable[] = "The audit trail could not be read. Please try again in a minute.";

enum err trail_page(struct req *r)
{
    json_t *errors = json_array(), *by_field = json_object(), *model;
    char text[32];
    struct query q;
    long total = 0, pages;
    bool capped = false;

    query_parse(r, &q, errors, by_field);
    model = req_model(r, screen_model(r, &q, errors, by_field));
    screen_flags(model);
    if (json_array_size(errors)) {
        audit_record(r, "view", "audit", NULL, "invalid");
        return E_INVALID;
    }
    /* No audit entry, no reading: a read that cannot be recorded is not allowed to happen. */
    if (audit_record(r, "view", "audit", NULL, "ok") < 0 ||
        load_page(r, &q, model, &total, &capped) != E_OK) {
        r->model = NULL;
        r->message = unreadable;
        return E_DB;
    }
    pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
    json_object_set_new(model, "page", json_integer(q.page));
    json_object_set_new(model, "pages", json_integer(pages));
    json_object_set_new(model, "first", json_integer(total ? (q.page - 1) * PER_PAGE + 1 : 0));
    json_object_set_new(model, "last",
                        json_integer((q.page - 1) * PER_PAGE +
                                     (long)json_array_size(json_object_get(model, "entries"))));
    if (q.page > 1)
        json_object_set_new(model, "prev_url",
                            link_to("/staff/audit", &q, q.page - 1 < pages ? q.page - 1 : pages));
    if (q.page < pages)
        json_object_set_new(model, "next_url", link_to("/staff/audit", &q, q.page + 1));
    json_object_set_new(model, "csv_url", link_to("/staff/audit.csv", &q, 0));
    if (capped) {
        /* "of 10,000+" and "page 3 of 100+": the count stopped; a next page follows. */
        json_object_set_new(model, "next_url", link_to("/staff/audit", &q, q.page + 1));
        thousands(total, text, sizeof(text) - 1);
        json_object_set_new(model, "total", json_string(strncat(text, "+", 2)));
        thousands(pages, text, sizeof(text) - 1);
        json_object_set_new(model, "pages", json_string(strncat(text, "+", 2)));
    }
    screen_flags(model);
    return E_OK;
}

/* The first release's twelve columns, then the name beside record_id and a list entry's
 * records ("listed": one line per record, its id, then its name when shown). */
static const char *const csv_header[] = {"id", "at", "user_id", "user_email", "roles", "action",
                                         "record_type", "record_id", "outcome", "client",
                                         "prev_hash", "hash", "record_name", "listed"};

struct csv {
    struct buf *out;
    struct names *names;
    struct buf listed; /* one row's "listed" cell */
};

static int csv_row(const struct audit_entry *e, void *ctx)
{
    struct csv *c = ctx;
    const char *name = names_of(c->names, e->record_type, e->record_id);
    char id[24], user_id[24] = "";

    snprintf(id, sizeof(id), "%ld", e->id);
    if (e->user_id)
        snprintf(user_id, sizeof(user_id), "%ld", e->user_id);
    buf_reset(&c->listed);
    for (size_t i = 0; i < e->n_listed; i++) {
        const char *n = names_of(c->names, e->record_type, e->listed[i]);
        buf_addf(&c->listed, "%s%s%s%s", i ? "\n" : "", e->listed[i], n ? " " : "", n ? n : "");
    }
    const char *cells[] = {id, e->at, user_id, e->user_email, e->roles, e->action, e->record_type,
                           e->record_id ? e->record_id : "", e->outcome, e->client, e->prev_hash,
                           e->hash, name ? name : "", buf_cstr(&c->listed)};
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
        csv_cell(c->out, cells[i], i == 0);
    buf_adds(c->out, "\r\n");
    return c->out->over;
}

/* The same selection as a file; bad filters show the screen again with their problems. */
enum err trail_csv(struct req *r)
{
    json_t *errors = json_array(), *by_field = json_object(), *model;
    char disposition[80], day[16];
    time_t now = time(NULL);
    struct names names;
    struct csv c = {.out = &r->out, .names = &names, .listed = BUF_INIT};
    struct tm tm;
    struct query q;
    long total = 0;
    enum err e;

    query_parse(r, &q, errors, by_field);
    model = req_model(r, screen_model(r, &q, errors, by_field));
    screen_flags(model);
    if (json_array_size(errors)) {
        audit_record(r, "export", "audit", NULL, "invalid");
        return E_INVALID;
    }
    r->model = NULL;
    r->message = unreadable;
    /* Counting past the limit would only tell us by how much the selection is too large. */
    if (store_audit_count(r->store, &q.f, EXPORT_MAX + 1, &total) != E_OK)
        return E_DB;
    if (total > EXPORT_MAX) {
        audit_record(r, "export", "audit", NULL, "invalid");
        add_error(errors, by_field, "from", "From",
                  "the selection has more than 100000 entries; choose a shorter date range.");
        r->model = model;
        screen_flags(model);
        return E_INVALID;
    }
    if (audit_record(r, "export", "audit", NULL, "ok") < 0)
        return E_DB;
    buf_reset(&r->out);
    for (size_t i = 0; i < sizeof(csv_header) / sizeof(csv_header[0]); i++)
        csv_cell(&r->out, csv_header[i], i == 0);
    buf_adds(&r->out, "\r\n");
    q.f.limit = EXPORT_MAX + 1; /* entries appended since the count (our own "export" at least) */
    names_init(&names, r, NULL);
    e = store_audit_query(r->store, &q.f, csv_row, &c);
    names_free(&names);
    buf_free(&c.listed);
    if (e != E_OK || r->out.over)
        return E_DB;
    gmtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y%m%d", &tm);
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"haven-audit-%s.csv\"", day);
    r->content_type = "text/csv; charset=utf-8; header=present";
    resp_header(r, "Content-Disposition", arena_strdup(r->arena, disposition));
    return E_OK;
}

enum err trail_api(struct req *r)
{
    json_t *errors = json_array(), *by_field = json_object(), *model = json_object();
    struct query q;
    long total = 0;
    bool capped = false;
    enum err e = E_OK;

    if (query_parse(r, &q, errors, by_field)) {
        audit_record(r, "view", "audit", NULL, "invalid");
        req_model(r, json_pack("{s:O, s:O}", "error",
                               json_object_get(json_array_get(errors, 0), "message"), "details",
                               errors));
        e = E_INVALID;
        goto out;
    }
    if (audit_record(r, "view", "audit", NULL, "ok") < 0 ||
        load_page(r, &q, model, &total, &capped) != E_OK) {
        r->message = "The audit trail could not be read.";
        e = E_DB;
        goto out;
    }
    /* total_capped: the count stopped at total (10000, or the end of this page past it). */
    req_model(r, json_pack("{s:O, s:I, s:b, s:I, s:i, s:I}", "entries",
                           json_object_get(model, "entries"), "total", (json_int_t)total,
                           "total_capped", capped, "page", (json_int_t)q.page, "per_page",
                           PER_PAGE, "until", (json_int_t)q.f.max_id));
out:
    json_decref(errors);
    json_decref(by_field);
    json_decref(model);
    return e;
}
