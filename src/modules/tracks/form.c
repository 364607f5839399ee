/* form: creating and editing a track (spec program.md §2): code, name, level, population,
 * capacity, opening date, weekly minimum (blank: the default of the level and population), and
 * the weekly slots with their titles and kinds, the curriculum. Without JavaScript the form has
 * a fixed number of slot rows (blank rows are ignored); more come by saving and editing again.
 * Each problem is named beside its field and in the summary, a slot's by its row (overlapping
 * slots name both rows). The rules are domain/track's, applied again by the store.
 * A changed pattern applies from tomorrow: today's sessions have happened or are happening
 * (attendance may be taken, a patient may be checking in), so they keep what they were. */
#include "modules/tracks/tracks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/hours.h"
#include "domain/track.h"
#include "http/resp.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/view.h"

#define ROWS_MIN 12  /* slot rows a form shows at least */
#define ROWS_SPARE 6 /* blank rows after a track's slots when it is edited */

static const char *const row_fields[] = {"day", "start", "end", "title", "kind"};
#define ROW_FIELDS 5

/* A track as read from the form, its slots with the rows they came from. */
struct track_form {
    struct program_track t;
    struct track_slot slots[TRACK_SLOTS_MAX];
    int row[TRACK_SLOTS_MAX];
};

static const char *row_name(struct req *r, int n, const char *field)
{
    char name[24];

    snprintf(name, sizeof(name), "s%d_%s", n, field);
    return arena_strdup(r->arena, name);
}

static const char *form_value(const json_t *m, const char *name)
{
    const char *v = json_string_value(json_object_get(json_object_get(m, "form"), name));
    return v ? v : "";
}

/* The slot rows of the page, [{n, days, start, end, title, kinds, problem, bad_<field>}], from
 * the values and problems the model holds under s<n>_<field>. */
static json_t *rows_model(struct req *r, json_t *m, int rows)
{
    json_t *err = json_object_get(m, "err"), *out = json_array();

    for (int n = 1; n <= rows; n++) {
        const char *day = form_value(m, row_name(r, n, "day"));
        const char *kind = form_value(m, row_name(r, n, "kind"));
        json_t *row = json_pack("{s:i, s:[], s:s, s:s, s:s, s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}]}",
                                "n", n, "days", "start", form_value(m, row_name(r, n, "start")),
                                "end", form_value(m, row_name(r, n, "end")), "title",
                                form_value(m, row_name(r, n, "title")), "kinds", "value",
                                "group", "label", "Group", "selected", strcmp(kind, "workshop"),
                                "value", "workshop", "label", "Workshop", "selected",
                                !strcmp(kind, "workshop"));
        for (int wd = 1; wd <= 7; wd++)
            json_array_append_new(json_object_get(row, "days"),
                                  json_pack("{s:i, s:s, s:b}", "value", wd, "label",
                                            tracks_weekday(wd, false), "selected",
                                            day[0] - '0' == wd && !day[1]));
        for (int k = 0; k < ROW_FIELDS; k++) {
            json_t *p = json_object_get(err, row_name(r, n, row_fields[k]));
            char bad[16];
            snprintf(bad, sizeof(bad), "bad_%s", row_fields[k]);
            json_object_set_new(row, bad, json_boolean(p != NULL));
            if (p && !json_object_get(row, "problem"))
                json_object_set(row, "problem", p);
        }
        json_array_append_new(out, row);
    }
    return out;
}

/* The page's model around the form: title, where it posts, the choices and hints. id: the
 * track edited (NULL: a new one). */
static json_t *page_model(struct req *r, const char *id)
{
    json_t *m = view_staff_model(r, id ? "Edit a track" : "New track");
    char hint[200], from[CALDATE_TEXT];

    snprintf(hint, sizeof(hint),
             "Leave it blank for the default of the level and population: adult IOP %d, "
             "adolescent IOP %d, PHP %d minutes a week; outpatient none.",
             track_default_minimum(TRACK_IOP, TRACK_ADULT),
             track_default_minimum(TRACK_IOP, TRACK_ADOLESCENT),
             track_default_minimum(TRACK_PHP, TRACK_ADULT));
    json_object_set_new(m, "minimum_hint", json_string(hint));
    json_object_set_new(m, "editing", json_boolean(id != NULL));
    if (id) {
        json_object_set_new(m, "track_id", json_string(id));
        json_object_set_new(m, "changes_from", json_string(caldate_format(tracks_today() + 1,
                                                                          from)));
    }
    return m;
}

