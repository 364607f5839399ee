/* checkin: the rules of a patient's daily check-in in the portal (issue 11): what each answer
 * may be, the clinic's list of triggers, and when a check-in alerts the counsellor. The words
 * are tables, read top to bottom; no I/O. Sleep is asked as a five-point quality word rather
 * than hours: one tap on a phone, and meaningful for people who sleep by day after a night
 * shift. */
#ifndef HAVEN_CHECKIN_H
#define HAVEN_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>

/* Craving and confidence: whole numbers from 0 to CHECKIN_SCALE_MAX. */
#define CHECKIN_SCALE_MAX 10
/* The free note: at most this many characters (code points). */
#define CHECKIN_NOTE_MAX 1000
/* The clinic's trigger list: at most this many names, each at most CHECKIN_TRIGGER_MAX bytes. */
#define CHECKIN_TRIGGERS_MAX 24
#define CHECKIN_TRIGGER_MAX 60
/* The list a clinic starts with (the settings key portal_triggers holds the clinic's). */
#define CHECKIN_TRIGGERS_DEFAULT                                                                   \
    "Stress, People, Places, Boredom, Conflict, Pain, Loneliness, Celebration"

/* The answers given as words: the stored code and what the form says. */
enum checkin_list {
    CHECKIN_MOOD,  /* very-low .. very-good */
    CHECKIN_SLEEP, /* very-poor .. very-good */
    CHECKIN_USE,   /* any use since the last check-in: yes, no, unsaid (prefer not to say) */
};
struct checkin_word {
    const char *code;
    const char *label;
};
/* The words of a list, in the order the form shows them; *n gets how many. */
const struct checkin_word *checkin_words(enum checkin_list list, size_t *n);
/* The label of a code of the list, or NULL when it is not one of them. */
const char *checkin_label(enum checkin_list list, const char *code);

/* A craving or confidence answer: exactly a whole number 0-10 ("7"); true and *out, or false. */
bool checkin_scale_parse(const char *text, int *out);
/* Why a note cannot be kept, as a sentence, or NULL (NULL or "" is no note: fine). Not UTF-8,
 * control characters other than line breaks and tabs, or more than CHECKIN_NOTE_MAX
 * characters. */
const char *checkin_note_problem(const char *note);

/* The clinic's list (a comma-separated setting) into names: trimmed, empty and repeated names
 * (ignoring ASCII case) and names over CHECKIN_TRIGGER_MAX bytes or not UTF-8 left out, at most
 * CHECKIN_TRIGGERS_MAX. NULL or a list that leaves nothing gives the default list. Returns the
 * count. */
size_t checkin_triggers_parse(const char *setting,
                              char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1]);

/* The clinic's craving alert level from its setting (portal_craving_alert): a whole number
 * 0-10; false when the setting is missing, empty or anything else: then no craving alerts
 * (there is no default level; the clinic chooses one). */
bool checkin_alert_level(const char *setting, int *level);
/* Whether a check-in's craving alerts the counsellor: the clinic set a level and the craving is
 * at or above it. */
bool checkin_craving_alerts(int craving, const char *setting);
/* Whether a check-in reported use since the last one (the answer "yes"). */
bool checkin_use_alerts(const char *used);

#endif
