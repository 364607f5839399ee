/* demo_program: `make run` shows a program that has been running for six weeks: twenty
 * fictional patients (555-01xx numbers) admitted directly and enrolled in the demo morning and
 * evening tracks, attendance for every session dated before today, and individual sessions with
 * the demo clinician. Everything goes through the store's own writes, so the data obeys the
 * program's rules (spec program.md) and each write has its audit entry, as user "demo".
 * The demo tells the truth about hours: a track day is exactly 180 minutes, the H0015 threshold,
 * so a late arrival makes the day not billable unless an individual session the same day makes
 * up the minutes (both are shown). A few patients are set up so that each alert appears. */
#include "cli/demo_program.h"
#include "cli/demo_record.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "domain/caldate.h"
#include "domain/contact.h"
#include "store/admissions.h"
#include "store/program.h"
#include "store/staff.h"

#define CLINICIAN "clinician@demo.haven"

enum demo_role {
    PLAIN = 0,
    MISS_TWO = 1,       /* absent from the last two track days: "missed-two-in-a-row" */
    UNDER = 2,          /* misses part of last week: "attended-under-minimum" */
    DISCHARGED = 4,     /* completed the program last Wednesday */
    LATE_SAVED = 8,     /* late two weeks ago on a day an individual session makes billable */
    LATE_UNBILLED = 16, /* late two weeks ago, nothing else that day: not billable */
    FAMILY = 32,        /* a family session last week */
};

struct demo_person {
    const char *first, *last, *dob, *contact, *relationship;
    int track;     /* 0 morning, 1 evening */
    int weeks_ago; /* admitted on the Monday this many weeks before this week's */
    int start_day; /* days after that Monday */
    int role;
};

/* clang-format off */
static const struct demo_person people[] = {
    {"Marisol", "Quintero", "1988-03-14", "Luis Quintero", "brother", 0, 6, 0, PLAIN},
    {"Darnell", "Whitaker", "1979-11-02", "Keisha Whitaker", "wife", 0, 6, 0, LATE_UNBILLED},
    {"Priya", "Raghunathan", "1993-06-21", "Anand Raghunathan", "father", 0, 5, 0, LATE_SAVED},
    {"Tomasz", "Kowalczyk", "1971-01-30", "Ewa Kowalczyk", "wife", 0, 5, 0, UNDER},
    {"Leilani", "Kahale", "1998-09-09", "Malia Kahale", "mother", 0, 4, 0, PLAIN},
    {"Ethan", "Greenberg", "1985-04-17", "Rachel Greenberg", "sister", 0, 6, 0, DISCHARGED},
    {"Hannah", "Lindqvist", "1990-12-05", "Erik Lindqvist", "husband", 0, 3, 0, PLAIN},
    {"Jorge", "Castañeda", "1967-07-23", "Elena Castañeda", "wife", 0, 2, 0, PLAIN},
    {"Mei-Ling", "Zhou", "2001-02-11", "Wei Zhou", "father", 0, 2, 0, FAMILY},
    {"Rashid", "Haddad", "1982-08-28", "Samira Haddad", "sister", 0, 1, 0, PLAIN},
    {"Bethany", "Moore", "1995-05-03", "Carol Moore", "mother", 1, 6, 0, PLAIN},
    {"Kwame", "Mensah", "1976-10-19", "Abena Mensah", "wife", 1, 6, 0, PLAIN},
    {"Yuki", "Tanabe", "1989-01-08", "Kenji Tanabe", "brother", 1, 5, 0, PLAIN},
    {"Connor", "O'Malley", "1992-03-27", "Siobhan O'Malley", "mother", 1, 5, 0, MISS_TWO},
    {"Fatima", "Benali", "1987-11-14", "Youssef Benali", "husband", 1, 4, 0, PLAIN},
    {"Samuel", "Osei", "1969-06-30", "Ama Osei", "daughter", 1, 4, 0, PLAIN},
    {"Rosa", "Delgado", "1974-02-22", "Miguel Delgado", "son", 1, 3, 0, PLAIN},
    {"Nikolai", "Petrov", "1983-09-15", "Irina Petrova", "sister", 1, 3, 0, PLAIN},
    {"Amara", "Nwosu", "1996-12-01", "Chidi Nwosu", "brother", 1, 1, 1, PLAIN},
    {"Grace", "Thibodeaux", "1961-04-12", "Paul Thibodeaux", "husband", 1, 2, 0, PLAIN},
};
/* clang-format on */
#define N_PEOPLE (sizeof(people) / sizeof(*people))
#define SPAN_DAYS 70 /* the clinician's one-off sessions per date, from eight weeks back */

