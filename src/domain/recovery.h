/* recovery: the rules of a patient's relapse-prevention plan and of the clinic's skills
 * library (issue 11): the plan's sections and how many items each holds, what one item may
 * be, how a version moves from draft to submitted to approved or returned, and the bounds of
 * a skill's fields. Tables read top to bottom; no I/O. The sizes are screen sizes (a plan a
 * patient can read in a craving, on a phone), not clinical cut-offs. */
#ifndef HAVEN_RECOVERY_H
#define HAVEN_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>

/* One item of a text section: 1 to RECOVERY_ITEM_MAX characters, one line. */
#define RECOVERY_ITEM_MAX 200
/* The counsellor's comment: up to RECOVERY_COMMENT_MAX characters (a return needs one). */
#define RECOVERY_COMMENT_MAX 2000

enum recovery_kind {
    RECOVERY_TEXT,   /* short lines of text */
    RECOVERY_PEOPLE, /* a name and a phone number each (contact_name/phone_problem) */
};

struct recovery_section {
    const char *key;   /* the body's JSON key and the form fields' prefix */
    const char *title; /* what the plan calls it */
    const char *one;   /* one of its items, for the editor's labels ("Warning sign") */
    const char *hint;  /* the question the editor asks the patient */
    enum recovery_kind kind;
    int max_items;
};

/* The plan's sections, in the order the plan shows them; *n gets how many. */
const struct recovery_section *recovery_sections(size_t *n);
/* The section with this key, or NULL. */
const struct recovery_section *recovery_section(const char *key);
/* Why a text item cannot be kept, as a sentence, or NULL: empty, not UTF-8, a control or
 * invisible format character, or more than RECOVERY_ITEM_MAX characters. */
const char *recovery_item_problem(const char *text);
/* Why a plan cannot be sent for review, or NULL: Help now shows the coping strategies, so a
 * plan sent without one would leave that page empty. coping: how many it has. */
const char *recovery_submit_problem(int coping);
/* Why a comment cannot be kept, or NULL: required (a return says why) and missing, not UTF-8,
 * control characters other than line breaks, or more than RECOVERY_COMMENT_MAX characters. */
const char *recovery_comment_problem(const char *comment, bool required);

/* A version's status as stored. NONE: the patient has no version yet. */
enum recovery_status {
    RECOVERY_NONE,
    RECOVERY_DRAFT,
    RECOVERY_SUBMITTED,
    RECOVERY_APPROVED,
    RECOVERY_RETURNED,
    RECOVERY_SUPERSEDED,
};
enum recovery_action {
    RECOVERY_SAVE,     /* the patient saves the draft */
    RECOVERY_SUBMIT,   /* the patient saves it and sends it for review */
    RECOVERY_WITHDRAW, /* the patient takes a submitted version back to change it */
    RECOVERY_APPROVE,  /* a clinician approves the submitted version */
    RECOVERY_RETURN,   /* a clinician returns it with a comment */
};
enum recovery_effect {
    RECOVERY_REFUSED,     /* not allowed now */
    RECOVERY_IN_PLACE,    /* the latest version changes */
    RECOVERY_NEW_VERSION, /* a new version (latest + 1) is made from the latest's text */
};
/* What action does when the patient's latest version is in `latest`, and (*to) the status the
 * changed or new version gets. */
enum recovery_effect recovery_transition(enum recovery_status latest, enum recovery_action action,
                                         enum recovery_status *to);
/* The stored name of a status ("draft") and back (RECOVERY_NONE for an unknown name). */
const char *recovery_status_name(enum recovery_status s);
enum recovery_status recovery_status_parse(const char *name);
/* What the patient's pages call a status ("Waiting for your counsellor"). */
const char *recovery_status_label(enum recovery_status s);

/* A skill's fields: title, summary, body, source (each its own bound, in characters). */
enum recovery_skill_field {
    RECOVERY_SKILL_TITLE,
    RECOVERY_SKILL_SUMMARY,
    RECOVERY_SKILL_BODY,
    RECOVERY_SKILL_SOURCE,
};
/* The most characters the field holds. */
int recovery_skill_max(enum recovery_skill_field field);
/* Why a skill's field cannot be kept, or NULL: empty, not UTF-8, control characters (line
 * breaks only in the body), or too long. */
const char *recovery_skill_problem(enum recovery_skill_field field, const char *value);
/* Whether kind is a skill's kind ("exercise" or "reading"). */
bool recovery_skill_kind_ok(const char *kind);
/* A skill's place in the list: exactly a whole number 0-9999; true and *out, or false. */
bool recovery_skill_position_parse(const char *text, int *out);

#endif
