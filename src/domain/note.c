/* note: the rules of a clinical note as tables (domain/note.h): forms and their parts, the
 * choices of a section, the lock, the due time and completion. */
#include "domain/note.h"

#include <stdlib.h>
#include <string.h>

struct choice {
    const char *name, *label;
};

/* note_sections.participation, in the order a form offers them (most engaged first). */
static const struct choice participation[] = {
    {"active", "Active"},       {"engaged", "Engaged"},       {"minimal", "Minimal"},
    {"withdrawn", "Withdrawn"}, {"disruptive", "Disruptive"}, {NULL, NULL},
};

/* note_progress.progress. */
static const struct choice progress[] = {
    {"met", "Met"},
    {"progressing", "Progressing"},
    {"no-change", "No change"},
    {"regressing", "Regressing"},
    {NULL, NULL},
};

/* The parts of each form, a..d in order (migration 0020's comment on notes). */
static const struct form_def {
    const char *name;
    const char *parts[NOTE_PARTS];
} forms[] = {
    [NOTE_FORM_GROUP] = {"group", {"Topic", "Interventions used", "Summary", NULL}},
    [NOTE_FORM_DAP] = {"dap", {"Data", "Assessment", "Plan", NULL}},
    [NOTE_FORM_BIRP] = {"birp", {"Behaviour", "Intervention", "Response", "Plan"}},
};

static const char *const part_fields[NOTE_PARTS] = {"a", "b", "c", "d"};

static const char *const individual_kinds[] = {"individual", "family", "medication", NULL};

enum note_form note_form_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof(forms) / sizeof(forms[0]); i++)
        if (!strcmp(forms[i].name, name))
            return (enum note_form)i;
    return NOTE_FORM_NONE;
}

bool note_kind_individual(const char *kind)
{
    for (size_t i = 0; kind && individual_kinds[i]; i++)
        if (!strcmp(individual_kinds[i], kind))
            return true;
    return false;
}

bool note_kind_form_ok(const char *kind, const char *form)
{
    enum note_form f = note_form_parse(form);

    if (kind && !strcmp(kind, "group"))
        return f == NOTE_FORM_GROUP;
    return note_kind_individual(kind) && (f == NOTE_FORM_DAP || f == NOTE_FORM_BIRP);
}

int note_form_parts(enum note_form f)
{
    int n = 0;

    if (f == NOTE_FORM_NONE)
        return 0;
    while (n < NOTE_PARTS && forms[f].parts[n])
        n++;
    return n;
}

const char *note_part_label(enum note_form f, int i)
{
    return i >= 0 && i < note_form_parts(f) ? forms[f].parts[i] : NULL;
}

const char *note_part_field(int i)
{
    return i >= 0 && i < NOTE_PARTS ? part_fields[i] : NULL;
}

int note_missing_part(enum note_form f, const char *const parts[NOTE_PARTS])
{
    for (int i = 0; i < note_form_parts(f); i++)
        if (!parts[i] || !*parts[i])
            return i;
    return -1;
}

static const char *choice_at(const struct choice *c, size_t i)
{
    for (size_t k = 0; c[k].name; k++)
        if (k == i)
            return c[k].name;
    return NULL;
}

static const char *choice_label(const struct choice *c, const char *v)
{
    for (size_t k = 0; v && c[k].name; k++)
        if (!strcmp(c[k].name, v))
            return c[k].label;
    return NULL;
}

const char *note_participation_at(size_t i)
{
    return choice_at(participation, i);
}

const char *note_participation_label(const char *v)
{
    return choice_label(participation, v);
}

bool note_participation_ok(const char *v)
{
    return choice_label(participation, v) != NULL;
}

const char *note_progress_at(size_t i)
{
    return choice_at(progress, i);
}

const char *note_progress_label(const char *v)
{
    return choice_label(progress, v);
}

bool note_progress_ok(const char *v)
{
    return choice_label(progress, v) != NULL;
}

bool note_risk_ok(const char *v)
{
    return v && (!strcmp(v, "none") || !strcmp(v, "concern"));
}

enum err note_may_write(bool note_signed, bool shared_change, bool section_signed)
{
    if (section_signed || (note_signed && shared_change))
        return E_CONFLICT;
    return E_OK;
}

bool note_addendum_editable(bool addendum_signed)
{
    return !addendum_signed;
}

enum err note_may_sign_section(bool note_signed, bool section_signed)
{
    return note_signed && !section_signed ? E_OK : E_CONFLICT;
}

int note_due_hours(const char *setting)
{
    char *end;
    long n;

    if (!setting || !*setting)
        return NOTE_DUE_HOURS;
    n = strtol(setting, &end, 10);
    return !*end && n >= 0 && n <= NOTE_DUE_HOURS_MAX ? (int)n : NOTE_DUE_HOURS;
}

time_t note_due_at(const char *date, const char *end, int hours,
                   const struct referral_flow_clock *clk)
{
    time_t t = referral_flow_local_instant(date, end, clk);

    return t == (time_t)-1 ? t : t + (time_t)hours * 3600;
}

bool note_overdue(time_t due, time_t now)
{
    return now > due;
}

enum note_state note_state(bool signed_, bool cosign_needed, bool cosigned)
{
    if (!signed_)
        return NOTE_DRAFT;
    return cosign_needed && !cosigned ? NOTE_AWAITING_COSIGN : NOTE_COMPLETE;
}

const char *note_state_name(enum note_state s)
{
    static const char *const names[] = {"draft", "awaiting-cosign", "complete"};

    return names[s];
}

bool note_may_cosign(long signer, long signer_supervisor, long caller)
{
    return signer_supervisor > 0 && caller == signer_supervisor && caller != signer;
}