struct demo {
    struct store *s;
    caldate today, monday; /* this week's Monday */
    long clinician;
    char track[2][33];
    caldate opens[2];
    int days[2][3]; /* each track's weekdays (1 = Monday) */
    char patient[N_PEOPLE][33];
    caldate start[N_PEOPLE], end[N_PEOPLE];
    bool was_absent[N_PEOPLE];
    unsigned char load[SPAN_DAYS];
    struct audit_entry audit;
};

static int refused(const char *what, enum err e, const struct program_why *why)
{
    log_error("demo program: %s refused (%d): %s %s", what, (int)e, why ? why->field : "",
              why ? why->message : "");
    return -1;
}

/* The week of a date relative to this one: 0 this week, -1 last week... */
static int week_of(const struct demo *d, caldate date)
{
    return date >= d->monday ? (int)((date - d->monday) / 7) : -(int)((d->monday - date + 6) / 7);
}

/* The demo tracks (ids, opening dates, weekdays); false when either is missing. */
static bool find_tracks(struct demo *d)
{
    static const char *const codes[2] = {"morning", "evening"};
    json_t *list = NULL, *t, *slot;
    size_t i, j;
    int found = 0;

    if (store_track_list(d->s, d->today, &list) != E_OK)
        return false;
    json_array_foreach(list, i, t) {
        for (int k = 0; k < 2; k++) {
            if (strcmp(json_string_value(json_object_get(t, "code")), codes[k]))
                continue;
            snprintf(d->track[k], sizeof(d->track[k]), "%s",
                     json_string_value(json_object_get(t, "id")));
            caldate_parse(json_string_value(json_object_get(t, "opens")), &d->opens[k]);
            int n = 0;
            json_array_foreach(json_object_get(t, "slots"), j, slot) {
                int wd = (int)json_integer_value(json_object_get(slot, "weekday"));
                if (n < 3 && (n == 0 || d->days[k][n - 1] != wd))
                    d->days[k][n++] = wd;
            }
            found += n == 3;
        }
    }
    json_decref(list);
    return found == 2;
}

/* Whether the demo belongs here: the demo tracks and clinician exist, and no patient does. */
static bool wanted(struct demo *d)
{
    struct staff_user u;
    json_t *patients = NULL;
    bool empty;

    if (store_user_get(d->s, STAFF_BY_EMAIL, 0, CLINICIAN, &u) != E_OK || !find_tracks(d))
        return false;
    d->clinician = u.id;
    if (store_adm_patient_search(d->s, NULL, NULL, &patients) != E_OK)
        return false;
    empty = json_array_size(patients) == 0;
    json_decref(patients);
    return empty;
}

/* Admits person i directly (the counsellor is the demo clinician) and enrols them. */
static int admit(struct demo *d, size_t i)
{
    const struct demo_person *p = &people[i];
    char phone[16], contact_phone[16], digits[CONTACT_PHONE_DIGITS + 1], admitted[CALDATE_TEXT];
    struct admissions_patient a;
    struct program_enrolment en;
    struct program_why why = {0};
    json_t *out = NULL;
    caldate start = d->monday - 7 * p->weeks_ago + p->start_day;
    enum err e;

    d->start[i] = start < d->opens[p->track] ? d->opens[p->track] : start;
    d->end[i] = CALDATE_OPEN;
    snprintf(phone, sizeof(phone), "312-555-01%02zu", 10 + i);
    snprintf(contact_phone, sizeof(contact_phone), "312-555-01%02zu", 40 + i);
    contact_phone_problem(phone, digits);
    a = (struct admissions_patient){
        .first_name = p->first, .last_name = p->last, .date_of_birth = p->dob, .phone = phone,
        .phone_digits = digits, .emergency_name = p->contact, .emergency_phone = contact_phone,
        .emergency_relationship = p->relationship, .level = "iop", .status = "active",
        .admission_date = caldate_format(d->start[i], admitted)};
    if ((e = store_adm_admit_direct(d->s, &a, d->clinician, 0, &d->audit)) != E_OK)
        return refused("admission", e, NULL);
    snprintf(d->patient[i], sizeof(d->patient[i]), "%s", a.public_id);
    en = (struct program_enrolment){.track_id = d->track[p->track], .start = d->start[i],
                                    .end = CALDATE_OPEN};
    if ((e = store_enrol(d->s, d->patient[i], &en, &d->audit, &out, &why)) != E_OK)
        return refused("enrolment", e, &why);
    json_decref(out);
    return p->role & DISCHARGED ? 0 : 1;
}