/* The last part of the page: the selects' choices and the slot rows, from the form's values. */
static void page_finish(struct req *r, json_t *m, int rows)
{
    json_object_set_new(m, "level_options", tracks_level_options(form_value(m, "level")));
    json_object_set_new(m, "population_options",
                        tracks_population_options(form_value(m, "population")));
    json_object_set_new(m, "rows", rows_model(r, m, rows));
    json_object_set_new(m, "row_count", json_integer(rows));
}

/* A whole number from min to max in field name, or false (a problem unless blank and not
 * required). */
static bool number(struct form *f, const char *name, long min, long max, bool required,
                   const char *message, int *out)
{
    const char *v = form_text(f, name, 8, required, false, message);
    char *end;
    long n;

    if (!v)
        return false;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < min || n > max) {
        form_problem(f, name, message);
        return false;
    }
    *out = (int)n;
    return true;
}

static void read_fields(struct form *f, struct program_track *t)
{
    static const char *const levels[] = {"iop", "php", "outpatient", NULL};
    static const char *const populations[] = {"adult", "adolescent", NULL};
    const char *v, *problem;
    bool none;

    if ((t->code = form_text(f, "code", 64, true, false,
                             "Give the track a short code, such as iop-am.")) &&
        (problem = track_code_problem(t->code))) {
        form_problem(f, "code", problem);
        t->code = NULL;
    }
    t->name = form_text(f, "name", TRACK_NAME_MAX * 4, true, false, "Give the track a name.");
    if (t->name && (utf8_count(t->name) > TRACK_NAME_MAX || utf8_has_format(t->name)))
        form_problem(f, "name", "A track's name is at most 100 characters.");
    if ((v = form_choice(f, "level", levels, true, "Choose the level: IOP, PHP or outpatient.")))
        track_level_parse(v, &t->level);
    if ((v = form_choice(f, "population", populations, true,
                         "Choose the population: adult or adolescent.")))
        track_population_parse(v, &t->population);
    number(f, "capacity", 1, 100, true, "The capacity is a whole number from 1 to 100.",
           &t->capacity);
    if ((v = form_date(f, "opens", true, "Give the date the track opens, such as 2026-03-02.")) &&
        !caldate_parse(v, &t->opens))
        form_problem(f, "opens", "Give the date the track opens, such as 2026-03-02.");
    none = form_checked(f, "no_minimum");
    json_object_set_new(json_object_get(f->m, "form"), "no_minimum", json_boolean(none));
    t->min_weekly_minutes = -2; /* blank: the default of the level and population */
    if (number(f, "min_weekly_minutes", 0, 3000, false,
               "The weekly minimum is a whole number of minutes from 0 to 3000, or blank.",
               &t->min_weekly_minutes) &&
        none)
        form_problem(f, "min_weekly_minutes",
                     "Give a weekly minimum or tick \"no weekly minimum\", not both.");
    else if (none)
        t->min_weekly_minutes = HOURS_NONE;
}

/* Whether row n was left blank (no day, times or title). */
static bool row_blank(struct req *r, int n)
{
    for (int k = 0; k < 4; k++) {
        const char *v = req_form(r, row_name(r, n, row_fields[k]));
        if (v && v[strspn(v, " \t")])
            return false;
    }
    return true;
}

