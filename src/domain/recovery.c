/* recovery: the plan's sections, the item, comment and skill bounds, and the review's
 * transitions (domain/recovery.h). */
#include "domain/recovery.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static const struct recovery_section sections[] = {
    { .key = "warning_signs",
      .one = "Warning sign",
      .title = "Warning signs",
      .kind = RECOVERY_TEXT,
      .max_items = 10,
      .hint = "What tells you that things are starting to slip? (feelings, thoughts, habits)" },
    { .key = "high_risk",
      .one = "Situation",
      .title = "High-risk situations",
      .kind = RECOVERY_TEXT,
      .max_items = 10,
      .hint = "Which people, places, times or feelings make using more likely?" },
    { .key = "coping",
      .one = "Strategy",
      .title = "Coping strategies",
      .kind = RECOVERY_TEXT,
      .max_items = 12,
      .hint = "What can you do when a craving comes? Short steps you can follow." },
    { .key = "people",
      .one = "Person",
      .title = "People to call",
      .kind = RECOVERY_PEOPLE,
      .max_items = 6,
      .hint = "Who can you call when it gets hard? A name and a phone number." },
    { .key = "reasons",
      .one = "Reason",
      .title = "My reasons for recovery",
      .kind = RECOVERY_TEXT,
      .max_items = 10,
      .hint = "Why does staying on track matter to you?" },
    { .key = "after_lapse",
      .one = "Step",
      .title = "What to do after a lapse",
      .kind = RECOVERY_TEXT,
      .max_items = 10,
      .hint = "If you use, what will you do next to get back on track?" },
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

const struct recovery_section *recovery_sections(size_t *n)
{
    *n = N_SECTIONS;
    return sections;
}

const struct recovery_section *recovery_section(const char *key)
{
    for (size_t i = 0; key && i < N_SECTIONS; i++)
        if (!strcmp(sections[i].key, key))
            return &sections[i];
    return NULL;
}

/* Whether text holds a control character (line breaks allowed when multiline). */
static bool has_control(const char *text, bool multiline)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
            return true;
    return false;
}

const char *recovery_item_problem(const char *text)
{
    long n;

    if (!text || !*text)
        return "Write something here, or leave the row empty.";
    if ((n = utf8_count(text)) < 0 || has_control(text, false) || utf8_has_format(text))
        return "This has characters we cannot keep. Please type it again.";
    if (n > RECOVERY_ITEM_MAX)
        return "Keep this to 200 characters or fewer: a short line is easier to read in a "
               "hard moment.";
    return NULL;
}

const char *recovery_submit_problem(int coping)
{
    return coping > 0 ? NULL
                      : "Add at least one coping strategy before you send your plan: Help now "
                        "shows them when a craving comes.";
}

const char *recovery_comment_problem(const char *comment, bool required)
{
    long n;

    if (!comment || !*comment)
        return required ? "Say what the patient should change: they read this comment." : NULL;
    if ((n = utf8_count(comment)) < 0 || has_control(comment, true))
        return "The comment has characters we cannot keep. Please type it again.";
    if (n > RECOVERY_COMMENT_MAX)
        return "The comment is longer than 2000 characters. Please shorten it.";
    return NULL;
}

