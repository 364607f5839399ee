/* checkin: see checkin.h. The words of each answer are tables; the stored codes are migration
 * 0025's CHECK lists, so a word added here needs a migration too. */
#include "domain/checkin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "core/utf8.h"

static const struct checkin_word moods[] = {
    {"very-low", "Very low"}, {"low", "Low"},   {"okay", "Okay"},
    {"good", "Good"},         {"very-good", "Very good"},
};
static const struct checkin_word sleeps[] = {
    {"very-poor", "Very poorly"}, {"poor", "Poorly"}, {"fair", "So-so"},
    {"good", "Well"},             {"very-good", "Very well"},
};
static const struct checkin_word uses[] = {
    {"no", "No"},
    {"yes", "Yes"},
    {"unsaid", "I'd rather not say"},
};

const struct checkin_word *checkin_words(enum checkin_list list, size_t *n)
{
    switch (list) {
    case CHECKIN_MOOD: *n = sizeof(moods) / sizeof(moods[0]); return moods;
    case CHECKIN_SLEEP: *n = sizeof(sleeps) / sizeof(sleeps[0]); return sleeps;
    case CHECKIN_USE: *n = sizeof(uses) / sizeof(uses[0]); return uses;
    }
    *n = 0;
    return NULL;
}

const char *checkin_label(enum checkin_list list, const char *code)
{
    size_t n;
    const struct checkin_word *w = checkin_words(list, &n);

    for (size_t i = 0; code && i < n; i++)
        if (strcmp(w[i].code, code) == 0)
            return w[i].label;
    return NULL;
}

bool checkin_scale_parse(const char *text, int *out)
{
    long v;

    /* Digits only: no sign, no spaces, no "07" (a form's radio sends "7"). */
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) ||
        (text[0] == '0' && text[1]) || str_to_long(str_from(text), 0, CHECKIN_SCALE_MAX, &v) < 0)
        return false;
    *out = (int)v;
    return true;
}

const char *checkin_note_problem(const char *note)
{
    long n;

    if (!note || !*note)
        return NULL;
    if ((n = utf8_count(note)) < 0)
        return "The note has characters we cannot read. Please type it again.";
    for (const unsigned char *p = (const unsigned char *)note; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
            return "The note has characters we cannot keep. Please type it again.";
    if (n > CHECKIN_NOTE_MAX)
        return "The note is longer than 1000 characters. Please shorten it.";
    return NULL;
}

/* Whether name (len bytes) is already among the first n names (ASCII case ignored). */
static bool seen(char names[][CHECKIN_TRIGGER_MAX + 1], size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
            return true;
    return false;
}

/* Adds the names of a comma-separated list; returns the count. */
static size_t parse_list(const char *list, char names[][CHECKIN_TRIGGER_MAX + 1])
{
    struct str rest = str_from(list), head;
    size_t n = 0;
    bool more = true;

    while (more && n < CHECKIN_TRIGGERS_MAX) {
        if (!(more = str_cut(&rest, ',', &head)))
            head = rest;
        while (head.len && (*head.p == ' ' || *head.p == '\t'))
            head.p++, head.len--;
        while (head.len && (head.p[head.len - 1] == ' ' || head.p[head.len - 1] == '\t'))
            head.len--;
        if (!head.len || head.len > CHECKIN_TRIGGER_MAX || !utf8_valid(head.p, head.len) ||
            memchr(head.p, '\n', head.len) || seen(names, n, head.p, head.len))
            continue;
        memcpy(names[n], head.p, head.len);
        names[n++][head.len] = '\0';
    }
    return n;
}

size_t checkin_triggers_parse(const char *setting,
                              char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1])
{
    size_t n = setting ? parse_list(setting, names) : 0;

    return n ? n : parse_list(CHECKIN_TRIGGERS_DEFAULT, names);
}

bool checkin_alert_level(const char *setting, int *level)
{
    return checkin_scale_parse(setting, level);
}

bool checkin_craving_alerts(int craving, const char *setting)
{
    int level;

    return checkin_alert_level(setting, &level) && craving >= level;
}

bool checkin_use_alerts(const char *used)
{
    return used && strcmp(used, "yes") == 0;
}