/* Reads row n into sl: true when it holds a slot without problems. */
static bool read_row(struct form *f, int n, struct track_slot *sl)
{
    static const char *const days[] = {"1", "2", "3", "4", "5", "6", "7", NULL};
    static const char *const kinds[] = {"group", "workshop", NULL};
    struct req *r = f->r;
    const char *day, *start, *end, *title, *kind, *problem, *field;
    int before = f->problems;
    char msg[200];

    snprintf(msg, sizeof(msg), "Row %d: choose the day.", n);
    day = form_choice(f, row_name(r, n, "day"), days, true, msg);
    snprintf(msg, sizeof(msg), "Row %d: give the start, such as 09:00.", n);
    if ((start = form_text(f, row_name(r, n, "start"), 5, true, false, msg)) &&
        !caldate_time_parse(start, &sl->start))
        form_problem(f, row_name(r, n, "start"), msg);
    snprintf(msg, sizeof(msg), "Row %d: give the end, such as 10:30.", n);
    if ((end = form_text(f, row_name(r, n, "end"), 5, true, false, msg)) &&
        !caldate_time_parse(end, &sl->end))
        form_problem(f, row_name(r, n, "end"), msg);
    snprintf(msg, sizeof(msg), "Row %d: give the slot a title, such as Relapse prevention.", n);
    title = form_text(f, row_name(r, n, "title"), sizeof(sl->title) - 1, true, false, msg);
    snprintf(msg, sizeof(msg), "Row %d: the kind is group or workshop.", n);
    kind = form_choice(f, row_name(r, n, "kind"), kinds, true, msg);
    if (f->problems > before)
        return false;
    sl->weekday = day[0] - '0';
    snprintf(sl->title, sizeof(sl->title), "%s", title);
    track_slot_kind_parse(kind, &sl->kind);
    if ((problem = track_slot_problem(sl, &field))) {
        snprintf(msg, sizeof(msg), "Row %d: %s", n, problem);
        form_problem(f, row_name(r, n, !strcmp(field, "weekday") ? "day" : field), msg);
        return false;
    }
    return true;
}

/* Names the first row that overlaps an earlier one of the same day, with that row. */
static void overlaps(struct form *f, const struct track_form *tf)
{
    char msg[200], a[6], b[6];

    for (size_t i = 1; i < tf->t.n_slots; i++)
        for (size_t j = 0; j < i; j++) {
            struct track_slot pair[2] = {tf->slots[j], tf->slots[i]};
            if (track_slots_overlap(pair, 2) < 0)
                continue;
            snprintf(msg, sizeof(msg), "Row %d overlaps row %d (%s %s\u2013%s).", tf->row[i],
                     tf->row[j], tracks_weekday(pair[0].weekday, false),
                     caldate_time_format(pair[0].start, a), caldate_time_format(pair[0].end, b));
            form_problem(f, row_name(f->r, tf->row[i], "start"), msg);
            return;
        }
}

/* The rows the form was posted with: the last row any of whose fields came. */
static int posted_rows(struct req *r)
{
    int rows = 0;

    for (int n = 1; n <= TRACK_SLOTS_MAX; n++)
        for (int k = 0; k < ROW_FIELDS; k++)
            if (req_form(r, row_name(r, n, row_fields[k])))
                rows = n;
    return rows;
}

/* Reads the whole form into tf; the number of rows it had into *rows. */
static void read_form(struct form *f, struct track_form *tf, int *rows)
{
    int before;

    memset(tf, 0, sizeof(*tf));
    tf->t.slots = tf->slots;
    read_fields(f, &tf->t);
    before = f->problems;
    *rows = posted_rows(f->r);
    for (int n = 1; n <= *rows; n++) {
        struct track_slot *sl = &tf->slots[tf->t.n_slots];
        if (row_blank(f->r, n)) {
            form_text(f, row_name(f->r, n, "kind"), 16, false, false, NULL);
            continue;
        }
        memset(sl, 0, sizeof(*sl));
        if (read_row(f, n, sl))
            tf->row[tf->t.n_slots++] = n;
    }
    if (f->problems == before) /* every row read: whether they overlap is worth saying too */
        overlaps(f, tf);
    if (*rows < ROWS_MIN)
        *rows = ROWS_MIN;
}

/* Creates (id NULL) or updates a track from the posted form: 303 to its page, or the form
 * again with its problems (422). */
static enum err save(struct req *r, const char *id)
{
    json_t *m = req_model(r, page_model(r, id));
    const char *action = id ? "update" : "create";
    struct program_why why = {{0}, {0}};
    struct track_form tf;
    char made[33], loc[96];
    struct form f;
    int rows;
    enum err e;

