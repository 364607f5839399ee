/* form: checking a posted form into a page model, one field at a time (see form.c). */
#ifndef HAVEN_FORM_H
#define HAVEN_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

/* A posted form being checked: the values go back into m.form, each problem into m.err (by
 * field) and the summary list m.errors ({field, message}); m.has_errors says whether any. */
struct form {
    struct req *r;
    json_t *m; /* borrowed: the page model */
    int problems;
};

void form_init(struct form *f, struct req *r, json_t *m);
/* Records a problem for a field (the first one per field wins: it is the one to fix). */
void form_problem(struct form *f, const char *name, const char *message);
/* The field trimmed (arena), or NULL when empty; a problem when required and empty (missing is
 * the sentence), longer than max bytes, not UTF-8, or holding control characters (newlines
 * allowed when multiline). */
const char *form_text(struct form *f, const char *name, size_t max, bool required,
                      bool multiline, const char *missing);
/* The field when it is one of allowed (NULL-terminated); else a problem (message). */
const char *form_choice(struct form *f, const char *name, const char *const *allowed,
                        bool required, const char *message);
/* A "YYYY-MM-DD" calendar date (contact_date_problem); NULL when empty and not required. */
const char *form_date(struct form *f, const char *name, bool required, const char *missing);
/* A phone number (contact_phone_problem); digits (may be NULL) gets the digits alone (arena). */
const char *form_phone(struct form *f, const char *name, bool required, const char **digits);
/* An e-mail address (contact_email_problem). */
const char *form_email(struct form *f, const char *name, bool required, const char *missing);
/* A person's name (contact_name_problem). */
const char *form_name(struct form *f, const char *name, bool required, const char *missing);
/* True when the checkbox was ticked (value "yes"). */
bool form_checked(struct form *f, const char *name);

#endif