/* Ends the enrolment and discharges the patient: completed last Wednesday. */
static int discharge(struct demo *d, size_t i)
{
    char date[CALDATE_TEXT];
    struct admissions_status_change c = {
        .from = "active", .to = "discharged", .discharge_reason = "completed",
        .note = "Completed the program; weekly aftercare group and a sponsor."};
    struct program_why why = {0};
    json_t *list = NULL, *out = NULL;
    enum err e;

    d->end[i] = d->monday - 5;
    c.discharge_date = caldate_format(d->end[i], date);
    if ((e = store_enrolments_of(d->s, d->patient[i], &list)) != E_OK)
        return refused("enrolments", e, NULL);
    e = store_enrolment_end(d->s, json_string_value(json_object_get(json_array_get(list, 0), "id")),
                            d->end[i], "completed", &d->audit, &out, &why);
    json_decref(list);
    json_decref(out);
    if (e != E_OK)
        return refused("enrolment end", e, &why);
    d->audit.action = "update";
    e = store_adm_patient_set_status(d->s, d->patient[i], &c, 0, &d->audit);
    d->audit.action = "create";
    return e == E_OK ? 0 : refused("discharge", e, NULL);
}

/* A one-off session of patient i with the demo clinician on date, at the clinician's next free
 * hour of the afternoon (before the evening track); attended when it is in the past. */
static int one_off(struct demo *d, size_t i, caldate date, const char *kind, const char *title)
{
    const char *patient = d->patient[i], *staff = CLINICIAN;
    long slot = date - (d->monday - 56);
    struct program_session p = {.date = date, .kind = kind, .title = title,
                                .room = "Counselling room 1", .patients = &patient,
                                .n_patients = 1, .staff = &staff, .n_staff = 1};
    struct program_why why = {0};
    json_t *out = NULL, *rec = NULL;
    enum err e;

    if (slot < 0 || slot >= SPAN_DAYS || d->load[slot] >= 5)
        return 0; /* a full afternoon: this week goes without */
    p.start = 13 * 60 + 60 * d->load[slot]++;
    p.end = p.start + (strcmp(kind, "family") ? 50 : 60);
    if ((e = store_program_session_add(d->s, &p, &d->audit, &out, &why)) != E_OK)
        return refused("one-off session", e, &why);
    if (date < d->today)
        e = store_attendance_put(d->s, json_string_value(json_object_get(out, "id")), patient,
                                 "present", -1, false, d->today, &d->audit, &rec, &why);
    json_decref(out);
    json_decref(rec);
    return e == E_OK ? 0 : refused("one-off attendance", e, &why);
}

/* Individual therapy every other week from admission to next week (the exceptions are the
 * patients whose weeks must show something), on one of the track's days. */
static int one_offs(struct demo *d, size_t i)
{
    const struct demo_person *p = &people[i];
    int first = week_of(d, d->start[i]);

    for (int w = first; w <= 1; w++) {
        bool want = (w - first) % 2 == 0 || ((p->role & LATE_SAVED) && w == -2);
        int day = (p->role & (LATE_SAVED | LATE_UNBILLED)) && w == -2 ? 0 : (int)((i + w + 6) % 3);
        caldate date = d->monday + 7 * w + d->days[p->track][day] - 1;

        if ((p->role & LATE_UNBILLED && w == -2) || (p->role & UNDER && w == -1) ||
            (p->role & MISS_TWO && w >= -1))
            want = false;
        if (p->role & FAMILY && w == -1 && one_off(d, i, date, "family", "Family session") < 0)
            return -1;
        if (!want || date < d->start[i] || date > d->end[i])
            continue;
        if (one_off(d, i, date, "individual", "Individual therapy") < 0)
            return -1;
    }
    return 0;
}

/* Where a session falls for the status rules. */
struct demo_slot {
    caldate date;
    int week, day, slot, minutes; /* day: the track day of the week (0-2), slot: of the day */
    caldate miss[2];              /* the track's last two days before today */
};

/* A status that comes with its minutes (late, left-early). */
static const char *short_by(int *minutes, int m, const char *status)
{
    *minutes = m;
    return status;
}

