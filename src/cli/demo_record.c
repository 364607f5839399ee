/* demo_record: the clinical record of the demo program's patients (demo_program.c makes them),
 * written through the store's own clinical writes, each audited as user "demo": a treatment plan
 * per patient, signed and acknowledged on the day of admission (acknowledgement takes its date),
 * reviewed every thirty days; PHQ-9 and GAD-7 every two weeks from
 * admission and PACS every week for those whose primary substance is alcohol (the clinic's
 * default schedule, migration 0020), improving for all but one patient; two drug screens, one
 * with the buprenorphine positive a prescription explains; then the notes
 * (demo_record_notes.c). No PHQ-9 answer in the demo has item 9 above 0: an urgent alert would
 * alarm a visitor and it is shown by the tests, not by the demo. Left undone for the Today
 * screen: one plan review due this week and the last group session's note as a draft.
 * Written with relaxed durability (store/demo_bulk.h): hundreds of fsyncs would cost seconds. */
#include "cli/demo_record.h"

#include <stdio.h>
#include <string.h>

#include "cli/demo_record_notes.h"
#include "core/log.h"
#include "domain/screen.h"
#include "store/admissions.h"
#include "store/demo_backdate.h"
#include "store/demo_bulk.h"
#include "store/drug_screens.h"
#include "store/measures.h"
#include "store/plans.h"
#include "store/program.h"

#define REVIEW_DAYS 30 /* the clinic's plan_review_days as migration 0020 sets it */

enum demo_use { ALCOHOL, OPIOIDS, STIMULANTS, CANNABIS };

/* What the plan says about a primary substance. */
struct demo_use_text {
    const char *problem, *goal, *triggers, *coping, *intervention, *frequency;
};

static const struct demo_use_text uses[] = {
    [ALCOHOL] = {"Alcohol use disorder: drinking daily before admission, and a return to "
                 "drinking after earlier attempts to stop.",
                 "Stay sober one day at a time and keep my family's trust.",
                 "Name three personal triggers for drinking, with a coping plan for each, in "
                 "relapse prevention group.",
                 "Use a coping skill instead of drinking when a craving comes, and log each use "
                 "for the weekly review.",
                 "Relapse prevention workshop", "3x/week"},
    [OPIOIDS] = {"Opioid use disorder, on buprenorphine since detox; risk of a return to use "
                 "under stress.",
                 "Stay on my medication and off everything else.",
                 "Name three high-risk situations for opioid use, with a plan for each.",
                 "Take buprenorphine as prescribed and keep every prescriber visit.",
                 "Coordination with the buprenorphine prescriber", "monthly"},
    [STIMULANTS] = {"Stimulant use disorder: weekend binges of methamphetamine with days of "
                    "crash and missed work after them.",
                    "Get my weekends and my job back.",
                    "Name the people, places and feelings that lead to a binge, and a plan for "
                    "each.",
                    "Plan each weekend ahead with a sober activity and a person to call.",
                    "Contingency management with weekly screens", "weekly"},
    [CANNABIS] = {"Cannabis use disorder: daily use to sleep and to manage stress; use is "
                  "getting in the way of school.",
                  "Sleep and handle stress without getting high.",
                  "Name three stressors that lead to use, with another way to meet each.",
                  "Practise one relaxation skill each evening and note it in a log.",
                  "Skills group: coping with cravings", "weekly"},
};

/* A demo patient's record, by last name (demo_program.c's people). */
struct demo_chart {
    const char *last;
    enum demo_use use;
    int phq, gad; /* at admission */
    bool support; /* a third problem: few sober supports */
};

/* clang-format off */
static const struct demo_chart charts[] = {
    {"Quintero", ALCOHOL, 16, 12, true},     {"Whitaker", ALCOHOL, 14, 11, false},
    {"Raghunathan", STIMULANTS, 17, 14, true}, {"Kowalczyk", ALCOHOL, 12, 9, false},
    {"Kahale", OPIOIDS, 15, 13, true},       {"Greenberg", ALCOHOL, 13, 10, false},
    {"Lindqvist", ALCOHOL, 18, 15, true},    {"Castañeda", ALCOHOL, 11, 8, false},
    {"Zhou", CANNABIS, 15, 14, true},        {"Haddad", OPIOIDS, 14, 12, false},
    {"Moore", OPIOIDS, 19, 16, true},        {"Mensah", ALCOHOL, 13, 9, false},
    {"Tanabe", OPIOIDS, 16, 13, false},      {"O'Malley", ALCOHOL, 15, 12, true},
    {"Benali", STIMULANTS, 14, 15, false},   {"Osei", ALCOHOL, 12, 10, true},
    {"Delgado", ALCOHOL, 17, 13, false},     {"Petrov", ALCOHOL, 13, 11, true},
    {"Nwosu", CANNABIS, 16, 14, false},      {"Thibodeaux", ALCOHOL, 15, 11, true},
};
/* clang-format on */
#define N_CHARTS (sizeof(charts) / sizeof(*charts))
#define SLOW "O'Malley" /* whose scores do not improve (and who missed two sessions) */

