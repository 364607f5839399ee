/* program_view: the chart's Program section (issue 9): the patient's enrolments, the forms that
 * change them (join a track, move to another, step up or down, end one, discharge), the schedule
 * of the next 14 days and the weekly hours of the last eight weeks with their billable days.
 * Every figure comes from the store's functions the API answers with (store_patient_week,
 * store_program_sessions_list): this file words and lays them out, it never adds them up. Also
 * the timeline's sentences for the program's events. */
#include "modules/patients/patients.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/timefmt.h"
#include "http/resp.h"
#include "domain/hours.h"
#include "modules/admissions/admissions.h"
#include "modules/admissions/common.h"
#include "store/transitions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/principal.h"
#include "web/view.h"

#define SCHEDULE_DAYS 14
#define HOURS_WEEKS 8

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

caldate program_view_today(void)
{
    char today[11];
    caldate d = 0;

    caldate_parse(timefmt_today(time(NULL), today), &d);
    return d;
}

static const char *weekday_name(caldate d)
{
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int w = caldate_weekday(d);

    return w >= 1 && w <= 7 ? names[w - 1] : "";
}

/* "9 h 30 min", "45 min", "0 min"; in r's arena. */
static const char *minutes_words(struct req *r, json_int_t minutes)
{
    char out[48];

    if (minutes >= 60 && minutes % 60)
        snprintf(out, sizeof(out), "%lld h %lld min", (long long)(minutes / 60),
                 (long long)(minutes % 60));
    else if (minutes >= 60)
        snprintf(out, sizeof(out), "%lld h", (long long)(minutes / 60));
    else
        snprintf(out, sizeof(out), "%lld min", (long long)minutes);
    return arena_strdup(r->arena, out);
}

/* A figure the store may give as null: its words, or `none`. */
static const char *figure_words(struct req *r, const json_t *v, const char *none)
{
    return json_is_integer(v) ? minutes_words(r, json_integer_value(v)) : none;
}

/* The levels of care, lowest first: a step to a higher one is a step up. */
static int level_rank(const char *level)
{
    static const char *const order[] = {"outpatient", "iop", "php"};

    for (int i = 0; i < 3; i++)
        if (level && !strcmp(level, order[i]))
            return i;
    return -1;
}

/* A level's short name, for a list's labels that must fit a phone. */
static const char *level_short(const char *level)
{
    return !strcmp(level, "iop") ? "IOP" : !strcmp(level, "php") ? "PHP" : "outpatient";
}

/* The tracks a form offers: every one (want 0), those at the patient's level (1: a move) or at
 * another (2: a step), [{value, label, selected}]. */
static json_t *track_options(struct req *r, const char *level, int want, const char *chosen)
{
    json_t *list = NULL, *out = json_array(), *t;
    char label[320];
    size_t i;

    if (store_track_list(r->store, program_view_today(), &list) != E_OK)
        return out;
    json_array_foreach(list, i, t) {
        bool same = !strcmp(sget(t, "level"), level);
        if ((want == 1 && !same) || (want == 2 && same))
            continue;
        snprintf(label, sizeof(label), "%s (%s, %lld of %lld enrolled today)", sget(t, "name"),
                 level_short(sget(t, "level")),
                 (long long)json_integer_value(json_object_get(t, "census")),
                 (long long)json_integer_value(json_object_get(t, "capacity")));
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", sget(t, "id"), "label",
                                             label, "selected",
                                             chosen && !strcmp(chosen, sget(t, "id"))));
    }
    json_decref(list);
    return out;
}

/* The enrolments as the table shows them; *open gets the open one (borrowed from out). */
static json_t *enrolments_view(const json_t *list, caldate today, json_t **open,
                               json_t **endable)
{
    json_t *out = json_array(), *e;
    char label[320];
    size_t i;

    *open = NULL;
    json_array_foreach(list, i, e) {
        const char *end = sget(e, "end");
        caldate last = CALDATE_OPEN;
        bool current = !*end || (caldate_parse(end, &last) && last >= today);
        json_t *row = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", sget(e, "id"), "track",
            sget(e, "track_name"), "code", sget(e, "track_code"), "level",
            admissions_level_title(sget(e, "level")), "start", sget(e, "start"), "end", end,
            "by", sget(e, "by"), "override_reason", sget(e, "override_reason"), "end_reason",
            sget(e, "end_reason"), "current", current);
        if (!row)
            continue;
        json_array_append_new(out, row);
        if (!*end)
            *open = row;
        if (current) { /* an enrolment still running may be ended from the chart */
            snprintf(label, sizeof(label), "%s, from %s%s%s", sget(e, "track_name"),
                     sget(e, "start"), *end ? " to " : "", end);
            json_array_append_new(*endable, json_pack("{s:s, s:s, s:b}", "value", sget(e, "id"),
                                                      "label", label, "selected", false));
        }
    }
    return out;
}

