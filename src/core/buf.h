/* buf: the one growable byte buffer; always NUL-terminated, geometric growth, optional cap. */
#ifndef HAVEN_BUF_H
#define HAVEN_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;   /* NUL-terminated once anything is added; NULL when empty */
    size_t len;
    size_t cap;
    size_t limit; /* 0 = unbounded; past it, adds fail and `over` is set */
    bool over;
};

#define BUF_INIT {NULL, 0, 0, 0, false}

/* Each add returns 0, or -1 (and sets over, adding nothing) when the limit would be passed. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Adds s escaped for HTML text and attribute values (& < > " ' `). */
int buf_add_html(struct buf *b, const char *s, size_t n);
/* Makes room for n more bytes without adding any (saves regrowth when the size is known). */
int buf_reserve(struct buf *b, size_t n);
/* Returns the contents (never NULL: "" when empty) as the caller's to free; empties b. */
char *buf_detach(struct buf *b, size_t *len);
const char *buf_cstr(const struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
