/* tracks: POST /api/v1/tracks and the reads of tracks (spec program.md §2, §4), for
 * administrators: a track's fields and weekly slots, read from the body and checked by the
 * store against domain/track's rules. */
#include "modules/program/program.h"

#include <string.h>

#include "domain/hours.h"
#include "web/audit.h"

/* Reads slots[] into out (at most TRACK_SLOTS_MAX); problems name "slots". */
static size_t read_slots(struct body *b, struct track_slot *out)
{
    json_t *arr = json_object_get(b->root, "slots"), *it;
    size_t i, n = 0;

    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > TRACK_SLOTS_MAX) {
        body_problem(b, "slots", "Give the weekly slots as a list of at most 42.");
        return 0;
    }
    json_array_foreach(arr, i, it) {
        struct track_slot *s = &out[n];
        json_t *wd = json_object_get(it, "weekday");
        const char *start = json_string_value(json_object_get(it, "start"));
        const char *end = json_string_value(json_object_get(it, "end"));
        const char *title = json_string_value(json_object_get(it, "title"));
        const char *kind = json_string_value(json_object_get(it, "kind"));
        memset(s, 0, sizeof(*s));
        if (!json_is_object(it) || !json_is_integer(wd) || json_integer_value(wd) < 1 ||
            json_integer_value(wd) > 7 || !start || !caldate_time_parse(start, &s->start) ||
            !end || !caldate_time_parse(end, &s->end) || !title ||
            strlen(title) >= sizeof(s->title) || !kind ||
            !track_slot_kind_parse(kind, &s->kind)) {
            body_problem(b, "slots",
                         "Each slot has a weekday (1-7), a start and end such as 09:00, a title "
                         "and a kind: group or workshop.");
            return 0;
        }
        s->weekday = (int)json_integer_value(wd);
        memcpy(s->title, title, strlen(title) + 1);
        n++;
    }
    return n;
}

enum err program_track_add(struct req *r)
{
    struct track_slot slots[TRACK_SLOTS_MAX];
    struct program_track t = {.capacity = TRACK_CAPACITY_DEFAULT, .min_weekly_minutes = -2,
                              .slots = slots};
    struct program_why why = {{0}, {0}};
    const char *level, *population;
    char id[33];
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    t.code = body_text(&b, "code", TRACK_CODE_MAX, true, "Give the track a code of [a-z0-9-].");
    t.name = body_text(&b, "name", TRACK_NAME_MAX, true, "Give the track a name (1-100).");
    level = body_text(&b, "level", 16, true, "The level is iop, php or outpatient.");
    if (level && !track_level_parse(level, &t.level))
        body_problem(&b, "level", "The level is iop, php or outpatient.");
    population = body_text(&b, "population", 16, false, "The population is adult or adolescent.");
    if (population && !track_population_parse(population, &t.population))
        body_problem(&b, "population", "The population is adult or adolescent.");
    body_int(&b, "capacity", 1, 100, false, &t.capacity);
    if (!body_date(&b, "opens", false, &t.opens))
        t.opens = program_today();
    /* Absent: the level's default; null: no minimum. */
    if (body_has(&b, "min_weekly_minutes") &&
        !body_int(&b, "min_weekly_minutes", 0, 3000, false, &t.min_weekly_minutes))
        t.min_weekly_minutes = HOURS_NONE;
    t.n_slots = read_slots(&b, slots);
    if ((e = program_checked(&b, "create", "track", NULL)) != E_OK)
        return e;
    e = store_track_add(r->store, &t, audit_entry(r, "create", "track", NULL), id, &why);
    if (e == E_OK)
        e = store_track_get(r->store, id, program_today(), &out);
    return program_written(r, e, out, &why, "create", "track", NULL, 201);
}

enum err program_track_list(struct req *r)
{
    json_t *out = NULL;
    enum err e = store_track_list(r->store, program_today(), &out);

    if (e != E_OK)
        return E_DB;
    req_model(r, out);
    return E_OK;
}

enum err program_track_get(struct req *r)
{
    json_t *out = NULL;
    enum err e = store_track_get(r->store, req_param(r, "id"), program_today(), &out);

    if (e != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    req_model(r, out);
    return E_OK;
}
