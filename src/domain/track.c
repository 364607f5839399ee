/* track: the field rules of a track and its weekly slots, as spec program.md §2 states them. */
#include "domain/track.h"

#include <string.h>

#include "core/utf8.h"

static const char *const level_names[] = {"iop", "php", "outpatient"};
static const char *const population_names[] = {"adult", "adolescent"};
static const char *const kind_names[] = {"group", "workshop"};

static bool parse_name(const char *s, const char *const *names, size_t n, int *out)
{
    for (size_t i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return true;
        }
    }
    return false;
}

const char *track_level_name(enum track_level l)
{
    return (unsigned)l < 3 ? level_names[l] : NULL;
}

bool track_level_parse(const char *s, enum track_level *out)
{
    int i;
    if (!parse_name(s, level_names, 3, &i)) return false;
    *out = (enum track_level)i;
    return true;
}

const char *track_population_name(enum track_population p)
{
    return (unsigned)p < 2 ? population_names[p] : NULL;
}

bool track_population_parse(const char *s, enum track_population *out)
{
    int i;
    if (!parse_name(s, population_names, 2, &i)) return false;
    *out = (enum track_population)i;
    return true;
}

const char *track_slot_kind_name(enum slot_kind k)
{
    return (unsigned)k < 2 ? kind_names[k] : NULL;
}

bool track_slot_kind_parse(const char *s, enum slot_kind *out)
{
    int i;
    if (!parse_name(s, kind_names, 2, &i)) return false;
    *out = (enum slot_kind)i;
    return true;
}

const char *track_code_problem(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0) return "Give the track a short code, such as \"iop-am\".";
    if (n > TRACK_CODE_MAX) return "A track code is at most 32 characters.";
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "A track code uses only lower-case letters, digits and '-'.";
    }
    return NULL;
}

int track_default_minimum(enum track_level l, enum track_population p)
{
    switch (l) {
    case TRACK_IOP: return p == TRACK_ADOLESCENT ? 360 : 540;
    case TRACK_PHP: return 1200;
    case TRACK_OUTPATIENT: return -1;
    }
    return -1;
}

const char *track_slot_problem(const struct track_slot *s, const char **field)
{
    if (s->weekday < 1 || s->weekday > 7) {
        *field = "weekday";
        return "The weekday is 1 (Monday) to 7 (Sunday).";
    }
    if (s->start < 0 || s->start >= 24 * 60) {
        *field = "start";
        return "The start is a time such as 09:00.";
    }
    if (s->end <= s->start || s->end >= 24 * 60) {
        *field = "end";
        return "The end is a time after the start, on the same day.";
    }
    long chars = utf8_count(s->title);
    if (chars < 1 || chars > TRACK_TITLE_MAX || utf8_has_format(s->title)) {
        *field = "title";
        return "Give the slot a title of 1 to 100 characters, such as \"Relapse prevention\".";
    }
    return NULL;
}

int track_slots_overlap(const struct track_slot *slots, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (slots[i].weekday == slots[j].weekday && slots[i].start < slots[j].end &&
                slots[j].start < slots[i].end)
                return (int)i;
        }
    }
    return -1;
}

int track_operates_days(const struct track_slot *slots, size_t n)
{
    unsigned days = 0;
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned bit = 1u << (slots[i].weekday & 7);
        if (!(days & bit)) count++;
        days |= bit;
    }
    return count;
}