struct rec {
    struct store *s;
    long clinician;
    caldate today;
    bool review_left; /* the one plan review left due this week is chosen */
    struct audit_entry audit;
};

/* One demo patient as the record needs them. */
struct rec_patient {
    const char *id; /* public id */
    const struct demo_chart *c;
    caldate start, end; /* admission; the last day in the program (CALDATE_OPEN: still in it) */
    long row;           /* patients.id */
};

static int refused(const char *what, enum err e, const struct program_why *why)
{
    log_error("demo record: %s refused (%d): %s %s", what, (int)e, why ? why->field : "",
              why ? why->message : "");
    return -1;
}

static json_t *objective(const char *text, caldate target)
{
    char date[CALDATE_TEXT];
    return json_pack("{s:s, s:s}", "text", text, "target_date", caldate_format(target, date));
}

/* The plan of a patient as written on the day of admission: the substance, mood and worry,
 * and for some the lack of sober supports; each problem with a goal in the patient's words,
 * measurable objectives and what the staff do how often. */
static json_t *plan_content(const struct rec_patient *p)
{
    const struct demo_use_text *u = &uses[p->c->use];
    json_t *problems = json_array();

    json_array_append_new(
        problems,
        json_pack("{s:i, s:s, s:s, s:[{s:s, s:[o, o]}], s:[{s:s, s:s}, {s:s, s:s}]}",
                  "asam_dimension", 5, "statement", u->problem, "source", "intake", "goals",
                  "text", u->goal, "objectives", objective(u->triggers, p->start + 21),
                  objective(u->coping, p->start + 60), "interventions", "text", u->intervention,
                  "frequency", u->frequency, "text", "Individual therapy (cognitive behavioural)",
                  "frequency", "every other week"));
    json_array_append_new(
        problems,
        json_pack("{s:i, s:s, s:s, s:[{s:s, s:[o]}], s:[{s:s, s:s}, {s:s, s:s}]}",
                  "asam_dimension", 3, "statement",
                  "Low mood, poor sleep and constant worry since the use increased (PHQ-9 and "
                  "GAD-7 at admission).",
                  "source", "intake", "goals", "text",
                  "Feel more like myself and sleep through the night.", "objectives",
                  objective("Keep a regular bedtime and wake time, and report on sleep and mood "
                            "in each individual session.",
                            p->start + 56),
                  "interventions", "text", "Process group", "frequency", "3x/week", "text",
                  "PHQ-9 and GAD-7, reviewed with the patient", "frequency", "every two weeks"));
    if (p->c->support)
        json_array_append_new(
            problems,
            json_pack("{s:i, s:s, s:s, s:[{s:s, s:[o]}], s:[{s:s, s:s}]}", "asam_dimension", 6,
                      "statement", "Few people in daily life who support recovery.", "source",
                      "clinician", "goals", "text", "Have people to call when it gets hard.",
                      "objectives",
                      objective("Go to two mutual-help meetings (AA, NA or SMART Recovery) a "
                                "week and keep two supportive contacts' numbers in the phone.",
                                p->start + 28),
                      "interventions", "text", "Family and relationships workshop",
                      "frequency", "weekly"));
    return json_pack("{s:s, s:o}", "summary",
                     "Intensive outpatient program, 9 hours a week in the track, individual "
                     "therapy every other week. Strengths: motivated, employed or in school, "
                     "family involved.",
                     "problems", problems);
}

/* Signs a draft and records the patient's acknowledgement in person on `on`: the version is
 * current from that day. *plan keeps its id. */
static int sign_and_acknowledge(struct rec *r, const char *plan, caldate on, caldate *review_due)
{
    struct program_why why = {0};
    char date[CALDATE_TEXT];
    json_t *out = NULL;
    enum err e;

    if ((e = store_plan_sign(r->s, plan, r->clinician, &r->audit, &out, &why)) != E_OK)
        return refused("plan signature", e, &why);
    json_decref(out);
    e = store_plan_acknowledge(r->s, plan, "in-person", NULL, caldate_format(on, date),
                               r->clinician, &r->audit, &out, &why);
    if (e == E_OK)
        caldate_parse(json_string_value(json_object_get(out, "review_due")), review_due);
    json_decref(out);
    return e == E_OK ? 0 : refused("plan acknowledgement", e, &why);
}

/* A review on `on`: the current version copied into a draft, the objectives whose target has
 * passed met (the slow patient's revised), signed and acknowledged. *plan becomes the new version's
 * id. */
