/* str: non-owning slices of parsed input; they never own or free their bytes. */
#ifndef HAVEN_STR_H
#define HAVEN_STR_H

#include <stdbool.h>
#include <stddef.h>

struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s);
bool str_eq(struct str a, const char *b);
bool str_starts_with(struct str a, const char *prefix);
/* Parses a whole slice as a base-10 integer in [min, max]; -1 on any other text. */
int str_to_long(struct str s, long min, long max, long *out);
/* Splits at the first sep: head gets what is before it, s what is after; false if absent. */
bool str_cut(struct str *s, char sep, struct str *head);

#endif
