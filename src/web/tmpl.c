/* tmpl: mustache templates parsed once into flat node arrays, then rendered by many threads.
 * Parsing does all the work that can be done ahead (standalone-line trimming, splitting dotted
 * names, matching sections), so rendering is a single walk over the nodes with no allocation
 * beyond what the output buffer needs. Nothing here is written after tmpl_set_add returns. */
#include "web/tmpl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"

#define CTX_MAX 32     /* contexts (model included) a render may stack */
#define PARTIAL_MAX 16 /* partial nesting; also stops a partial that includes itself */

enum node_kind {
    N_TEXT,     /* literal bytes of the source */
    N_VAR,      /* {{x}}: escaped */
    N_RAW,      /* {{{x}}} and {{& x}} */
    N_SECTION,  /* {{#x}}: nodes up to `end` are its block */
    N_INVERTED, /* {{^x}}: likewise */
    N_PARTIAL,  /* {{> x}} */
};

struct node {
    uint8_t kind;
    uint8_t nparts;   /* parts of a dotted name; 0 means {{.}} */
    uint32_t off;     /* text: offset in src; tags: offset of the name's first part */
    uint32_t len;     /* text: byte count; partial: hash of the name */
    uint32_t end;     /* sections: index of the first node after the block */
    uint32_t ind_off; /* partial: the indentation of a standalone tag, in src */
    uint32_t ind_len;
};

struct tmpl {
    char *name;
    uint32_t hash;
    char *src;   /* a private copy: text nodes point into it */
    /* Name pool. Parts of variable and section names are stored consecutively as a length
     * byte, the bytes, a NUL, so lookups need no strlen; partial names are plain strings. */
    char *names;
    size_t names_len, names_cap;
    struct node *nodes;
    size_t n, cap;
};

struct tmpl_set {
    struct tmpl *v;
    size_t n, cap;
};

/* FNV-1a: partial names are hashed at parse time so lookups at render time rarely strcmp. */
static uint32_t hash_name(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void tmpl_clear(struct tmpl *t)
{
    free(t->name);
    free(t->src);
    free(t->names);
    free(t->nodes);
}

struct tmpl_set *tmpl_set_new(void)
{
    return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        tmpl_clear(&s->v[i]);
    free(s->v);
    free(s);
}

static const struct tmpl *set_find(const struct tmpl_set *s, const char *name, size_t n,
                                   uint32_t h)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (s->v[i].hash == h && strlen(s->v[i].name) == n && !memcmp(s->v[i].name, name, n))
            return &s->v[i];
    return NULL;
}

/* ---- parsing ---------------------------------------------------------------------------- */

struct open {
    size_t node; /* index of the section node */
    struct str name;
    int line;
};

struct parser {
    struct tmpl *t;
    const char *src; /* t->src */
    size_t len;
    size_t pos;        /* where scanning resumes */
    size_t text_start; /* start of text not yet emitted as a node */
    size_t line_pos;   /* newlines before line_pos are counted in line */
    int line;
    struct open *open;
    size_t nopen, capopen;
    struct buf *err;
};

static int line_at(struct parser *p, size_t pos)
{
    for (; p->line_pos < pos; p->line_pos++)
        if (p->src[p->line_pos] == '\n')
            p->line++;
    return p->line;
}

static int fail(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int line, const char *fmt, ...)
{
    va_list ap;

    if (!p->err)
        return -1;
    if (p->err->len)
        buf_addc(p->err, '\n');
    buf_addf(p->err, "template %s line %d: ", p->t->name, line);
    va_start(ap, fmt);
    buf_vaddf(p->err, fmt, ap);
    va_end(ap);
    return -1;
}

static struct node *add_node(struct tmpl *t, enum node_kind kind)
{
    struct node *n;

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->nodes = xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
    }
    n = &t->nodes[t->n++];
    memset(n, 0, sizeof(*n));
    n->kind = (uint8_t)kind;
    return n;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
    struct node *n;

    if (to <= from)
        return;
    n = add_node(p->t, N_TEXT);
    n->off = (uint32_t)from;
    n->len = (uint32_t)(to - from);
}