/* The sessions of the next SCHEDULE_DAYS days that the patient is on the roster of. */
static json_t *schedule_view(struct req *r, const char *pid, caldate today, bool *failed)
{
    json_t *list = NULL, *out = json_array(), *s;
    char when[16];
    size_t i;

    if (store_program_sessions_list(r->store, today, today + SCHEDULE_DAYS - 1, NULL, pid,
                                    &list) != E_OK) {
        *failed = true;
        return out;
    }
    json_array_foreach(list, i, s) {
        caldate d = 0;
        caldate_parse(sget(s, "date"), &d);
        snprintf(when, sizeof(when), "%s–%s", sget(s, "start"), sget(s, "end"));
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:b}", "date", sget(s, "date"), "day",
                           weekday_name(d), "time", when, "title", sget(s, "title"), "kind",
                           sget(s, "kind"), "room", json_object_get(s, "room"), "cancelled",
                           !strcmp(sget(s, "status"), "cancelled")));
    }
    json_decref(list);
    return out;
}


/* A week of store_patient_week, worded: its figures and its days with attendance. */
static json_t *week_view(struct req *r, const json_t *w)
{
    json_t *days = json_array(), *d, *why;
    struct caldate_week wk;
    caldate monday = 0;
    char from[CALDATE_TEXT] = "";
    size_t i, k;

    if (caldate_week_parse(sget(w, "week"), &wk) && caldate_week_monday(wk, &monday))
        caldate_format(monday, from);
    json_array_foreach(json_object_get(w, "days"), i, d) {
        struct buf t = BUF_INIT;
        caldate day = 0;
        caldate_parse(sget(d, "date"), &day);
        json_array_foreach(json_object_get(d, "reasons"), k, why)
            buf_addf(&t, "%s%s", k ? "; " : "", hours_reason_words(json_string_value(why)));
        json_array_append_new(
            days, json_pack("{s:s, s:s, s:s, s:b, s:s}", "date", sget(d, "date"), "day",
                            weekday_name(day), "minutes",
                            minutes_words(r, json_integer_value(
                                                 json_object_get(d, "attended_minutes"))),
                            "billable", json_is_true(json_object_get(d, "billable")), "reasons",
                            arena_strdup(r->arena, buf_cstr(&t))));
        buf_free(&t);
    }
    return json_pack(
        "{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "has_days",
        json_array_size(days) > 0, "week", sget(w, "week"), "monday", from,
        "scheduled", figure_words(r, json_object_get(w, "scheduled_minutes"), "0 min"),
        "attended", figure_words(r, json_object_get(w, "attended_minutes"), "0 min"), "minimum",
        figure_words(r, json_object_get(w, "minimum_minutes"), "none this week"),
        "scheduled_shortfall",
        figure_words(r, json_object_get(w, "scheduled_shortfall"), "—"), "attended_shortfall",
        figure_words(r, json_object_get(w, "attended_shortfall"),
                     json_is_null(json_object_get(w, "minimum_minutes")) ? "—"
                                                                          : "week not over"),
        "short",
        json_integer_value(json_object_get(w, "scheduled_shortfall")) > 0 ||
            json_integer_value(json_object_get(w, "attended_shortfall")) > 0,
        "days", days);
}

/* The last HOURS_WEEKS weeks, this one first, as of today; *any: whether one has minutes. */
static json_t *weeks_view(struct req *r, const char *pid, caldate today, bool *failed,
                          bool *any)
{
    json_t *out = json_array(), *w = NULL, *row;

    for (int i = 0; i < HOURS_WEEKS; i++) {
        if (store_patient_week(r->store, pid, caldate_week_of(today - 7 * i), today, &w) !=
            E_OK) {
            *failed = true;
            break;
        }
        row = week_view(r, w);
        *any |= json_integer_value(json_object_get(w, "scheduled_minutes")) > 0 ||
                json_integer_value(json_object_get(w, "attended_minutes")) > 0;
        json_decref(w);
        if (json_array_append_new(out, row) < 0) { /* never a week left out unsaid */
            *failed = true;
            break;
        }
    }
    return out;
}

