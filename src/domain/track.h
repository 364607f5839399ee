/* track: a standing program of the IOP (spec program.md §2): its code, level, population,
 * capacity, weekly minimum and the weekly pattern of slots (group and workshop topics, the
 * curriculum) from which its sessions come. Pure: the rules of each field. */
#ifndef HAVEN_TRACK_H
#define HAVEN_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/caldate.h"

#define TRACK_CODE_MAX 32
#define TRACK_NAME_MAX 100
#define TRACK_TITLE_MAX 100
#define TRACK_SLOTS_MAX 42 /* six a day, every day: more is not a program */
#define TRACK_CAPACITY_DEFAULT 12

enum track_level { TRACK_IOP, TRACK_PHP, TRACK_OUTPATIENT };
enum track_population { TRACK_ADULT, TRACK_ADOLESCENT };
enum slot_kind { SLOT_GROUP, SLOT_WORKSHOP };

struct track_slot {
    int weekday; /* 1 = Monday ... 7 = Sunday */
    int start;   /* minutes since midnight */
    int end;
    enum slot_kind kind;
    char title[TRACK_TITLE_MAX * 4 + 1]; /* up to 100 characters of UTF-8 */
};

/* Names and codes: "iop", "php", "outpatient"; "adult", "adolescent"; "group", "workshop".
 * Parsers return false for any other text. */
const char *track_level_name(enum track_level l);
bool track_level_parse(const char *s, enum track_level *out);
const char *track_population_name(enum track_population p);
bool track_population_parse(const char *s, enum track_population *out);
const char *track_slot_kind_name(enum slot_kind k);
bool track_slot_kind_parse(const char *s, enum slot_kind *out);

/* What is wrong with a code ([a-z0-9-]{1,32}), or NULL. */
const char *track_code_problem(const char *code);
/* The weekly minimum in minutes a level and population carry by default (540 for adult IOP,
 * 360 for adolescent IOP, 1200 for PHP), or -1 for none (outpatient). */
int track_default_minimum(enum track_level l, enum track_population p);
/* What is wrong with one slot on its own (weekday, times, title), or NULL; *field names the
 * slot's member at fault ("weekday", "start", "end", "title"). */
const char *track_slot_problem(const struct track_slot *s, const char **field);
/* The index of a slot that overlaps an earlier one of the same weekday, or -1 (touching is
 * not overlapping: 10:30-11:00 after 09:00-10:30 is fine). */
int track_slots_overlap(const struct track_slot *slots, size_t n);
/* How many days a week the track operates: the distinct weekdays among its slots. */
int track_operates_days(const struct track_slot *slots, size_t n);

#endif
