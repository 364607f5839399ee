/* note: the rules of a clinical note (issue 10, migration 0020), pure: which form a kind of note
 * is written in and which parts (a..d) the form needs before it can be signed, the choices of a
 * group note's section, the lock that signing puts on a note, a section and an addendum, when a
 * note is due, and when it is complete (signed, and co-signed when its signer needs a
 * co-signature). No I/O: the clinic's clock comes from the caller. */
#ifndef HAVEN_NOTE_H
#define HAVEN_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/err.h"
#include "domain/referral_flow.h"

#define NOTE_PART_MAX 8000      /* characters of each part a..d (notes.a CHECK) */
#define NOTE_RESPONSE_MAX 4000  /* a section's response (note_sections.response) */
#define NOTE_RISK_MAX 2000      /* a section's risk detail */
#define NOTE_COMMENT_MAX 2000   /* a progress comment */
#define NOTE_ADDENDUM_MAX 4000  /* an addendum's text */
#define NOTE_PARTS 4            /* a, b, c, d */
#define NOTE_DUE_HOURS 24       /* the setting note_due_hours when unset or unreadable */
#define NOTE_DUE_HOURS_MAX 720  /* thirty days: a longer setting is a typing error */
#define NOTE_DUE_WINDOW_DAYS 14 /* how far back the due list looks */

enum note_form { NOTE_FORM_NONE = -1, NOTE_FORM_GROUP, NOTE_FORM_DAP, NOTE_FORM_BIRP };

/* "group", "dap", "birp" as stored; NOTE_FORM_NONE for any other text (NULL included). */
enum note_form note_form_parse(const char *name);
/* Whether kind ("group", "individual", "family", "medication") is written in form: a group note
 * in the group form, the others in DAP or BIRP (the CHECK of the notes table). */
bool note_kind_form_ok(const char *kind, const char *form);
/* Whether kind is one of a single patient's notes: individual, family, medication. */
bool note_kind_individual(const char *kind);
/* How many parts the form has (group and DAP 3, BIRP 4; 0 for none). */
int note_form_parts(enum note_form f);
/* The name of part i (0..3) of the form as a clinician reads it ("Topic", "Data", "Behaviour"
 * ...); NULL past the form's parts. */
const char *note_part_label(enum note_form f, int i);
/* The field of part i: "a", "b", "c", "d"; NULL past 3. */
const char *note_part_field(int i);
/* The first part (index) a form still needs before signing: every part of its form must hold
 * text (NULL or "" is missing); -1 when none is missing. */
int note_missing_part(enum note_form f, const char *const parts[NOTE_PARTS]);

/* The choices of a section (note_sections) and of progress (note_progress), as stored, in the
 * order a form offers them: the i-th name (NULL past the last) and its label; _ok: whether v is
 * one of them (NULL is not). */
const char *note_participation_at(size_t i);
const char *note_participation_label(const char *v);
bool note_participation_ok(const char *v);
const char *note_progress_at(size_t i);
const char *note_progress_label(const char *v);
bool note_progress_ok(const char *v);
/* Risk observed: "none" or "concern" (which needs its detail and raises an alert). */
bool note_risk_ok(const char *v);

/* What a write may do to a note as it stands: E_OK, or E_CONFLICT when it would change what is
 * signed (a signed note's shared part, a signed section). A section written after its note was
 * signed is allowed: it is signed on its own. */
enum err note_may_write(bool note_signed, bool shared_change, bool section_signed);
/* Whether an addendum may still change: never once signed (and addenda are signed as they are
 * written, so never at all through Haven's addresses). */
bool note_addendum_editable(bool addendum_signed);
/* Whether a section may be signed on its own: the note is signed and the section is not. */
enum err note_may_sign_section(bool note_signed, bool section_signed);

/* The setting note_due_hours (text, may be NULL) as hours: a whole number 0..720, else the
 * default of 24. */
int note_due_hours(const char *setting);
/* When a note is due: the end of its session on the clinic's wall clock (date "YYYY-MM-DD",
 * end "HH:MM") plus hours, as an instant; -1 when date or end is malformed. */
time_t note_due_at(const char *date, const char *end, int hours,
                   const struct referral_flow_clock *clk);
/* Overdue once now has passed due (a note due at 10:00 is not overdue at 10:00). */
bool note_overdue(time_t due, time_t now);

/* Where a note stands. */
enum note_state {
    NOTE_DRAFT,           /* not signed: it may change */
    NOTE_AWAITING_COSIGN, /* signed by someone who needs a co-signature, not co-signed yet */
    NOTE_COMPLETE,        /* signed (and co-signed when needed): locked, addenda only */
};
enum note_state note_state(bool signed_, bool cosign_needed, bool cosigned);
/* "draft", "awaiting-cosign", "complete". */
const char *note_state_name(enum note_state s);
/* Who may co-sign: only the supervisor the administrator named for the signer (users.
 * supervisor_id; 0: none named, so nobody), never the signer. */
bool note_may_cosign(long signer, long signer_supervisor, long caller);

#endif