/* A form's part of the model as new: its values in scratch's form, then moved under key. */
static void form_new(struct req *r, json_t *m, const char *key, json_t *part, json_t *values)
{
    json_t *scratch = json_object();
    struct form f;

    form_init(&f, r, scratch);
    json_object_update(json_object_get(scratch, "form"), values);
    json_object_set_new(m, key, part);
    forms_move(m, key, scratch, false);
    json_decref(values);
    json_decref(scratch);
}

/* The forms a member may use on this patient, as new. */
static void program_forms(struct req *r, json_t *m, const json_t *p, json_t *prog,
                          json_t *endable)
{
    const char *level = sget(p, "level");
    bool discharged = !strcmp(sget(p, "status"), "discharged"),
         open = json_object_get(prog, "open") != NULL, admin = auth_can(r, ROLE_ADMIN);
    char today[CALDATE_TEXT];

    caldate_format(program_view_today(), today);
    if (auth_can(r, PATIENTS_ENROL_ROLES) && !discharged) {
        if (!open)
            form_new(r, m, "join_form",
                     json_pack("{s:o, s:b}", "tracks", track_options(r, level, 0, NULL), "admin",
                               admin),
                     json_pack("{s:s}", "join_start", today));
        else
            form_new(r, m, "move_form",
                     json_pack("{s:o, s:b}", "tracks", track_options(r, level, 1, NULL), "admin",
                               admin),
                     json_pack("{s:s}", "move_start", today));
    }
    if (auth_can(r, PATIENTS_STEP_ROLES) && !discharged)
        form_new(r, m, "step_form",
                 json_pack("{s:o, s:b, s:s}", "tracks", track_options(r, level, 2, NULL),
                           "admin", admin, "level", admissions_level_title(level)),
                 json_pack("{s:s}", "step_start", today));
    if (auth_can(r, PATIENTS_ENROL_ROLES) && json_array_size(endable))
        form_new(r, m, "end_form", json_pack("{s:O}", "enrolments", endable),
                 json_pack("{s:s}", "end_date", today));
    if (auth_can(r, PATIENT_EDIT_ROLES) && !discharged)
        form_new(r, m, "discharge_form",
                 json_pack("{s:s, s:o}", "from", sget(p, "status"), "reasons",
                           forms_reason_options(NULL)),
                 json_pack("{s:s}", "discharge_date", today));
}

void program_view_section(struct req *r, json_t *m, const json_t *p)
{
    const char *pid = sget(p, "public_id");
    caldate today = program_view_today();
    json_t *prog = json_object(), *list = NULL, *open = NULL, *endable = json_array();
    bool failed = false, any = false;

    if (store_transition_enrolments(r->store, pid, &list) != E_OK) {
        failed = true;
        list = json_array();
    }
    json_object_set_new(prog, "enrolments", enrolments_view(list, today, &open, &endable));
    json_object_set_new(prog, "has_enrolments", json_boolean(json_array_size(list) > 0));
    if (open)
        json_object_set(prog, "open", open);
    /* The schedule is what GET /api/v1/sessions answers: for the roles that read sessions. */
    if (auth_can(r, PATIENTS_ENROL_ROLES)) {
        json_t *sched = schedule_view(r, pid, today, &failed);
        json_object_set_new(prog, "has_schedule", json_boolean(json_array_size(sched) > 0));
        json_object_set_new(prog, "schedule", sched);
        json_object_set_new(prog, "can_schedule", json_true());
    }
    json_object_set_new(prog, "weeks", weeks_view(r, pid, today, &failed, &any));
    /* Eight weeks of zeros say nothing: a patient with no program yet is told so instead. */
    json_object_set_new(prog, "has_hours", json_boolean(any || json_array_size(list) > 0));
    json_object_set_new(prog, "error", json_boolean(failed));
    json_object_set_new(m, "program", prog);
    program_forms(r, m, p, prog, endable);
    json_decref(endable);
    json_decref(list);
}

void program_view_problem(struct form *f, const char *prefix, const struct program_why *why)
{
    static const struct {
        const char *store, *form;
    } fields[] = {{"track_id", "track"},       {"start", "start"},   {"reason", "reason"},
                  {"override_reason", "override"}, {"end", "date"}, {"end_reason", "reason"},
                  {"discharge_date", "date"}};
    char name[64];
    const char *suffix = "track";

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (!strcmp(why->field, fields[i].store))
            suffix = fields[i].form;
    snprintf(name, sizeof(name), "%s_%s", prefix, suffix);
    form_problem(f, name, why->message[0] ? why->message : "This change could not be made.");
}

