/* demo_record_notes: the demo program's notes (demo_record.h), written as a clinician writes
 * them through the store: for each group or workshop session a group note (the topic, the
 * interventions used, a summary) with a section per attendee (participation, how they
 * responded, progress on an objective of their current plan), signed; for each individual or
 * family session a DAP note with its progress, signed. The text is the demo's own and never
 * names another member in a section. The last group session's note stays a draft, so the Today
 * screen has a note to finish and that day shows as not yet billable. */
#include "cli/demo_record_notes.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/notes.h"
#include "store/program.h"

#define MAX_ATTENDEES 24

/* What a group note's shared part says, by the session's title. */
struct demo_topic {
    const char *title, *interventions, *summary;
};

static const struct demo_topic topics[] = {
    {"Process group", "Check-in round, motivational interviewing, reflective listening.",
     "Members checked in on the days since the last group, named a high and a low point, and "
     "gave each other feedback on the week's plans."},
    {"Relapse prevention workshop", "Psychoeducation, relapse prevention planning (Marlatt).",
     "Warning signs of a lapse and the decisions that lead to one; each member updated a "
     "written relapse prevention plan."},
    {"Family and relationships workshop", "Psychoeducation, role-play of hard conversations.",
     "How use has affected the people close to members; practising asking for support and "
     "setting a boundary."},
    {"Check-in and goals", "Goal setting, brief check-in.",
     "Each member named one goal for the next two days and who would know about it."},
    {"Skills group: coping with cravings", "CBT skills: urge surfing, delay and distract.",
     "Cravings as waves that pass; members practised urge surfing and built a list of "
     "distractions for the evening hours."},
    {"Managing triggers workshop", "CBT, trigger mapping.",
     "Members mapped their people, places and feelings triggers and chose one to avoid or "
     "plan for this week."},
};

/* How a member took part, chosen by a hash so the weeks read differently. */
static const char *const responses[] = {
    "Shared openly about a craving at a family dinner and how urge surfing got them through "
    "it.",
    "Listened closely and gave supportive feedback; spoke about stress at work as a trigger.",
    "Described a weekend plan with a sober activity and a person to call; accepted "
    "suggestions.",
    "Talked about sleeping better since the routine started; said mornings are still hard.",
    "Identified boredom in the evening as a main trigger and named two alternatives.",
    "Reflected on what the group said last time and reported trying it at home.",
};
#define N_RESPONSES (sizeof(responses) / sizeof(*responses))

struct notes {
    struct store *s;
    long clinician;
    const char *slow;
    const struct audit_entry *audit;
};

static int refused(const char *what, enum err e, const struct program_why *why)
{
    log_error("demo record: %s refused (%d): %s %s", what, (int)e, why ? why->field : "",
              why ? why->message : "");
    return -1;
}

static const struct demo_topic *topic_of(const char *title)
{
    for (size_t i = 0; i < sizeof(topics) / sizeof(*topics); i++)
        if (!strcmp(topics[i].title, title))
            return &topics[i];
    return &topics[0];
}

static unsigned hash_of(const char *a, const char *b)
{
    unsigned h = 2166136261u;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 16777619u;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 16777619u;
    return h;
}

/* The id of an objective still open (the pick-th of them, round), else of the first one. */
static const char *open_objective(json_t *objectives, unsigned pick)
{
    json_t *o, *open[16];
    size_t i, n = 0;

    json_array_foreach(objectives, i, o) {
        const char *status = json_string_value(json_object_get(o, "status"));
        if (n < 16 && status && !strcmp(status, "open"))
            open[n++] = o;
    }
    o = n ? open[pick % n] : json_array_get(objectives, 0);
    return json_string_value(json_object_get(o, "id"));
}

/* One attendee's section: late arrivals and early leavers say so; the slow patient's sections
 * say the work is not moving. */
static void section_of(const struct notes *n, json_t *who, const char *session,
                       struct note_section_in *sec, struct note_progress_in *prog)
{
    const char *status = json_string_value(json_object_get(who, "status"));
    json_t *objectives = json_object_get(who, "objectives");
    bool slow = !strcmp(json_string_value(json_object_get(who, "last_name")), n->slow);
    unsigned h = hash_of(json_string_value(json_object_get(who, "patient_id")), session);

    *prog = (struct note_progress_in){.objective_id = open_objective(objectives, h),
                                      .progress = slow         ? "no-change"
                                                  : h % 7 == 0 ? "no-change"
                                                               : "progressing"};
    *sec = (struct note_section_in){.patient_id = json_string_value(json_object_get(who,
                                                                                 "patient_id")),
                                    .participation = slow     ? "minimal"
                                                     : h % 3 ? "engaged"
                                                             : "active",
                                    .response = responses[h % N_RESPONSES], .risk = "none",
                                    .progress = prog, .n_progress = 1};
    if (slow)
        sec->response = "Quiet for most of the group; said things at home are hard and that "
                        "coming is hard too. Agreed to talk about it in individual therapy.";
    else if (!strcmp(status, "late"))
        sec->response = "Arrived late and joined after the check-in; engaged once there.";
    else if (!strcmp(status, "left-early"))
        sec->response = "Took part in the first half, then left early for a family matter.";
}