static int review(struct rec *r, char plan[33], caldate on, bool slow, caldate *review_due)
{
    struct program_why why = { 0 };
    json_t *draft = NULL, *out = NULL, *problem, *goal, *obj;
    size_t i, j, k;
    caldate target;
    enum err e;

    if ((e = store_plan_review(r->s, plan, r->clinician, &r->audit, &draft, &why)) != E_OK)
        return refused("plan review", e, &why);
    snprintf(plan, 33, "%s", json_string_value(json_object_get(draft, "id")));
    json_array_foreach(json_object_get(draft, "problems"), i, problem) {
        json_array_foreach(json_object_get(problem, "goals"), j, goal) {
            json_array_foreach(json_object_get(goal, "objectives"), k, obj) {
                if (caldate_parse(json_string_value(json_object_get(obj, "target_date")),
                                  &target) && target < on)
                    json_object_set_new(obj, "status", json_string(slow ? "revised" : "met"));
            }
        }
    }
    json_object_set_new(draft, "summary",
                        json_string(slow ? "Reviewed with the patient at thirty days: mood "
                                           "and attendance are not improving; objectives "
                                           "revised, to be discussed with the medical staff."
                                         : "Reviewed with the patient at thirty days: "
                                           "attending, the triggers named; the coping skills "
                                           "and supports go on."));
    e = store_plan_replace(r->s, plan, draft, &r->audit, &out, &why);
    json_decref(draft);
    json_decref(out);
    if (e != E_OK)
        return refused("plan revision", e, &why);
    return sign_and_acknowledge(r, plan, on, review_due);
}

/* The plan and its reviews every thirty days while in the program. A review that falls in the
 * next seven days is left due for one patient (the Today screen's); the others' were done
 * early, at yesterday's team meeting. */