/* The program's sentences: "Moved from track day-iop to track evening-iop from 2026-03-09". */
static bool program_event_text(const json_t *ev, struct buf *t)
{
    const char *kind = sget(ev, "kind"), *from = sget(ev, "from"), *to = sget(ev, "to"),
               *date = sget(ev, "date"), *party = sget(ev, "party"), *label;

    if (!strcmp(kind, "enrolled")) {
        buf_addf(t, "Enrolled in track %s from %s", to, date);
        if (*sget(ev, "reason"))
            buf_adds(t, ", past the track's capacity");
    } else if (!strcmp(kind, "track-moved")) {
        buf_addf(t, "Moved from track %s to track %s from %s", *from ? from : "(none)", to, date);
    } else if (!strcmp(kind, "level-changed")) {
        buf_addf(t, "Stepped %s from %s to %s", level_rank(to) > level_rank(from) ? "up" : "down",
                 admissions_level_title(from), admissions_level_title(to));
        if (*party)
            buf_addf(t, ", track %s,", party);
        buf_addf(t, " from %s", date);
    } else if (!strcmp(kind, "enrolment-ended")) {
        buf_addf(t, "Enrolment in track %s ends on %s", to, date);
    } else if (!strcmp(kind, "status-change") && !strcmp(to, "discharged")) {
        label = forms_reason_label(sget(ev, "detail"));
        buf_addf(t, "Status: %s to Discharged", patient_flow_status_label_of(from));
        if (*date)
            buf_addf(t, " on %s", date);
        if (label)
            buf_addf(t, " (%s)", label);
    } else {
        return false;
    }
    return true;
}

json_t *program_view_timeline(struct req *r, const json_t *events)
{
    json_t *out = json_array(), *ev, *one, *told;
    size_t i;

    json_array_foreach(events, i, ev) {
        struct buf t = BUF_INIT;
        if (program_event_text(ev, &t)) {
            json_array_append_new(
                out, json_pack("{s:s, s:s, s:O, s:O}", "when", view_time(r, sget(ev, "at")),
                               "text", arena_strdup(r->arena, buf_cstr(&t)), "reason",
                               json_object_get(ev, "reason"), "by", json_object_get(ev, "by")));
        } else { /* every other event as the admissions timeline tells it */
            one = json_pack("[O]", ev);
            told = timeline_view(r, one);
            json_array_extend(out, told);
            json_decref(told);
            json_decref(one);
        }
        buf_free(&t);
    }
    return out;
}

/* Marks the choice of a list (its items' `flag`) whose value is the form's field. */
static void mark(json_t *part, const char *list, const char *flag, const char *field)
{
    const char *chosen = sget(json_object_get(part, "form"), field);
    json_t *o;
    size_t i;

    json_array_foreach(json_object_get(part, list), i, o)
        json_object_set_new(o, flag, json_boolean(!strcmp(sget(o, "value"), chosen)));
}

enum err program_view_answer(struct req *r, json_t **m, const char *prefix, json_t *scratch,
                             struct form *f, enum err e, const struct program_why *why)
{
    char key[32], field[48], loc[96];
    json_t *part;

    if (e == E_INVALID || e == E_CONFLICT || e == E_FORBIDDEN) {
        if (why && why->field[0])
            program_view_problem(f, prefix, why);
        else if (!f->problems) /* a refusal the store did not explain: the status changed */
            return e;
    }
    if (!f->problems) {
        if (e == E_OK) {
            snprintf(loc, sizeof(loc), "/staff/patients/%s#program", req_param(r, "id"));
            resp_redirect(r, 303, arena_strdup(r->arena, loc));
        }
        return e;
    }
    snprintf(key, sizeof(key), "%s_form", prefix);
    /* A form the chart does not offer now (a join over an open enrolment, a move of a discharged
     * patient) is still shown with its problem: the member sees why, not a page without it. */
    if (!json_object_get(*m, key))
        json_object_set_new(*m, key, json_pack("{s:o, s:b}", "tracks",
                                               track_options(r, "", 0, NULL), "admin",
                                               auth_can(r, ROLE_ADMIN)));
    forms_move(*m, key, scratch, true);
    part = json_object_get(*m, key);
    snprintf(field, sizeof(field), "%s_track", prefix);
    mark(part, "tracks", "selected", field);
    mark(part, "enrolments", "selected", "end_enrolment");
    mark(part, "reasons", "checked", "discharge_reason");
    req_model(r, *m);
    *m = NULL;
    return e == E_OK ? E_INVALID : e;
}

enum err program_view_done(struct req *r, enum err e, json_t *scratch, json_t *m, json_t *p)
{
    if (e != E_OK)
        audit_record(r, "update", "patient", req_param(r, "id"), audit_outcome(e));
    json_decref(scratch);
    json_decref(m);
    json_decref(p);
    return e;
}