/* Appends s (n bytes) and a NUL to the pool, after a length byte when `counted`. */
static uint32_t pool_add(struct tmpl *t, const char *s, size_t n, bool counted)
{
    size_t off = t->names_len, need = n + 1 + counted;

    if (t->names_len + need > t->names_cap) {
        t->names_cap = (t->names_len + need) * 2;
        t->names = xrealloc(t->names, t->names_cap);
    }
    if (counted)
        t->names[t->names_len++] = (char)(unsigned char)n;
    memcpy(t->names + t->names_len, s, n);
    t->names[t->names_len + n] = '\0';
    t->names_len += n + 1;
    return (uint32_t)off;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct str trim(struct str s)
{
    while (s.len && is_blank(s.p[0]))
        s.p++, s.len--;
    while (s.len && is_blank(s.p[s.len - 1]))
        s.len--;
    return s;
}

/* Stores a variable or section name split at dots into the pool; a part of a dotted name may
 * not be empty and no name holds blanks or braces, which would only be typos. */
static int set_name(struct parser *p, struct node *n, struct str name, int line)
{
    struct str rest = name, part;
    size_t i, parts = 0;

    for (i = 0; i < name.len; i++)
        if (is_blank(name.p[i]) || name.p[i] == '{' || name.p[i] == '}')
            return fail(p, line, "bad name '%.*s'", (int)name.len, name.p);
    if (str_eq(name, "."))
        return 0;
    for (;;) {
        bool more = str_cut(&rest, '.', &part);
        if (!more)
            part = rest;
        if (part.len == 0 || part.len > UINT8_MAX || parts == UINT8_MAX)
            return fail(p, line, "bad name '%.*s'", (int)name.len, name.p);
        i = pool_add(p->t, part.p, part.len, true);
        if (parts++ == 0)
            n->off = (uint32_t)i;
        if (!more)
            break;
    }
    n->nparts = (uint8_t)parts;
    return 0;
}

/* Mustache's standalone rule: a tag alone on its line (blanks aside) takes the whole line with
 * it, newline included, so that block tags leave no stray blank lines in the HTML. On true,
 * *ls is where the line starts and *next where the following line does. */
static bool standalone(const struct parser *p, size_t ts, size_t te, size_t *ls, size_t *next)
{
    size_t i = ts;

    while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
        i--;
    if (i > 0 && p->src[i - 1] != '\n')
        return false;
    *ls = i;
    for (i = te; i < p->len && (p->src[i] == ' ' || p->src[i] == '\t'); i++)
        ;
    if (i < p->len && p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n')
        i++;
    if (i < p->len && p->src[i] != '\n')
        return false;
    *next = i < p->len ? i + 1 : i;
    return true;
}

static int open_section(struct parser *p, enum node_kind kind, struct str name, int line)
{
    struct node *n = add_node(p->t, kind);

    if (set_name(p, n, name, line) < 0)
        return -1;
    if (p->nopen == p->capopen) {
        p->capopen = p->capopen ? p->capopen * 2 : 8;
        p->open = xrealloc(p->open, p->capopen * sizeof(*p->open));
    }
    p->open[p->nopen++] = (struct open){p->t->n - 1, name, line};
    return 0;
}

static int close_section(struct parser *p, struct str name, int line)
{
    struct open *o;

    if (p->nopen == 0)
        return fail(p, line, "unexpected close tag '%.*s'", (int)name.len, name.p);
    o = &p->open[--p->nopen];
    if (o->name.len != name.len || memcmp(o->name.p, name.p, name.len))
        return fail(p, line, "close tag '%.*s' does not match section '%.*s' (line %d)",
                    (int)name.len, name.p, (int)o->name.len, o->name.p, o->line);
    p->t->nodes[o->node].end = (uint32_t)p->t->n;
    return 0;
}

static int add_tag(struct parser *p, char sigil, struct str name, size_t ind_from, size_t ind_to,
                   int line)
{
    struct node *n;

    switch (sigil) {
    case '#': return open_section(p, N_SECTION, name, line);
    case '^': return open_section(p, N_INVERTED, name, line);
    case '/': return close_section(p, name, line);
    case '!': return 0;
    case '>':
        n = add_node(p->t, N_PARTIAL);
        n->off = pool_add(p->t, name.p, name.len, false);
        n->len = hash_name(name.p, name.len);
        n->ind_off = (uint32_t)ind_from;
        n->ind_len = (uint32_t)(ind_to - ind_from);
        return 0;
    case '{':
    case '&': return set_name(p, add_node(p->t, N_RAW), name, line);
    default: return set_name(p, add_node(p->t, N_VAR), name, line);
    }
}

/* Parses the tag whose "{{" is at ts, emitting the text before it. */
static int parse_tag(struct parser *p, size_t ts)
{
    int line = line_at(p, ts);
    size_t cs = ts + 2, ce, te, ls, next;
    char sigil = cs < p->len ? p->src[cs] : '\0';
    const char *close = sigil == '{' ? "}}}" : "}}";
    const char *found;
    struct str name;

    if (sigil == '=')
        return fail(p, line, "delimiter changes are not supported");
    if (sigil && strchr("{&#^/!>", sigil))
        cs++;
    else
        sigil = '\0';
    found = cs <= p->len ? memmem(p->src + cs, p->len - cs, close, strlen(close)) : NULL;
    if (!found)
        return fail(p, line, "unterminated tag");
    ce = (size_t)(found - p->src);
    te = ce + strlen(close);
    name = trim((struct str){p->src + cs, ce - cs});
    if (sigil != '!' && name.len == 0)
        return fail(p, line, "empty name");
    if (sigil && strchr("#^/!>", sigil) && standalone(p, ts, te, &ls, &next)) {
        add_text(p, p->text_start, ls);
        p->pos = p->text_start = next;
        return add_tag(p, sigil, name, ls, ts, line);
    }
    add_text(p, p->text_start, ts);
    p->pos = p->text_start = te;
    return add_tag(p, sigil, name, ts, ts, line);
}

static int parse(struct parser *p)
{
    const char *o;

    while (p->pos < p->len && (o = memmem(p->src + p->pos, p->len - p->pos, "{{", 2))) {
        if (parse_tag(p, (size_t)(o - p->src)) < 0)
            return -1;
    }
    add_text(p, p->text_start, p->len);
    if (p->nopen) {
        struct open *o2 = &p->open[p->nopen - 1];
        return fail(p, o2->line, "unclosed section '%.*s'", (int)o2->name.len, o2->name.p);
    }
    return 0;
}

int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len,
                 struct buf *err)
{
    struct tmpl t = {0};
    struct parser p = {0};
    int ret;

    t.name = xstrdup(name);
    t.hash = hash_name(name, strlen(name));
    t.src = xstrndup(len ? src : "", len);
    p = (struct parser){.t = &t, .src = t.src, .len = len, .line = 1, .err = err};
    if (len >= UINT32_MAX)
        ret = fail(&p, 1, "template too large");
    else if (set_find(s, name, strlen(name), t.hash))
        ret = fail(&p, 1, "a template of that name already exists");
    else
        ret = parse(&p);
    free(p.open);
    if (ret < 0) {
        tmpl_clear(&t);
        return -1;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = t;
    return 0;
}

/* ---- rendering -------------------------------------------------------------------------- */

struct render {
    const struct tmpl_set *set;
    struct buf *out;
    const json_t *ctx[CTX_MAX];
    int depth;
    /* Standalone partials indent each of their lines like the tag; indentation accumulates
     * through nested partials and is owed lazily at the start of the next line. */
    struct str indent[PARTIAL_MAX];
    int partials, nindent;
    bool line_start;
};

static int emit_indent(struct render *r)
{
    int i;

    r->line_start = false;
    for (i = 0; i < r->nindent; i++)
        if (buf_add(r->out, r->indent[i].p, r->indent[i].len) < 0)
            return -1;
    return 0;
}

static int emit_text(struct render *r, const char *s, size_t n)
{
    const char *nl;
    size_t k;

    if (r->nindent == 0)
        return buf_add(r->out, s, n);
    while (n) {
        if (r->line_start && emit_indent(r) < 0)
            return -1;
        nl = memchr(s, '\n', n);
        k = nl ? (size_t)(nl - s) + 1 : n;
        if (buf_add(r->out, s, k) < 0)
            return -1;
        r->line_start = nl != NULL;
        s += k;
        n -= k;
    }
    return 0;
}

/* The first part of a dotted name is looked up from the innermost context outwards; the rest
 * only inside what it found, as mustache specifies. NULL when missing. */
static const json_t *lookup(const struct render *r, const struct tmpl *t, const struct node *n)
{
    const char *part;
    const json_t *v = NULL;
    int i;

    /* "{{.}}" has no name: a template whose only tag it is has no names at all (NULL + 0 is
     * undefined behaviour), so return before touching them. */
    if (n->nparts == 0)
        return r->ctx[r->depth - 1];
    part = t->names + n->off;
    for (i = r->depth - 1; i >= 0 && !v; i--)
        v = json_object_getn(r->ctx[i], part + 1, (unsigned char)*part); /* NULL if no object */
    for (i = 1; i < n->nparts && v; i++) {
        part += (unsigned char)*part + 2;
        v = json_object_getn(v, part + 1, (unsigned char)*part);
    }
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_NULL:
    case JSON_FALSE: return false;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    default: return true;
    }
}

/* Formats v into the end of num and returns where it starts: snprintf cost a fifth of the
 * render time of a page with a table of ids. */
static char *fmt_int(char num[static 24], long long v)
{
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *p = num + 24;

    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    return p;
}

/* Interpolated data is never indented inside itself: only the line it starts on is. */
static int emit_value(struct render *r, const json_t *v, bool escape)
{
    char num[24]; /* fits any long long, and %g's at most 13 characters */
    const char *s = num;
    size_t n;

    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING:
        s = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER:
        s = fmt_int(num, (long long)json_integer_value(v));
        n = (size_t)(num + sizeof(num) - s);
        break;
    case JSON_REAL:
        n = (size_t)snprintf(num, sizeof(num), "%g", json_real_value(v));
        break;
    case JSON_TRUE:
        s = "true";
        n = 4;
        break;
    default: return 0;
    }
    if (n == 0)
        return 0;
    if (r->line_start && emit_indent(r) < 0)
        return -1;
    return escape ? buf_add_html(r->out, s, n) : buf_add(r->out, s, n);
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to);
static int render_tmpl(struct render *r, const struct tmpl *t);

