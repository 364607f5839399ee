/* cond: the skip-logic (show_if) language of instruments.h, parsed once into clauses that name
 * items and options by index, then evaluated against one person's answers. The web form's
 * JavaScript and the FHIR enableWhen builder read the same strings; this is the C reading. */
#ifndef HAVEN_COND_H
#define HAVEN_COND_H

#include <stdbool.h>
#include <stddef.h>

#define COND_MAX_CLAUSES 16

struct cond_clause {
    size_t item;   /* form-order index (instruments_at) */
    size_t option; /* index into that item's options */
    bool neg;      /* "ID!=VALUE" */
};

struct cond {
    size_t n;  /* 0: always asked */
    bool all;  /* '&' joins the clauses; else '|' */
    struct cond_clause clause[COND_MAX_CLAUSES];
};

/* Parses show_if (NULL or "" = always asked) into *c. Returns 0, or -1 on bad syntax, an
 * unknown item or value, '|' and '&' mixed, or more than COND_MAX_CLAUSES clauses. */
int cond_parse(const char *show_if, struct cond *c);

/* What the caller knows about one answer: 1 if `item` is asked and answered with `option`
 * (for a list: the list holds it), 0 if asked and answered otherwise, -1 if not asked or not
 * answered (then both "=" and "!=" clauses on it are false). */
typedef int (*cond_answer_fn)(void *ctx, size_t item, size_t option);

bool cond_eval(const struct cond *c, cond_answer_fn answer, void *ctx);

#endif
