/* input: reading a note's JSON body into the store's structs (store/notes.h), every problem
 * kept with its field ("sections[2].progress[0].progress") for the one 422 answer. Texts may
 * hold newlines (a note is paragraphs); the choices' own rules are the store's (domain/note.h),
 * so that a form and the API refuse the same things. */
#include "modules/notes/notes.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "modules/program/program.h"

#define NOTES_SECTIONS_MAX 60 /* a group of sixty is not a group */
#define NOTES_PROGRESS_MAX 20 /* objectives worked on in one session */

/* Control characters other than newline and tab, or invisible format characters. */
static bool bad_text(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
            return true;
    return utf8_has_format(s);
}

const char *notes_json_text(struct body *b, const json_t *obj, const char *key,
                            const char *field, long max, bool required, const char *message)
{
    const json_t *v = json_object_get(obj, key);
    const char *s = json_string_value(v);
    long n;

    if (!v || json_is_null(v)) {
        if (required)
            body_problem(b, field, message);
        return NULL;
    }
    n = s ? utf8_count(s) : -1;
    if (n < 1 || n > max || bad_text(s)) {
        body_problem(b, field, message);
        return NULL;
    }
    return s;
}

/* A short choice or id: a string of 1..64 bytes, else NULL (and a problem when required). */
static const char *word(struct body *b, const json_t *obj, const char *key, const char *field,
                        bool required, const char *message)
{
    const json_t *v = json_object_get(obj, key);
    const char *s = json_string_value(v);

    if ((!v || json_is_null(v)) && !required)
        return NULL;
    if (!s || !*s || strlen(s) > 64) {
        body_problem(b, field, message);
        return NULL;
    }
    return s;
}

static const char *path(struct body *b, const char *prefix, const char *key)
{
    char f[256];

    snprintf(f, sizeof(f), "%s%s", prefix, key);
    return arena_strdup(b->r->arena, f);
}

bool notes_json_progress(struct body *b, const json_t *obj, const char *prefix,
                         struct note_progress_in **out, size_t *n)
{
    const json_t *arr = json_object_get(obj, "progress"), *it;
    char f[128];
    size_t i;

    *out = NULL;
    *n = 0;
    if (!json_is_array(arr) || !json_array_size(arr) ||
        json_array_size(arr) > NOTES_PROGRESS_MAX) {
        body_problem(b, path(b, prefix, "progress"),
                     "Give progress on 1 to 20 objectives of the patient's current plan: "
                     "[{objective_id, progress, comment?}].");
        return false;
    }
    *out = arena_alloc(b->r->arena, json_array_size(arr) * sizeof(**out));
    json_array_foreach(arr, i, it) {
        struct note_progress_in *p = &(*out)[i];
        snprintf(f, sizeof(f), "%sprogress[%zu].", prefix, i);
        p->objective_id = word(b, it, "objective_id", path(b, f, "objective_id"), true,
                               "Give the objective's id.");
        p->progress = word(b, it, "progress", path(b, f, "progress"), true,
                           "Give the progress: met, progressing, no-change or regressing.");
        p->comment = notes_json_text(b, it, "comment", path(b, f, "comment"), NOTE_COMMENT_MAX,
                                     false, "A comment has 1 to 2000 characters.");
    }
    *n = json_array_size(arr);
    return true;
}

/* One section object (prefix: "sections[i]." or ""); patient_id given by the path or not. */
static void section_read(struct body *b, const json_t *obj, const char *prefix,
                         const char *patient_id, struct note_section_in *s)
{
    struct note_progress_in *p;
    const json_t *urgent = json_object_get(obj, "urgent");

    memset(s, 0, sizeof(*s));
    s->patient_id = patient_id ? patient_id
                               : word(b, obj, "patient_id", path(b, prefix, "patient_id"), true,
                                      "Give the attendee's patient id.");
    s->participation = word(b, obj, "participation", path(b, prefix, "participation"), true,
                            "Give the participation: active, engaged, minimal, withdrawn or "
                            "disruptive.");
    s->response = notes_json_text(b, obj, "response", path(b, prefix, "response"),
                                  NOTE_RESPONSE_MAX, true,
                                  "Write how they responded (1 to 4000 characters).");
    s->risk = word(b, obj, "risk", path(b, prefix, "risk"), true,
                   "Give the risk observed: none or concern.");
    s->risk_detail = notes_json_text(b, obj, "risk_detail", path(b, prefix, "risk_detail"),
                                     NOTE_RISK_MAX, false,
                                     "Say what the concern is (1 to 2000 characters).");
    if (urgent && !json_is_boolean(urgent))
        body_problem(b, path(b, prefix, "urgent"), "Give true or false.");
    s->urgent = json_is_true(urgent);
    if (notes_json_progress(b, obj, prefix, &p, &s->n_progress))
        s->progress = p;
}

void notes_json_section(struct body *b, const char *patient_id, struct note_section_in *out)
{
    section_read(b, b->root, "", patient_id, out);
}

bool notes_json_sections(struct body *b, const json_t *arr, struct note_section_in **out,
                         size_t *n)
{
    const json_t *it;
    char prefix[32];
    size_t i;

    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr))
        return true;
    if (!json_is_array(arr) || json_array_size(arr) > NOTES_SECTIONS_MAX) {
        body_problem(b, "sections", "Give a list of at most 60 sections.");
        return false;
    }
    *out = arena_alloc(b->r->arena, (json_array_size(arr) + 1) * sizeof(**out));
    json_array_foreach(arr, i, it) {
        snprintf(prefix, sizeof(prefix), "sections[%zu].", i);
        if (!json_is_object(it)) {
            body_problem(b, path(b, prefix, "patient_id"), "Each section is an object.");
            continue;
        }
        section_read(b, it, prefix, NULL, &(*out)[i]);
        for (size_t k = 0; k < i; k++)
            if ((*out)[i].patient_id && (*out)[k].patient_id &&
                !strcmp((*out)[i].patient_id, (*out)[k].patient_id))
                body_problem(b, path(b, prefix, "patient_id"), "This patient is listed twice.");
    }
    *n = json_array_size(arr);
    return true;
}
