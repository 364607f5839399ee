/* referral_flow: the referral life cycle as tables read top to bottom, and the overdue clock in
 * business hours: on a fixed offset by plain calendar arithmetic, or on the clinic's wall clock
 * through a caller's clock (localtime_r / mktime in the clinic's zone). No I/O, no locale. */
#include "domain/referral_flow.h"

#include "domain/contact.h"
#include "core/timefmt.h"

#include <limits.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define VIA(v) (1u << (v))

static const struct {
    const char *name;
    const char *label;
    bool open;
} statuses[REFERRAL_N_STATUS] = {
    [REFERRAL_NEW] = {"new", "New", true},
    [REFERRAL_CONTACTED] = {"contacted", "Contacted", true},
    [REFERRAL_INTAKE_SCHEDULED] = {"intake-scheduled", "Intake scheduled", true},
    [REFERRAL_ADMITTED] = {"admitted", "Admitted", false},
    [REFERRAL_CLOSED] = {"closed", "Closed", false},
};

/* Every allowed transition; anything not listed is refused. Closing needs a reason. */
static const struct {
    enum referral_status from, to;
    unsigned via; /* VIA() bits */
} transitions[] = {
    {REFERRAL_NEW, REFERRAL_CONTACTED, VIA(REFERRAL_VIA_FORM) | VIA(REFERRAL_VIA_CALL)},
    {REFERRAL_NEW, REFERRAL_CLOSED, VIA(REFERRAL_VIA_FORM)},
    {REFERRAL_CONTACTED, REFERRAL_INTAKE_SCHEDULED,
     VIA(REFERRAL_VIA_FORM) | VIA(REFERRAL_VIA_INTAKE)},
    {REFERRAL_CONTACTED, REFERRAL_CLOSED, VIA(REFERRAL_VIA_FORM)},
    {REFERRAL_INTAKE_SCHEDULED, REFERRAL_ADMITTED, VIA(REFERRAL_VIA_ADMIT)},
    {REFERRAL_INTAKE_SCHEDULED, REFERRAL_CLOSED, VIA(REFERRAL_VIA_FORM)},
};

/* Migration 0012 repeats these codes in the schema (tests/unit/store/test_referrals.c checks
 * that it takes every one of them). The crisis hand-offs come right after "referred elsewhere":
 * a crisis referral ends there more often than anywhere else on the list. */
static const struct {
    const char *code, *label;
} close_reasons[] = {
    {"referred-elsewhere", "Referred elsewhere"},
    {"handed-to-988", "Handed to 988 (warm hand-off)"},
    {"emergency-services", "Sent to emergency services (911)"},
    {"not-reached", "Not reached after several attempts"},
    {"declined", "Declined"},
    {"duplicate", "Duplicate request"},
};

/* reached: the person was on the line (a new referral becomes contacted). A welfare check is
 * what the crisis protocol asks for when a person at risk cannot be reached. */
static const struct {
    const char *code, *label;
    bool reached;
} call_outcomes[] = {
    {"reached", "Reached", true},
    {"handed-to-988", "Reached: handed to 988 (warm hand-off)", true},
    {"emergency-services", "Reached: sent to emergency services (911)", true},
    {"referred-elsewhere", "Reached: referred elsewhere", true},
    {"voicemail", "Left a voicemail", false},
    {"no-answer", "No answer", false},
    {"wrong-number", "Wrong number", false},
    {"welfare-check", "Not reached: welfare check asked for", false},
};

/* Answers that need a person now, shown highlighted in a crisis referral's summary: thoughts
 * of suicide right now, withdrawal now or with seizures or hallucinations before, an overdose
 * this year, severe withdrawal, an uncontrolled medical problem. Values as the answers object
 * holds them, as text ("true", "severe"). */
static const struct {
    const char *item, *value;
} urgent_answers[] = {
    {"asq-5", "true"},         {"wd-now", "true"},       {"wd-complicated", "true"},
    {"wd-symptoms", "severe"}, {"med-overdose", "true"}, {"med-unstable", "true"},
};

/* Staff labels of the assessment's flags (spec/assessment.md §6); crisis ones sort first. */
static const struct {
    const char *code, *label;
    bool crisis;
} flags[] = {
    {"suicide-acute", "Suicide risk: acute (thoughts right now)", true},
    {"suicide-risk", "Suicide risk: non-acute", true},
    {"withdrawal-danger", "Dangerous withdrawal possible", true},
    {"overdose-risk", "Overdose risk", false},
    {"injection", "Injection use", false},
    {"pregnancy", "Pregnant", false},
    {"adolescent", "Under 18", false},
    {"mental-health-followup", "Mental health follow-up", false},
    {"low-readiness", "Low readiness to change", false},
};

const char *referral_flow_status_name(enum referral_status s)
{
    return (unsigned)s < REFERRAL_N_STATUS ? statuses[s].name : NULL;
}

const char *referral_flow_status_label(enum referral_status s)
{
    return (unsigned)s < REFERRAL_N_STATUS ? statuses[s].label : NULL;
}

