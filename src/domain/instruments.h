/* instruments: the questionnaire as data (spec §1, §2): sections, items, allowed values, skip
 * logic. One source of truth for the scorer, the web form and the FHIR Questionnaire. */
#ifndef HAVEN_INSTRUMENTS_H
#define HAVEN_INSTRUMENTS_H

#include <stddef.h>

enum item_kind {
    ITEM_SCORED, /* one of the listed integer values (AUDIT, ASSIST, PHQ-9, GAD-7) */
    ITEM_BOOL,   /* true / false */
    ITEM_CODE,   /* one of the listed codes */
    ITEM_CODES,  /* any subset of the listed codes (a JSON array) */
    ITEM_SCALE,  /* an integer from min to max (options list every value) */
};

struct item_option {
    const char *value; /* canonical text form: "0", "4", "true", "male", "alcohol" */
    int score;         /* the value scored (ITEM_SCORED, ITEM_SCALE); 1/0 for bool; else 0 */
    const char *label; /* what the person reads */
};

struct item {
    const char *id;       /* spec id, e.g. "audit-4", "assist-2-opioids", "wd-daily" */
    const char *instrument; /* "audit", "assist", "phq9", "gad7", "asq", or NULL (context) */
    const char *text;     /* question as shown (quoted exactly from the source for instruments) */
    const char *hint;     /* extra help under the question, or NULL; the same hint on a run of
                           * items is the instrument's stem (the web form shows it once) */
    const char *help;     /* examples for the web form, under the hint; NULL for most items */
    enum item_kind kind;
    const struct item_option *options;
    size_t n_options;
    /* Skip logic: NULL/"" = always asked; else clauses "ID=VALUE" or "ID!=VALUE" joined by
     * '|' (any holds) or '&' (all hold), never mixed. A clause on an item that is not asked
     * itself, or not answered, is false. */
    const char *show_if;
};

struct section {
    const char *id;     /* "about", "audit", ... */
    const char *title;
    const char *intro;  /* plain-words introduction; may be NULL */
    const char *source; /* citation for instrument sections; NULL for Haven's own */
    const struct item *const *items;
    size_t n_items;
};

/* The sections in the order the form asks them. Static data; never freed. */
const struct section *instruments_sections(size_t *n);
/* The item with this id, or NULL. */
const struct item *instruments_item(const char *id);
/* The option of item whose canonical value is `value`, or NULL. */
const struct item_option *instruments_option(const struct item *it, const char *value);

/* Every item in form order, flattened across sections: index 0 .. instruments_count() - 1.
 * A show_if only names items with a smaller index, so one pass in this order settles skip
 * logic. */
size_t instruments_count(void);
const struct item *instruments_at(size_t index);
/* The form-order index of the item whose id is the `len` bytes at id, or -1. */
long instruments_find(const char *id, size_t len);

/* ASSIST substances in spec order: "cannabis" ... "other". */
#define INSTRUMENTS_N_SUBSTANCES 8
const char *instruments_substance(size_t i);

#endif