/* The review's rules: from the latest version's status, what each action does. */
struct transition {
    enum recovery_status from;
    enum recovery_action action;
    enum recovery_effect effect;
    enum recovery_status to;
};
static const struct transition transitions[] = {
    { RECOVERY_NONE, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
    { RECOVERY_NONE, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
    { RECOVERY_DRAFT, RECOVERY_SAVE, RECOVERY_IN_PLACE, RECOVERY_DRAFT },
    { RECOVERY_DRAFT, RECOVERY_SUBMIT, RECOVERY_IN_PLACE, RECOVERY_SUBMITTED },
    /* Nobody has reviewed it yet: taking it back changes nothing anyone saw. */
    { RECOVERY_SUBMITTED, RECOVERY_WITHDRAW, RECOVERY_IN_PLACE, RECOVERY_DRAFT },
    { RECOVERY_SUBMITTED, RECOVERY_APPROVE, RECOVERY_IN_PLACE, RECOVERY_APPROVED },
    { RECOVERY_SUBMITTED, RECOVERY_RETURN, RECOVERY_IN_PLACE, RECOVERY_RETURNED },
    /* What the counsellor approved or returned stays as they saw it: changes are a new
     * version, and the approved one stays in Help now until the new one is approved. */
    { RECOVERY_APPROVED, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
    { RECOVERY_APPROVED, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
    { RECOVERY_RETURNED, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
    { RECOVERY_RETURNED, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
};

enum recovery_effect recovery_transition(enum recovery_status latest, enum recovery_action action,
                                         enum recovery_status *to)
{
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
        if (transitions[i].from == latest && transitions[i].action == action) {
            *to = transitions[i].to;
            return transitions[i].effect;
        }
    *to = latest;
    return RECOVERY_REFUSED;
}

static const struct {
    const char *name, *label;
} statuses[] = {
    [RECOVERY_NONE] = { "", "Not started" },
    [RECOVERY_DRAFT] = { "draft", "Draft" },
    [RECOVERY_SUBMITTED] = { "submitted", "Waiting for your counsellor" },
    [RECOVERY_APPROVED] = { "approved", "Approved" },
    [RECOVERY_RETURNED] = { "returned", "Returned with a comment" },
    [RECOVERY_SUPERSEDED] = { "superseded", "Replaced by a newer version" },
};

const char *recovery_status_name(enum recovery_status s)
{
    return s <= RECOVERY_SUPERSEDED ? statuses[s].name : "";
}

enum recovery_status recovery_status_parse(const char *name)
{
    for (int s = RECOVERY_DRAFT; name && s <= RECOVERY_SUPERSEDED; s++)
        if (!strcmp(statuses[s].name, name))
            return (enum recovery_status)s;
    return RECOVERY_NONE;
}

const char *recovery_status_label(enum recovery_status s)
{
    return s <= RECOVERY_SUPERSEDED ? statuses[s].label : "";
}

static const struct {
    int max;
    bool multiline;
} skill_fields[] = {
    [RECOVERY_SKILL_TITLE] = { 120, false },
    [RECOVERY_SKILL_SUMMARY] = { 300, false },
    [RECOVERY_SKILL_BODY] = { 8000, true },
    [RECOVERY_SKILL_SOURCE] = { 400, false },
};

int recovery_skill_max(enum recovery_skill_field field)
{
    return skill_fields[field].max;
}

const char *recovery_skill_problem(enum recovery_skill_field field, const char *value)
{
    static const char *const missing[] = {
        [RECOVERY_SKILL_TITLE] = "Give the skill a title.",
        [RECOVERY_SKILL_SUMMARY] = "Write a one-line summary: the list shows it.",
        [RECOVERY_SKILL_BODY] = "Write the text the patient reads.",
        [RECOVERY_SKILL_SOURCE] = "Name the source this skill is based on.",
    };
    static const char *const too_long[] = {
        [RECOVERY_SKILL_TITLE] = "The title is longer than 120 characters.",
        [RECOVERY_SKILL_SUMMARY] = "The summary is longer than 300 characters.",
        [RECOVERY_SKILL_BODY] = "The text is longer than 8000 characters.",
        [RECOVERY_SKILL_SOURCE] = "The source is longer than 400 characters.",
    };
    long n;

    if (!value || !*value)
        return missing[field];
    if ((n = utf8_count(value)) < 0 || has_control(value, skill_fields[field].multiline) ||
        utf8_has_format(value))
        return "This has characters we cannot keep. Please type it again.";
    return n > skill_fields[field].max ? too_long[field] : NULL;
}

bool recovery_skill_kind_ok(const char *kind)
{
    return kind && (!strcmp(kind, "exercise") || !strcmp(kind, "reading"));
}

bool recovery_skill_position_parse(const char *text, int *out)
{
    int v = 0;
    size_t i;

    if (!text || !*text || strlen(text) > 4)
        return false;
    for (i = 0; text[i]; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
}