static int render_block(struct render *r, const struct tmpl *t, size_t i, const json_t *ctx)
{
    int ret;

    if (r->depth == CTX_MAX)
        return -1;
    r->ctx[r->depth++] = ctx;
    ret = render_range(r, t, i + 1, t->nodes[i].end);
    r->depth--;
    return ret;
}

static int render_section(struct render *r, const struct tmpl *t, size_t i)
{
    const json_t *v = lookup(r, t, &t->nodes[i]);
    size_t k;

    if (!truthy(v))
        return 0;
    if (!json_is_array(v))
        return render_block(r, t, i, v);
    for (k = 0; k < json_array_size(v); k++)
        if (render_block(r, t, i, json_array_get(v, k)) < 0)
            return -1;
    return 0;
}

static int render_partial(struct render *r, const struct tmpl *t, const struct node *n)
{
    const char *name = t->names + n->off;
    const struct tmpl *p = set_find(r->set, name, strlen(name), n->len);
    int ret;

    if (!p || r->partials == PARTIAL_MAX)
        return -1;
    r->partials++;
    if (n->ind_len) {
        r->indent[r->nindent++] = (struct str){t->src + n->ind_off, n->ind_len};
        r->line_start = true;
    }
    ret = render_tmpl(r, p);
    if (n->ind_len)
        r->nindent--;
    r->partials--;
    return ret;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
    size_t i = from;

    while (i < to) {
        const struct node *n = &t->nodes[i];
        switch (n->kind) {
        case N_TEXT:
            if (emit_text(r, t->src + n->off, n->len) < 0)
                return -1;
            break;
        case N_VAR:
        case N_RAW:
            if (emit_value(r, lookup(r, t, n), n->kind == N_VAR) < 0)
                return -1;
            break;
        case N_SECTION:
            if (render_section(r, t, i) < 0)
                return -1;
            i = n->end;
            continue;
        case N_INVERTED:
            if (truthy(lookup(r, t, n)))
                i = n->end;
            else
                i++; /* the block follows inline: no recursion needed */
            continue;
        case N_PARTIAL:
            if (render_partial(r, t, n) < 0)
                return -1;
            break;
        }
        i++;
    }
    return 0;
}

static int render_tmpl(struct render *r, const struct tmpl *t)
{
    return render_range(r, t, 0, t->n);
}

int tmpl_render(const struct tmpl_set *s, const char *name, const json_t *model, struct buf *out)
{
    const struct tmpl *t = set_find(s, name, strlen(name), hash_name(name, strlen(name)));
    struct render r;

    if (!t)
        return -1;
    r.set = s;
    r.out = out;
    r.ctx[0] = model;
    r.depth = 1;
    r.partials = r.nindent = 0;
    r.line_start = false;
    if (render_tmpl(&r, t) < 0 || out->over)
        return -1;
    return 0;
}