enum err referral_flow_status_parse(const char *name, enum referral_status *out)
{
    for (size_t i = 0; name && i < REFERRAL_N_STATUS; i++) {
        if (strcmp(statuses[i].name, name) == 0) {
            *out = (enum referral_status)i;
            return E_OK;
        }
    }
    return E_INVALID;
}

bool referral_flow_is_open(enum referral_status s)
{
    return (unsigned)s < REFERRAL_N_STATUS && statuses[s].open;
}

enum err referral_flow_check(enum referral_status from, enum referral_status to,
                             enum referral_via via, const char *reason)
{
    for (size_t i = 0; i < N_OF(transitions); i++) {
        if (transitions[i].from != from || transitions[i].to != to ||
            !(transitions[i].via & VIA(via)))
            continue;
        if (to == REFERRAL_CLOSED)
            return referral_flow_close_reason_ok(reason) ? E_OK : E_INVALID;
        return reason && *reason ? E_INVALID : E_OK;
    }
    return E_CONFLICT;
}

size_t referral_flow_next(enum referral_status from, enum referral_status *out, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < N_OF(transitions); i++) {
        if (transitions[i].from != from || !(transitions[i].via & VIA(REFERRAL_VIA_FORM)))
            continue;
        if (k < n)
            out[k] = transitions[i].to;
        k++;
    }
    return k;
}

const char *referral_flow_close_reason(size_t i)
{
    return i < N_OF(close_reasons) ? close_reasons[i].code : NULL;
}

const char *referral_flow_close_reason_label(const char *code)
{
    for (size_t i = 0; code && i < N_OF(close_reasons); i++)
        if (strcmp(close_reasons[i].code, code) == 0)
            return close_reasons[i].label;
    return NULL;
}

bool referral_flow_close_reason_ok(const char *code)
{
    return referral_flow_close_reason_label(code) != NULL;
}

const char *referral_flow_call_outcome(size_t i)
{
    return i < N_OF(call_outcomes) ? call_outcomes[i].code : NULL;
}

const char *referral_flow_call_outcome_label(const char *code)
{
    for (size_t i = 0; code && i < N_OF(call_outcomes); i++)
        if (strcmp(call_outcomes[i].code, code) == 0)
            return call_outcomes[i].label;
    return NULL;
}

bool referral_flow_call_outcome_ok(const char *code)
{
    return referral_flow_call_outcome_label(code) != NULL;
}

bool referral_flow_call_outcome_reached(const char *code)
{
    for (size_t i = 0; code && i < N_OF(call_outcomes); i++)
        if (strcmp(call_outcomes[i].code, code) == 0)
            return call_outcomes[i].reached;
    return false;
}

bool referral_flow_answer_urgent(const char *item, const char *value)
{
    for (size_t i = 0; item && value && i < N_OF(urgent_answers); i++)
        if (!strcmp(urgent_answers[i].item, item) && !strcmp(urgent_answers[i].value, value))
            return true;
    return false;
}

bool referral_flow_flag_is_crisis(const char *code)
{
    for (size_t i = 0; code && i < N_OF(flags); i++)
        if (strcmp(flags[i].code, code) == 0)
            return flags[i].crisis;
    return false;
}

const char *referral_flow_flag(size_t i)
{
    return i < N_OF(flags) ? flags[i].code : NULL;
}

