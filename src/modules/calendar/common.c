/* common: what the calendar's screens share: a session as they show it, a roster with the
 * patients' names and the attendance taken, the labels of kinds and statuses, the tracks'
 * names, repeated form fields and the redirect back to a day. */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "http/resp.h"
#include "store/program.h"
#include "store/staff.h"
#include "web/auth.h"

static const struct calendar_label kinds[] = {
    {"group", "Group"},           {"workshop", "Workshop"},
    {"individual", "Individual"}, {"family", "Family"},
    {"medication", "Medication management"},
};

static const struct calendar_label statuses[] = {
    {"present", "Present"},
    {"late", "Late"},
    {"left-early", "Left early"},
    {"absent-excused", "Absent, excused"},
    {"absent-unexcused", "Absent, unexcused"},
};

static const char *const weekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
static const char *const months[] = {"January", "February", "March",     "April",
                                     "May",     "June",     "July",      "August",
                                     "September", "October", "November", "December"};

char *calendar_day_label(caldate d, bool with_year, char out[CALENDAR_DAY_LABEL])
{
    long y, m, dd;

    caldate_ymd(d, &y, &m, &dd);
    if (with_year)
        snprintf(out, CALENDAR_DAY_LABEL, "%s %ld %s %ld", weekdays[caldate_weekday(d) - 1], dd,
                 months[m - 1], y);
    else
        snprintf(out, CALENDAR_DAY_LABEL, "%s %ld %s", weekdays[caldate_weekday(d) - 1], dd,
                 months[m - 1]);
    return out;
}

const char *calendar_label_of(const struct calendar_label *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (code && !strcmp(code, t[i].code))
            return t[i].label;
    return NULL;
}

static const char *kind_label(const char *code)
{
    const char *label = calendar_label_of(kinds, sizeof(kinds) / sizeof(*kinds), code);

    return label ? label : code ? code : "";
}

const char *calendar_status_label(const char *status)
{
    return calendar_label_of(statuses, sizeof(statuses) / sizeof(*statuses), status);
}

json_t *calendar_session_view(const json_t *session, caldate today)
{
    json_t *v = json_deep_copy(session);
    const char *id = json_string_value(json_object_get(session, "id"));
    char href[96], label[CALENDAR_DAY_LABEL];
    caldate d = 0;

    caldate_parse(json_string_value(json_object_get(session, "date")), &d);
    json_object_set_new(v, "date_label", json_string(calendar_day_label(d, true, label)));
    snprintf(href, sizeof(href), "/staff/sessions/%s", id ? id : "");
    json_object_set_new(v, "href", json_string(href));
    json_object_set_new(v, "kind_label",
                        json_string(kind_label(json_string_value(json_object_get(v, "kind")))));
    /* A brief session (store_program_sessions_day_brief) comes with its roster's size. */
    if (json_object_get(v, "roster"))
        json_object_set_new(
            v, "roster_size",
            json_integer((json_int_t)json_array_size(json_object_get(v, "roster"))));
    json_object_set_new(
        v, "cancelled",
        json_boolean(!strcmp(json_string_value(json_object_get(v, "status")), "cancelled")));
    json_object_set_new(v, "future", json_boolean(d > today));
    json_object_set_new(v, "one_off", json_boolean(json_is_null(json_object_get(v, "track_id"))));
    return v;
}

static const char *text_of(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v ? v : "";
}

/* By last name, then first name, then id: the order of a printed sign-in sheet. */
static int by_name(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = strcasecmp(text_of(a, "last_name"), text_of(b, "last_name"));

    if (!c)
        c = strcasecmp(text_of(a, "first_name"), text_of(b, "first_name"));
    return c ? c : strcmp(text_of(a, "public_id"), text_of(b, "public_id"));
}

/* One row of a roster: the person and what was recorded for them (taken: may be NULL). */
static json_t *roster_row(const char *id, const json_t *person, const json_t *taken)
{
    const char *status = json_string_value(json_object_get(taken, "status"));
    json_t *row = json_pack("{s:s, s:O, s:O, s:O, s:b, s:b}", "public_id", id, "first_name",
                            json_object_get(person, "first_name"), "last_name",
                            json_object_get(person, "last_name"), "mine",
                            json_object_get(person, "mine"), "walk_in",
                            json_is_true(json_object_get(taken, "walk_in")), "recorded",
                            status != NULL);

    if (row && status) {
        json_object_set_new(row, "status", json_string(status));
        json_object_set_new(row, "status_label", json_string(calendar_status_label(status)));
        json_object_set(row, "minutes", json_object_get(taken, "minutes"));
    }
    return row;
}

enum err calendar_roster(struct req *r, const json_t *session, json_t **out)
{
    const json_t *ids = json_object_get(session, "roster"), *id;
    json_t *people = NULL, *taken = NULL, *rows = NULL, **v = NULL;
    size_t i, n = 0;
    enum err e;

    if ((e = store_calendar_people(r->store, ids, auth_user_id(r), &people)) != E_OK ||
        (e = store_calendar_attendance(r->store, text_of(session, "id"), &taken)) != E_OK)
        goto out;
    v = xcalloc(json_array_size(ids) + 1, sizeof(*v));
    json_array_foreach(ids, i, id) {
        const json_t *person = json_object_get(people, json_string_value(id));
        if (person && (v[n] = roster_row(json_string_value(id), person,
                                         json_object_get(taken, json_string_value(id)))))
            n++;
    }
    qsort(v, n, sizeof(*v), by_name);
    rows = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(rows, v[i]);
    *out = rows;
out:
    free(v);
    json_decref(people);
    json_decref(taken);
    return e;
}

json_t *calendar_track_names(struct req *r)
{
    json_t *tracks = NULL, *names, *t;
    size_t i;

    if (store_track_list(r->store, program_today(), &tracks) != E_OK)
        return NULL;
    names = json_object();
    json_array_foreach(tracks, i, t)
        json_object_set(names, text_of(t, "id"), json_object_get(t, "name"));
    json_decref(tracks);
    return names;
}

json_t *calendar_staff(struct req *r)
{
    json_t *users = NULL, *out = json_array(), *u;
    size_t i;

    if (store_user_list(r->store, &users) != E_OK)
        return out;
    json_array_foreach(users, i, u) {
        unsigned roles = (unsigned)json_integer_value(json_object_get(u, "roles"));
        if (json_is_true(json_object_get(u, "disabled")) ||
            !(roles & (ROLE_CLINICIAN | ROLE_MEDICAL)))
            continue;
        json_array_append_new(out, json_pack("{s:O, s:O, s:O}", "public_id",
                                             json_object_get(u, "public_id"), "name",
                                             json_object_get(u, "name"), "email",
                                             json_object_get(u, "email")));
    }
    json_decref(users);
    return out;
}

const char **calendar_form_all(struct req *r, const char *name, size_t *n)
{
    const char **out = arena_alloc(r->arena, (r->n_fields + 1) * sizeof(*out));

    *n = 0;
    for (size_t i = 0; i < r->n_fields; i++)
        if (!strcmp(r->fields[i].name, name) && *r->fields[i].value)
            out[(*n)++] = r->fields[i].value;
    return out;
}

enum err calendar_redirect_day(struct req *r, const char *date, const char *anchor)
{
    char url[128];

    snprintf(url, sizeof(url), "/staff/calendar?date=%s%s%s", date, anchor ? "#" : "",
             anchor ? anchor : "");
    resp_redirect(r, 303, arena_strdup(r->arena, url));
    return E_OK;
}
