/* utf8: the one UTF-8 decoder. Every check of text that arrives (forms, JSON, names, passwords)
 * goes through it, so "well-formed" means the same thing everywhere. */
#ifndef HAVEN_UTF8_H
#define HAVEN_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes the code point at p (n bytes left) into *cp; returns its length in bytes, or 0 when
 * the bytes there are not well-formed UTF-8 (overlong, a surrogate, past U+10FFFF, cut short,
 * or a NUL byte). */
size_t utf8_decode(const char *p, size_t n, unsigned long *cp);
/* True when the n bytes are well-formed UTF-8 with no NUL byte. */
bool utf8_valid(const char *p, size_t n);
/* Code points in a NUL-terminated string, or -1 when it is not well-formed UTF-8. */
long utf8_count(const char *s);
/* Code points in a string that is known to be well-formed (continuation bytes not counted). */
size_t utf8_length(const char *s);
/* True for invisible format and text-direction characters (U+061C, U+200B-U+200F,
 * U+202A-U+202E, U+2066-U+2069, U+FEFF): text that can make a name or address read
 * differently from what it holds. */
bool utf8_is_format(unsigned long cp);
/* True when well-formed s holds one of them. */
bool utf8_has_format(const char *s);
/* s as valid UTF-8 into out (room for 3 * strlen(s) + 1): every byte that is not part of a
 * well-formed sequence becomes U+FFFD, so that input shown again can always be displayed.
 * Returns out. */
char *utf8_repair(const char *s, char *out);

#endif
