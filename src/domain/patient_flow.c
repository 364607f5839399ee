/* patient_flow: the patient's status changes as a table read top to bottom, the discharge
 * reasons, and the checks of a change's date, reason and note. No I/O, no clock, no locale. */
#include "domain/patient_flow.h"

#include <string.h>

#include "domain/contact.h"
#include "core/utf8.h"
#include "domain/referral_flow.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *name, *label;
} statuses[PATIENT_N_STATUS] = {
    [PATIENT_ACTIVE] = {"active", "Active"},
    [PATIENT_ON_HOLD] = {"on-hold", "On hold"},
    [PATIENT_DISCHARGED] = {"discharged", "Discharged"},
};

enum needs {
    NEEDS_NOTHING = 0,
    NEEDS_DISCHARGE = 1u << 0, /* a discharge date and a reason (and a note for "other") */
    NEEDS_NOTE = 1u << 1,      /* a note saying why */
};

/* Every allowed change; anything not listed (the same status included) is refused. A note is
 * welcome on every change and required where the table says so. */
static const struct {
    enum patient_status from, to;
    unsigned roles;
    unsigned needs;
} transitions[] = {
    {PATIENT_ACTIVE, PATIENT_ON_HOLD, PATIENT_EDIT_ROLES, NEEDS_NOTHING},
    {PATIENT_ON_HOLD, PATIENT_ACTIVE, PATIENT_EDIT_ROLES, NEEDS_NOTHING},
    {PATIENT_ACTIVE, PATIENT_DISCHARGED, PATIENT_EDIT_ROLES, NEEDS_DISCHARGE},
    {PATIENT_ON_HOLD, PATIENT_DISCHARGED, PATIENT_EDIT_ROLES, NEEDS_DISCHARGE},
    {PATIENT_DISCHARGED, PATIENT_ACTIVE, PATIENT_REACTIVATE_ROLES, NEEDS_NOTE},
};

static const struct {
    const char *code, *label;
    bool needs_note;
} discharge_reasons[] = {
    {"completed", "Completed the program", false},
    {"stepped-up", "Stepped up to a higher level of care", false},
    {"stepped-down", "Stepped down to outpatient care", false},
    {"against-advice", "Left against advice", false},
    {"transferred", "Transferred", false},
    {"other", "Other", true},
};

static const struct {
    const char *code, *label, *words;
} revoke_how[] = {
    {"in-writing", "In writing", "in writing"},
    {"verbally", "Verbally (in person or by phone)", "verbally"},
};

const char *patient_flow_revoke_how(size_t i)
{
    return i < N_OF(revoke_how) ? revoke_how[i].code : NULL;
}

const char *patient_flow_revoke_how_label(const char *code)
{
    for (size_t i = 0; code && i < N_OF(revoke_how); i++)
        if (strcmp(revoke_how[i].code, code) == 0)
            return revoke_how[i].label;
    return NULL;
}

const char *patient_flow_revoke_how_words(const char *code)
{
    for (size_t i = 0; code && i < N_OF(revoke_how); i++)
        if (strcmp(revoke_how[i].code, code) == 0)
            return revoke_how[i].words;
    return NULL;
}

const char *patient_flow_status_name(enum patient_status s)
{
    return (unsigned)s < PATIENT_N_STATUS ? statuses[s].name : NULL;
}

const char *patient_flow_status_label(enum patient_status s)
{
    return (unsigned)s < PATIENT_N_STATUS ? statuses[s].label : NULL;
}

const char *patient_flow_status_label_of(const char *name)
{
    enum patient_status st;

    return patient_flow_status_parse(name, &st) == E_OK ? patient_flow_status_label(st)
                                                        : (name ? name : "");
}

enum err patient_flow_status_parse(const char *name, enum patient_status *out)
{
    for (size_t i = 0; name && i < PATIENT_N_STATUS; i++) {
        if (strcmp(statuses[i].name, name) == 0) {
            *out = (enum patient_status)i;
            return E_OK;
        }
    }
    return E_INVALID;
}

const char *patient_flow_discharge_reason(size_t i)
{
    return i < N_OF(discharge_reasons) ? discharge_reasons[i].code : NULL;
}

const char *patient_flow_discharge_reason_label(const char *code)
{
    for (size_t i = 0; code && i < N_OF(discharge_reasons); i++)
        if (strcmp(discharge_reasons[i].code, code) == 0)
            return discharge_reasons[i].label;
    return NULL;
}

bool patient_flow_discharge_reason_needs_note(const char *code)
{
    for (size_t i = 0; code && i < N_OF(discharge_reasons); i++)
        if (strcmp(discharge_reasons[i].code, code) == 0)
            return discharge_reasons[i].needs_note;
    return false;
}

bool patient_flow_exists(enum patient_status from, enum patient_status to)
{
    for (size_t i = 0; i < N_OF(transitions); i++)
        if (transitions[i].from == from && transitions[i].to == to)
            return true;
    return false;
}

size_t patient_flow_next(enum patient_status from, unsigned roles, enum patient_status *out,
                         size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < N_OF(transitions); i++) {
        if (transitions[i].from != from || !(transitions[i].roles & roles))
            continue;
        if (k < n)
            out[k] = transitions[i].to;
        k++;
    }
    return k;
}

static bool given(const char *s)
{
    return s && *s;
}

static unsigned check_discharge(const struct patient_flow_change *c)
{
    unsigned p = 0;

    if (!given(c->discharge_date))
        p |= PATIENT_FLOW_NEED_DATE;
    else if (!contact_date_ok(c->discharge_date))
        p |= PATIENT_FLOW_BAD_DATE;
    else if (given(c->today) && strcmp(c->discharge_date, c->today) > 0)
        p |= PATIENT_FLOW_DATE_FUTURE;
    else if (given(c->admission_date) && strcmp(c->discharge_date, c->admission_date) < 0)
        p |= PATIENT_FLOW_DATE_EARLY;
    if (!given(c->discharge_reason))
        p |= PATIENT_FLOW_NEED_REASON;
    else if (!patient_flow_discharge_reason_label(c->discharge_reason))
        p |= PATIENT_FLOW_UNKNOWN_REASON;
    else if (patient_flow_discharge_reason_needs_note(c->discharge_reason) && !given(c->note))
        p |= PATIENT_FLOW_NEED_NOTE;
    return p;
}

unsigned patient_flow_check(const struct patient_flow_change *c)
{
    unsigned p = 0;
    size_t i;

    for (i = 0; i < N_OF(transitions); i++)
        if (transitions[i].from == c->from && transitions[i].to == c->to)
            break;
    if (i == N_OF(transitions))
        return PATIENT_FLOW_NO_TRANSITION;
    if (!(transitions[i].roles & c->roles))
        return PATIENT_FLOW_ROLE;
    if (transitions[i].needs & NEEDS_DISCHARGE)
        p |= check_discharge(c);
    if ((transitions[i].needs & NEEDS_NOTE) && !given(c->note))
        p |= PATIENT_FLOW_NEED_NOTE;
    if (utf8_length(c->note) > PATIENT_NOTE_MAX)
        p |= PATIENT_FLOW_NOTE_TOO_LONG;
    return p;
}