    form_init(&f, r, m);
    read_form(&f, &tf, &rows);
    if (!f.problems) {
        e = id ? store_track_update(r->store, id, &tf.t, tracks_today() + 1,
                                    audit_entry(r, action, "track", id), &why)
               : store_track_add(r->store, &tf.t, audit_entry(r, action, "track", NULL), made,
                                 &why);
        if (e == E_OK) {
            r->model = NULL;
            snprintf(loc, sizeof(loc), "/staff/tracks/%s?done=%s", id ? id : made,
                     id ? "saved" : "created");
            resp_redirect(r, 303, arena_strdup(r->arena, loc));
            return E_OK;
        }
        if ((e != E_INVALID && e != E_CONFLICT) || !why.field[0]) {
            audit_record(r, action, "track", id, audit_outcome(e));
            r->model = NULL;
            return e == E_NOTFOUND ? e : E_DB;
        }
        /* The store's own check (a code another track took meanwhile): beside its field. */
        form_problem(&f, why.field, why.message);
    }
    audit_record(r, action, "track", id, "invalid");
    page_finish(r, m, rows);
    return E_INVALID;
}

enum err tracks_create(struct req *r)
{
    return save(r, NULL);
}

enum err tracks_update(struct req *r)
{
    return save(r, req_param(r, "id"));
}

/* Puts a stored track's values into the form's fields; the number of its rows into *rows. */
static void fill(struct req *r, json_t *form, const json_t *t, int *rows)
{
    static const char *const keys[] = {"code", "name", "level", "population", "opens"};
    const json_t *min = json_object_get(t, "min_weekly_minutes"), *sl;
    enum track_level l;
    enum track_population p;
    char num[16];
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
        json_object_set(form, keys[i], json_object_get(t, keys[i]));
    snprintf(num, sizeof(num), "%lld",
             (long long)json_integer_value(json_object_get(t, "capacity")));
    json_object_set_new(form, "capacity", json_string(num));
    /* The default shows as blank, so that a change of level or population brings its own
     * default; no minimum where the level has one by default is said with the box. */
    track_level_parse(json_string_value(json_object_get(t, "level")), &l);
    track_population_parse(json_string_value(json_object_get(t, "population")), &p);
    snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(min));
    json_object_set_new(form, "min_weekly_minutes",
                        json_string(json_is_integer(min) &&
                                            json_integer_value(min) != track_default_minimum(l, p)
                                        ? num
                                        : ""));
    json_object_set_new(form, "no_minimum",
                        json_boolean(json_is_null(min) && track_default_minimum(l, p) >= 0));
    json_array_foreach(json_object_get(t, "slots"), i, sl) {
        int n = (int)i + 1;
        snprintf(num, sizeof(num), "%lld",
                 (long long)json_integer_value(json_object_get(sl, "weekday")));
        json_object_set_new(form, row_name(r, n, "day"), json_string(num));
        for (int k = 1; k < ROW_FIELDS; k++)
            json_object_set(form, row_name(r, n, row_fields[k]),
                            json_object_get(sl, row_fields[k]));
    }
    *rows = (int)i + ROWS_SPARE;
    if (*rows < ROWS_MIN)
        *rows = ROWS_MIN;
    if (*rows > TRACK_SLOTS_MAX)
        *rows = TRACK_SLOTS_MAX;
}

enum err tracks_new(struct req *r)
{
    json_t *m = req_model(r, page_model(r, NULL)), *form;
    char today[CALDATE_TEXT];
    struct form f;

    form_init(&f, r, m);
    form = json_object_get(m, "form");
    json_object_set_new(form, "level", json_string("iop"));
    json_object_set_new(form, "population", json_string("adult"));
    json_object_set_new(form, "capacity", json_string("12"));
    json_object_set_new(form, "opens", json_string(caldate_format(tracks_today(), today)));
    page_finish(r, m, ROWS_MIN);
    return E_OK;
}

enum err tracks_edit(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *t = NULL, *m;
    struct form f;
    int rows;
    enum err e;

    if ((e = store_track_get(r->store, id, tracks_today(), &t)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    m = req_model(r, page_model(r, id));
    form_init(&f, r, m);
    fill(r, json_object_get(m, "form"), t, &rows);
    json_object_set(m, "track_name", json_object_get(t, "name"));
    json_decref(t);
    page_finish(r, m, rows);
    return E_OK;
}
