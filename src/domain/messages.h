/* messages: every piece of user-facing text the domain produces (labels, reasons, level and
 * flag texts), in one table keyed by id, so a second language is a second table. */
#ifndef HAVEN_MESSAGES_H
#define HAVEN_MESSAGES_H

#include <stddef.h>

/* The English text of `key`, or NULL when there is no such message. Static; never freed. */
const char *msg(const char *key);

/* msg() of the key a + b + c ("level." "iop" ".title"), without printf; NULL if unknown. */
const char *msg_join(const char *a, const char *b, const char *c);

/* Formats message `key` (a printf format) with the values that follow into out (n bytes,
 * truncated if needed; always NUL-terminated when n > 0) and returns out. An unknown key is
 * copied as itself, so a missing text shows up in tests rather than as an empty string. */
const char *msg_format(char *out, size_t n, const char *key, ...);

/* All keys, for tests and tools: index 0 .. msg_count() - 1, in key order. */
size_t msg_count(void);
const char *msg_key_at(size_t i);

#endif