const char *referral_flow_flag_label(const char *code)
{
    for (size_t i = 0; code && i < N_OF(flags); i++)
        if (strcmp(flags[i].code, code) == 0)
            return flags[i].label;
    return code;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

time_t referral_flow_parse_utc(const char *iso)
{
    time_t t;

    return timefmt_parse_utc(iso, &t) == 0 ? t : (time_t)-1;
}

#define DAY 86400L
#define OPENS (9 * 3600L)
#define CLOSES (17 * 3600L)

static long floor_div(long a, long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long referral_flow_business_seconds(time_t from, time_t to, int utc_offset_min)
{
    long a = (long)from + utc_offset_min * 60L, b = (long)to + utc_offset_min * 60L, total = 0;

    if (b <= a)
        return 0;
    for (long day = floor_div(a, DAY); day <= floor_div(b - 1, DAY); day++) {
        long wd = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
        long lo = day * DAY + OPENS, hi = day * DAY + CLOSES;

        if (wd == 0 || wd == 6)
            continue;
        if (lo < a)
            lo = a;
        if (hi > b)
            hi = b;
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

bool referral_flow_overdue(time_t created, time_t first_call, time_t now, int utc_offset_min,
                           int hours)
{
    if (first_call >= 0 || hours < 0)
        return false;
    return referral_flow_business_seconds(created, now, utc_offset_min) > hours * 3600L;
}

/* The proleptic Gregorian date of a day number (H. Hinnant's civil_from_days). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    long era, yoe, doe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The day number of t's local date; LONG_MIN when the clock cannot convert it. */
static long local_day(time_t t, const struct referral_flow_clock *clk)
{
    struct tm tm;

    if (!clk->to_local(&t, &tm))
        return LONG_MIN;
    return days_from_civil(tm.tm_year + 1900L, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

/* The instant of hh:00 on the clinic's wall clock on day (a day number). */
static time_t local_at(long day, int hour, const struct referral_flow_clock *clk)
{
    struct tm tm = {0};
    int y, m, d;

    civil_from_days(day, &y, &m, &d);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = hour;
    tm.tm_isdst = -1;
    return clk->from_local(&tm);
}

long referral_flow_business_seconds_local(time_t from, time_t to,
                                          const struct referral_flow_clock *clk, long cap)
{
    long first, last, total = 0;

    if (to <= from)
        return 0;
    first = local_day(from, clk);
    last = local_day(to, clk);
    if (first == LONG_MIN || last == LONG_MIN)
        return 0;
    for (long day = first; day <= last; day++) {
        long wd = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
        time_t lo, hi;

        if (wd == 0 || wd == 6)
            continue;
        if (day > first && day < last) {
            total += CLOSES - OPENS; /* a whole working day, whatever the offset */
        } else {
            lo = local_at(day, 9, clk);
            hi = local_at(day, 17, clk);
            if (lo < from)
                lo = from;
            if (hi > to)
                hi = to;
            if (hi > lo)
                total += (long)(hi - lo);
        }
        if (cap > 0 && total > cap)
            break;
    }
    return total;
}

bool referral_flow_overdue_local(time_t created, time_t first_call, time_t now,
                                 const struct referral_flow_clock *clk, int hours)
{
    if (first_call >= 0 || hours < 0 || created < 0)
        return false;
    return referral_flow_business_seconds_local(created, now, clk, hours * 3600L) > hours * 3600L;
}

/* "HH:MM", 00:00 to 23:59: 0 and the minutes since midnight, or -1. */
static int parse_hhmm(const char *t, int *minutes)
{
    if (!t || strlen(t) != 5 || t[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (t[i] < '0' || t[i] > '9'))
            return -1;
    if ((t[0] - '0') * 10 + (t[1] - '0') > 23 || t[3] > '5')
        return -1;
    *minutes = ((t[0] - '0') * 10 + (t[1] - '0')) * 60 + (t[3] - '0') * 10 + (t[4] - '0');
    return 0;
}

const char *referral_flow_intake_date_problem(const char *date, const char *today)
{
    long y, m, d, ty, tm, td, day, from;

    if (!date || !*date)
        return "Please give the date of the intake.";
    if (contact_date_parse(date, &y, &m, &d) < 0 || contact_date_parse(today, &ty, &tm, &td) < 0)
        return "Please give a real date, as year-month-day (2026-03-04).";
    day = days_from_civil(y, (unsigned)m, (unsigned)d);
    from = days_from_civil(ty, (unsigned)tm, (unsigned)td);
    if (day < from)
        return "This date has passed: please give today's date or a later one.";
    if (day > from + REFERRAL_INTAKE_DAYS_MAX)
        return "Please give a date within a year from today.";
    return NULL;
}

const char *referral_flow_intake_time_problem(const char *hhmm)
{
    int minutes;

    if (!hhmm || !*hhmm)
        return "Please give the time of the intake.";
    if (parse_hhmm(hhmm, &minutes) < 0)
        return "Please give the time as hours and minutes on a 24-hour clock (14:30).";
    return NULL;
}

time_t referral_flow_local_instant(const char *date, const char *hhmm,
                                   const struct referral_flow_clock *clk)
{
    struct tm tm = {0};
    long y, m, d;
    int minutes;

    if (contact_date_parse(date, &y, &m, &d) < 0 || parse_hhmm(hhmm, &minutes) < 0)
        return (time_t)-1;
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = minutes / 60;
    tm.tm_min = minutes % 60;
    tm.tm_isdst = -1; /* the zone decides, that day */
    return clk->from_local(&tm);
}

int referral_flow_queue_cmp(const struct referral_flow_rank *a, const struct referral_flow_rank *b)
{
    if (a->crisis != b->crisis)
        return a->crisis ? -1 : 1;
    if (a->overdue != b->overdue)
        return a->overdue ? -1 : 1;
    return (a->created > b->created) - (a->created < b->created);
}

const struct referral_best_time referral_flow_best_times[REFERRAL_BEST_TIMES + 1] = {
    {"morning", "Morning (9 am to 12 pm)"},
    {"afternoon", "Afternoon (12 pm to 5 pm)"},
    {"evening", "Evening (5 pm to 8 pm)"},
    {"any", "Any time"},
    {NULL, NULL},
};

const char *referral_flow_best_time_label(const char *code)
{
    for (size_t i = 0; code && referral_flow_best_times[i].code; i++)
        if (strcmp(referral_flow_best_times[i].code, code) == 0)
            return referral_flow_best_times[i].label;
    return code ? code : "";
}