static int plan_of(struct rec *r, const struct rec_patient *p)
{
    struct program_why why = {0};
    json_t *content = plan_content(p), *out = NULL;
    char plan[33];
    caldate due = CALDATE_OPEN;
    enum err e;

    e = store_plan_create(r->s, p->id, content, r->clinician, &r->audit, &out, &why);
    json_decref(content);
    if (e != E_OK)
        return refused("plan", e, &why);
    snprintf(plan, sizeof(plan), "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    if (sign_and_acknowledge(r, plan, p->start, &due) < 0)
        return -1;
    while (due <= r->today + 7 && due <= p->end) {
        caldate on = due;
        if (due >= r->today) {
            if (!r->review_left)
                return r->review_left = true, 0;
            on = r->today - 1;
        }
        if (review(r, plan, on, !strcmp(p->c->last, SLOW), &due) < 0)
            return -1;
    }
    return 0;
}

/* total spread over n items of at most max each, starting at item `from` (deterministic, so
 * the same total reads the same way). */
static void spread(int *answers, size_t n, int max, int total, size_t from)
{
    memset(answers, 0, n * sizeof(*answers));
    for (size_t k = 0; total > 0 && k < n * (size_t)max; k++) {
        size_t i = (from + k) % n;
        if (answers[i] < max)
            answers[i]++, total--;
    }
}

static int measure(struct rec *r, const struct rec_patient *p, const char *instrument,
                   caldate on, int total)
{
    int answers[9];
    size_t n = !strcmp(instrument, "phq9") ? 9 : !strcmp(instrument, "gad7") ? 7 : 5;
    char date[CALDATE_TEXT];
    struct measure_entry m = {.patient = p->row, .instrument = instrument,
                              .taken_on = caldate_format(on, date), .answers = answers,
                              .n_answers = n, .source = "staff", .entered_by = r->clinician};
    enum err e;

    /* PHQ-9's item 9 stays 0: the first eight items carry the total */
    spread(answers, n == 9 ? 8 : n, n == 5 ? 6 : 3, total, (size_t)(p->row % 5));
    if (n == 9)
        answers[8] = 0;
    r->audit.record_type = "measure";
    e = store_measure_add(r->s, &m, &r->audit);
    r->audit.record_type = "plan";
    return e == E_OK ? 0 : refused("measure", e, NULL);
}

/* PHQ-9 and GAD-7 every two weeks, PACS every week for alcohol, from admission to yesterday:
 * better by a few points each time for all but one patient, whose scores creep up. */
static int measures_of(struct rec *r, const struct rec_patient *p)
{
    bool slow = !strcmp(p->c->last, SLOW);
    caldate last = p->end < r->today ? p->end : r->today - 1;

    for (int k = 0; p->start + 7 * k <= last; k++) {
        caldate on = p->start + 7 * k;
        int phq = slow ? p->c->phq + k / 2 : p->c->phq - 3 * (k / 2) - (int)(p->row % 2),
            gad = slow ? p->c->gad + k % 3 / 2 : p->c->gad - 2 * (k / 2);
        if (k % 2 == 0 && (measure(r, p, "phq9", on, phq < 3 ? 3 : phq) < 0 ||
                           measure(r, p, "gad7", on, gad < 2 ? 2 : gad) < 0))
            return -1;
        if (p->c->use == ALCOHOL &&
            measure(r, p, "pacs", on, slow ? 19 + k % 2 : 22 - 3 * k < 4 ? 4 : 22 - 3 * k) < 0)
            return -1;
    }
    return 0;
}

/* A urine screen observed a week ago: negative but for the buprenorphine prescribed to
 * patients in opioid treatment (an expected positive raises no alert). */
static int screen_of(struct rec *r, const struct rec_patient *p)
{
    static const char *const panel[] = {"buprenorphine", "fentanyl", "opiates", "oxycodone",
                                        "methamphetamine", "cocaine"};
    struct screen_result res[6];
    char date[CALDATE_TEXT], id[33];
    bool opioids = p->c->use == OPIOIDS, alerted = false;
    struct drug_screen d = {.collected_on = caldate_format(r->today - 7, date),
                            .specimen = "urine", .observed = true, .lab = "none",
                            .comment = opioids ? "Buprenorphine-naloxone is prescribed: the "
                                                 "positive is expected."
                                               : NULL,
                            .results = res, .n_results = 6, .entered_by = r->clinician};
    enum err e;

    for (size_t i = 0; i < 6; i++) {
        res[i] = (struct screen_result){.result = "negative"};
        snprintf(res[i].substance, sizeof(res[i].substance), "%s", panel[i]);
    }
    if (opioids)
        res[0].result = "positive", res[0].expected = true;
    r->audit.record_type = "drug-screen";
    e = store_drug_screen_add(r->s, p->id, &d, &r->audit, id, &alerted);
    r->audit.record_type = "plan";
    return e == E_OK && !alerted ? 0 : refused("drug screen", e, NULL);
}

static const struct demo_chart *chart_of(const char *last)
{
    for (size_t i = 0; i < N_CHARTS; i++)
        if (last && !strcmp(charts[i].last, last))
            return &charts[i];
    return NULL;
}

/* Patient row's facts: the chart, row id, admission and (discharged) the enrolment's end. */
static int patient_of(struct rec *r, json_t *row, struct rec_patient *p)
{
    struct measures_patient mp;
    json_t *list = NULL;
    const char *end;

    p->id = json_string_value(json_object_get(row, "public_id"));
    p->c = chart_of(json_string_value(json_object_get(row, "last_name")));
    p->end = CALDATE_OPEN;
    if (!p->c || store_measures_patient(r->s, p->id, &mp) != E_OK ||
        !caldate_parse(mp.admission_date, &p->start))
        return -1;
    p->row = mp.id;
    if (store_enrolments_of(r->s, p->id, &list) != E_OK)
        return -1;
    end = json_string_value(json_object_get(json_array_get(list, 0), "end"));
    if (end)
        caldate_parse(end, &p->end);
    json_decref(list);
    return 0;
}

int demo_record(struct store *s, long clinician, caldate today, const struct audit_entry *audit)
{
    struct rec r = {.s = s, .clinician = clinician, .today = today, .audit = *audit};
    json_t *patients = NULL, *row;
    caldate first = today;
    size_t i;
    int ret = 0, screens = 0;

    r.audit.action = "create";
    r.audit.record_type = "plan";
    if (store_adm_patient_search(s, NULL, NULL, &patients) != E_OK ||
        store_demo_bulk(s, true) != E_OK) {
        json_decref(patients);
        return -1;
    }
    /* oldest admissions first, as the program grew */
    for (i = json_array_size(patients); ret == 0 && i-- > 0;) {
        struct rec_patient p;
        row = json_array_get(patients, i);
        if ((ret = patient_of(&r, row, &p)) < 0 || (ret = plan_of(&r, &p)) < 0 ||
            (ret = measures_of(&r, &p)) < 0)
            break;
        if (p.start < first)
            first = p.start;
        if ((!strcmp(p.c->last, "Tanabe") || !strcmp(p.c->last, "Quintero")) &&
            p.start < today - 7 && (ret = screen_of(&r, &p)) == 0)
            screens++;
    }
    json_decref(patients);
    if (ret == 0)
        ret = demo_record_notes(s, clinician, first, today, SLOW, &r.audit);
    if (ret == 0 && store_demo_backdate(s, clinician, &r.audit) != E_OK)
        ret = -1;
    if (store_demo_bulk(s, false) != E_OK)
        ret = -1;
    if (ret == 0)
        log_info("demo record: plans, measures, %d drug screens and the notes", screens);
    return ret;
}