/* The status and minutes of patient i at a track session. */
static const char *status_of(struct demo *d, size_t i, const struct demo_slot *x, int *minutes)
{
    int role = people[i].role;
    unsigned h =
        ((unsigned)i * 2654435761u ^ (unsigned)x->date * 40503u ^ (unsigned)x->slot * 977u) % 100u;

    *minutes = -1;
    if (role & MISS_TWO && (x->date == x->miss[0] || x->date == x->miss[1]))
        return "absent-unexcused";
    if (role & UNDER && x->week == -1 && x->day == 1 && x->slot == 0)
        return "absent-excused";
    if (role & UNDER && x->week == -1 && x->day == 2 && x->slot == 1)
        return short_by(minutes, x->minutes - 30, "left-early");
    if (role & (LATE_SAVED | LATE_UNBILLED) && x->week == -2 && x->day == 0)
        return x->slot ? "present"
                       : short_by(minutes, x->minutes - (role & LATE_SAVED ? 20 : 15), "late");
    /* Last week everyone else attended in full (so the alerts name only those above); this
     * week nobody has missed a session yet. */
    if (x->week == -1 || (x->week == 0 && h >= 6))
        return "present";
    if (h < 6)
        return short_by(minutes, x->minutes - (int)(5 + h % 21), "late");
    if (h < 9)
        return short_by(minutes, x->minutes - (int)(10 + h % 20), "left-early");
    if (h < 14 && !d->was_absent[i])
        return h < 11 ? "absent-excused" : "absent-unexcused";
    return "present";
}

static int person_of(const struct demo *d, const char *public_id)
{
    for (size_t i = 0; i < N_PEOPLE; i++)
        if (!strcmp(d->patient[i], public_id))
            return (int)i;
    return -1;
}

/* Attendance for everyone on the roster of one track session. */
static int take_roster(struct demo *d, json_t *session, const struct demo_slot *x)
{
    const char *id = json_string_value(json_object_get(session, "id"));
    struct program_why why = {0};
    json_t *pid, *rec = NULL;
    size_t j;
    int minutes;
    enum err e;

    json_array_foreach(json_object_get(session, "roster"), j, pid) {
        int i = person_of(d, json_string_value(pid));
        const char *status;
        if (i < 0)
            continue;
        status = status_of(d, (size_t)i, x, &minutes);
        d->was_absent[i] = !strncmp(status, "absent", 6);
        if ((e = store_attendance_put(d->s, id, d->patient[i], status, minutes, false, d->today,
                                      &d->audit, &rec, &why)) != E_OK)
            return refused("attendance", e, &why);
        json_decref(rec);
        rec = NULL;
    }
    return 0;
}

/* Attendance for every session of track k dated before today. */
static int attendance(struct demo *d, int k)
{
    json_t *list = NULL, *session;
    struct demo_slot x = {.date = -1};
    size_t n, j;
    int ret = 0;

    if (d->opens[k] >= d->today)
        return 0; /* a track opened today has no past yet */
    if (store_program_sessions_list(d->s, d->opens[k], d->today - 1, d->track[k], NULL, &list) !=
        E_OK)
        return -1;
    n = json_array_size(list);
    /* the last two dates with sessions: the absences of the patient who missed two */
    for (j = n; j-- > 0;) {
        caldate day;
        caldate_parse(json_string_value(json_object_get(json_array_get(list, j), "date")), &day);
        if (x.miss[0] != day && x.miss[1] != day)
            x.miss[x.miss[0] ? 1 : 0] = day;
        if (x.miss[1])
            break;
    }
    json_array_foreach(list, j, session) {
        caldate day;
        caldate_parse(json_string_value(json_object_get(session, "date")), &day);
        x.slot = day == x.date ? x.slot + 1 : 0;
        x.date = day;
        x.week = week_of(d, day);
        for (x.day = 0; x.day < 2 && d->days[k][x.day] != caldate_weekday(day); x.day++)
            ;
        x.minutes = (int)json_integer_value(json_object_get(session, "minutes"));
        if (strcmp(json_string_value(json_object_get(session, "status")), "scheduled") == 0 &&
            (ret = take_roster(d, session, &x)) < 0)
            break;
    }
    json_decref(list);
    return ret;
}

int demo_program(struct store *s)
{
    /* as the demo call requests are: a "demo" user from the local machine */
    struct demo d = {.s = s,
                     .audit = {.user_email = "demo", .roles = "", .action = "create",
                               .record_type = "patient", .outcome = "ok", .client = "local"}};
    char today[CALDATE_TEXT];
    int active = 0;

    caldate_parse(timefmt_today(time(NULL), today), &d.today);
    d.monday = d.today - (caldate_weekday(d.today) - 1);
    if (!wanted(&d))
        return 0;
    for (size_t i = 0; i < N_PEOPLE; i++) {
        int r = admit(&d, i);
        if (r < 0 || (people[i].role & DISCHARGED && discharge(&d, i) < 0))
            return -1;
        active += r;
    }
    for (size_t i = 0; i < N_PEOPLE; i++)
        if (one_offs(&d, i) < 0)
            return -1;
    if (attendance(&d, 0) < 0 || attendance(&d, 1) < 0)
        return -1;
    if (demo_record(s, d.clinician, d.today, &d.audit) < 0)
        return -1;
    log_info("demo program: %d patients in the morning and evening tracks", active);
    return 0;
}
