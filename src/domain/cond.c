/* cond: parse and evaluate show_if strings: clauses "ID=VALUE" or "ID!=VALUE" joined by '|'
 * (any holds) or '&' (all hold), never mixed. A clause about an item that is not asked, or not
 * answered, is false; so skip logic is transitive (audit-4 needs audit-2 asked needs audit-1). */
#include "domain/cond.h"

#include <string.h>

#include "core/str.h"
#include "domain/instruments.h"

static int parse_clause(struct str s, struct cond_clause *cl)
{
    const char *eq = memchr(s.p, '=', s.len);
    size_t id_len, i;
    struct str value;
    const struct item *it;
    long idx;

    if (!eq || eq == s.p)
        return -1;
    id_len = (size_t)(eq - s.p);
    cl->neg = eq[-1] == '!';
    if (cl->neg)
        id_len--;
    value = (struct str){eq + 1, s.len - (size_t)(eq + 1 - s.p)};
    if (id_len == 0 || value.len == 0)
        return -1;
    idx = instruments_find(s.p, id_len);
    if (idx < 0)
        return -1;
    it = instruments_at((size_t)idx);
    cl->item = (size_t)idx;
    for (i = 0; i < it->n_options; i++) {
        if (str_eq(value, it->options[i].value)) {
            cl->option = i;
            return 0;
        }
    }
    return -1;
}

int cond_parse(const char *show_if, struct cond *c)
{
    struct str rest = str_from(show_if), head;
    bool any = false;

    c->n = 0;
    c->all = false;
    if (rest.len == 0)
        return 0;
    if (memchr(rest.p, '|', rest.len))
        any = true;
    if (memchr(rest.p, '&', rest.len))
        c->all = true;
    if (any && c->all)
        return -1;
    for (;;) {
        bool more = str_cut(&rest, c->all ? '&' : '|', &head);
        if (!more)
            head = rest;
        if (c->n == COND_MAX_CLAUSES || parse_clause(head, &c->clause[c->n]) < 0)
            return -1;
        c->n++;
        if (!more)
            return 0;
    }
}

bool cond_eval(const struct cond *c, cond_answer_fn answer, void *ctx)
{
    size_t i;

    if (c->n == 0)
        return true;
    for (i = 0; i < c->n; i++) {
        int a = answer(ctx, c->clause[i].item, c->clause[i].option);
        bool holds = a >= 0 && (a == 1) != c->clause[i].neg;
        if (holds && !c->all)
            return true;
        if (!holds && c->all)
            return false;
    }
    return c->all;
}