/* The group note of one session, signed unless `draft`. */
static int group_note(const struct notes *n, const char *session, const char *title, bool draft)
{
    const struct demo_topic *t = topic_of(title);
    struct note_section_in secs[MAX_ATTENDEES];
    struct note_progress_in prog[MAX_ATTENDEES];
    struct note_group_in g = {.b = t->interventions, .c = t->summary, .sections = secs};
    struct program_why why = {0};
    json_t *form = NULL, *who;
    char note[33];
    bool created;
    size_t i;
    enum err e;

    if ((e = store_note_group_form(n->s, session, &form)) != E_OK)
        return refused("group note form", e, NULL);
    json_array_foreach(json_object_get(form, "attendees"), i, who) {
        if (g.n_sections < MAX_ATTENDEES && json_array_size(json_object_get(who, "objectives")))
            section_of(n, who, session, &secs[g.n_sections], &prog[g.n_sections]), g.n_sections++;
    }
    e = g.n_sections ? store_note_group_save(n->s, session, n->clinician, &g, n->audit, note,
                                             &created, &why)
                     : E_OK;
    json_decref(form);
    if (e != E_OK)
        return refused("group note", e, &why);
    if (g.n_sections && !draft &&
        (e = store_note_sign(n->s, note, n->clinician, n->audit, &why)) != E_OK)
        return refused("group note signature", e, &why);
    return 0;
}

/* The DAP note of an individual or family session with patient, signed. */
static int own_note(const struct notes *n, json_t *session)
{
    const char *kind = json_string_value(json_object_get(session, "kind"));
    const char *patient = json_string_value(json_array_get(json_object_get(session, "roster"), 0));
    const char *date = json_string_value(json_object_get(session, "date"));
    bool family = !strcmp(kind, "family");
    struct note_progress_in prog = {.progress = "progressing"};
    struct note_individual_in in = {
        .kind = kind, .form = "dap",
        .session_id = json_string_value(json_object_get(session, "id")),
        .parts = {family ? "Family session, 60 minutes, with the patient and a parent. Talked "
                           "about what the family has seen since admission and what helps."
                         : "Individual session, 50 minutes. Reviewed the craving log, sleep and "
                           "the week's attendance; went over the latest PHQ-9 and GAD-7 with "
                           "the patient.",
                  family ? "The family is supportive and wants to learn how to help without "
                           "checking up; communication is warmer than at intake."
                         : "Engaged and honest about the week. Using the coping skills more "
                           "often; mood and worry are easing.",
                  family ? "A second family session in two weeks; the family is given the "
                           "family and relationships workshop's handout."
                         : "Continue the plan; practise one coping skill daily and bring the "
                           "log to the next session."},
        .progress = &prog, .n_progress = 1};
    struct program_why why = {0};
    json_t *objectives = NULL;
    char note[33];
    enum err e;

    if ((e = store_note_objectives(n->s, patient, date, &objectives)) != E_OK)
        return refused("objectives", e, NULL);
    prog.objective_id = open_objective(objectives, family ? 0 : 1);
    e = prog.objective_id ? store_note_individual_add(n->s, patient, n->clinician, &in, n->audit,
                                                      note, &why)
                          : E_OK;
    if (e == E_OK && prog.objective_id)
        e = store_note_sign(n->s, note, n->clinician, n->audit, &why);
    json_decref(objectives);
    return e == E_OK ? 0 : refused("individual note", e, &why);
}

int demo_record_notes(struct store *s, long clinician, caldate from, caldate today,
                      const char *slow, const struct audit_entry *audit)
{
    struct audit_entry a = *audit;
    struct notes n = {.s = s, .clinician = clinician, .slow = slow, .audit = &a};
    json_t *list = NULL, *session;
    size_t i, last = (size_t)-1;
    int ret = 0;

    a.record_type = "note";
    if (from >= today)
        return 0;
    if (store_program_sessions_list(s, from, today - 1, NULL, NULL, &list) != E_OK)
        return -1;
    json_array_foreach(list, i, session) {
        const char *kind = json_string_value(json_object_get(session, "kind"));
        if (!strcmp(kind, "group") || !strcmp(kind, "workshop"))
            last = i;
    }
    json_array_foreach(list, i, session) {
        const char *kind = json_string_value(json_object_get(session, "kind"));
        if (!strcmp(json_string_value(json_object_get(session, "status")), "cancelled"))
            continue;
        if (!strcmp(kind, "group") || !strcmp(kind, "workshop"))
            ret = group_note(&n, json_string_value(json_object_get(session, "id")),
                             json_string_value(json_object_get(session, "title")), i == last);
        else if (!strcmp(kind, "individual") || !strcmp(kind, "family"))
            ret = own_note(&n, session);
        if (ret < 0)
            break;
    }
    json_decref(list);
    return ret;
}
