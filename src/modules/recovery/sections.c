/* sections: the plan's sections between the three shapes they take: the posted editor form
 * (fields "<section>-<n>", and "people-<n>-name" / "people-<n>-phone"), the stored body (an
 * object of arrays, domain/recovery.h's keys) and what the templates show. Also a skill's
 * text as paragraphs and lists. */
#include "modules/recovery/recovery.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/contact.h"
#include "domain/recovery.h"

/* Empty rows the editor adds after a section's items (a new plan gets a few more). */
#define BLANK_ROWS 2
#define BLANK_ROWS_NEW 3

/* "+1 555 010 0100" as a tel: target: the digits and a leading plus. */
static json_t *tel_of(const char *phone)
{
    char out[CONTACT_PHONE_MAX + 1];
    size_t n = 0;

    for (const char *p = phone; p && *p && n + 1 < sizeof(out); p++)
        if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0))
            out[n++] = *p;
    out[n] = '\0';
    return json_string(out);
}

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

json_t *recovery_sections_view(const json_t *body)
{
    size_t n, i;
    const struct recovery_section *sec = recovery_sections(&n);
    json_t *out = json_array(), *list, *items, *v;
    bool any = false;

    for (size_t s = 0; s < n; s++) {
        list = json_object_get(body, sec[s].key);
        items = json_array();
        json_array_foreach(list, i, v)
        {
            if (sec[s].kind == RECOVERY_PEOPLE)
                json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "name", sget(v, "name"),
                                                       "phone", sget(v, "phone"), "tel",
                                                       tel_of(sget(v, "phone"))));
            else if (json_is_string(v))
                json_array_append(items, v);
        }
        any = any || json_array_size(items) > 0;
        json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b, s:o}", "key", sec[s].key,
                                             "title", sec[s].title, "people",
                                             sec[s].kind == RECOVERY_PEOPLE, "empty",
                                             json_array_size(items) == 0, "items", items));
    }
    return json_pack("{s:o, s:b}", "list", out, "has_any", any);
}

/* One editor row: its field name, label, values and problems. */
static json_t *editor_row(const struct recovery_section *sec, size_t k, const json_t *v,
                          const json_t *err)
{
    char n[48], name[64], phone[64];

    snprintf(n, sizeof(n), "%s-%zu", sec->key, k);
    snprintf(name, sizeof(name), "%s-name", n);
    snprintf(phone, sizeof(phone), "%s-phone", n);
    if (sec->kind == RECOVERY_PEOPLE)
        return json_pack("{s:s, s:s, s:I, s:s, s:s, s:O?, s:O?}", "n", n, "label", sec->one,
                         "number", (json_int_t)k, "name", sget(v, "name"), "phone",
                         sget(v, "phone"), "err_name", json_object_get(err, name), "err_phone",
                         json_object_get(err, phone));
    return json_pack("{s:s, s:s, s:I, s:s, s:O?}", "n", n, "label", sec->one, "number",
                     (json_int_t)k, "value", json_is_string(v) ? json_string_value(v) : "",
                     "err", json_object_get(err, n));
}

json_t *recovery_sections_editor(const json_t *body, const json_t *err)
{
    size_t n, i, k;
    const struct recovery_section *sec = recovery_sections(&n);
    json_t *out = json_array(), *list, *rows, *v;
    bool fresh = !body || json_object_size(body) == 0;

    for (size_t s = 0; s < n; s++) {
        list = json_object_get(body, sec[s].key);
        rows = json_array();
        k = 0;
        json_array_foreach(list, i, v) if (k < (size_t)sec[s].max_items)
            json_array_append_new(rows, editor_row(&sec[s], ++k, v, err));
        for (i = 0; i < (fresh ? BLANK_ROWS_NEW : BLANK_ROWS) && k < (size_t)sec[s].max_items; i++)
            json_array_append_new(rows, editor_row(&sec[s], ++k, NULL, err));
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:I, s:o}", "key", sec[s].key,
                                             "title", sec[s].title, "hint", sec[s].hint,
                                             "people", sec[s].kind == RECOVERY_PEOPLE, "max",
                                             (json_int_t)sec[s].max_items, "rows", rows));
    }
    return out;
}

/* A person row k of the form into list (at position *kept + 1), problems in f. */
static void read_person(struct form *f, const struct recovery_section *sec, int k, json_t *list)
{
    char name_f[64], phone_f[64], at_name[64], at_phone[64];
    const char *name, *phone, *why;
    size_t at = json_array_size(list) + 1;

    snprintf(name_f, sizeof(name_f), "%s-%d-name", sec->key, k);
    snprintf(phone_f, sizeof(phone_f), "%s-%d-phone", sec->key, k);
    snprintf(at_name, sizeof(at_name), "%s-%zu-name", sec->key, at);
    snprintf(at_phone, sizeof(at_phone), "%s-%zu-phone", sec->key, at);
    name = form_text(f, name_f, CONTACT_NAME_MAX * 2, false, false, NULL);
    phone = form_text(f, phone_f, CONTACT_PHONE_MAX * 2, false, false, NULL);
    if (!name && !phone)
        return;
    if (!name)
        form_problem(f, at_name, "Add the name of the person to call.");
    else if ((why = contact_name_problem(name)))
        form_problem(f, at_name, why);
    if (!phone)
        form_problem(f, at_phone, "Add their phone number, so that you can call with one tap.");
    else if ((why = contact_phone_problem(phone, NULL)))
        form_problem(f, at_phone, why);
    json_array_append_new(list, json_pack("{s:s, s:s}", "name", name ? name : "", "phone",
                                          phone ? phone : ""));
}

/* A text row k of the form into list, its problem in f. */
static void read_item(struct form *f, const struct recovery_section *sec, int k, json_t *list)
{
    char field[48], at[48];
    const char *v, *why;

    snprintf(field, sizeof(field), "%s-%d", sec->key, k);
    snprintf(at, sizeof(at), "%s-%zu", sec->key, json_array_size(list) + 1);
    if (!(v = form_text(f, field, RECOVERY_ITEM_MAX * 4, false, false, NULL)))
        return;
    if ((why = recovery_item_problem(v)))
        form_problem(f, at, why);
    json_array_append_new(list, json_string(v));
}

json_t *recovery_sections_read(struct form *f, int *coping)
{
    size_t n;
    const struct recovery_section *sec = recovery_sections(&n);
    json_t *body = json_object(), *list;

    for (size_t s = 0; s < n; s++) {
        list = json_array();
        /* Rows are numbered from 1 up to the section's bound; empty ones are left out, so
         * the kept rows (and their problems) are numbered again from 1. */
        for (int k = 1; k <= sec[s].max_items; k++)
            (sec[s].kind == RECOVERY_PEOPLE ? read_person : read_item)(f, &sec[s], k, list);
        if (!strcmp(sec[s].key, "coping"))
            *coping = (int)json_array_size(list);
        json_object_set_new(body, sec[s].key, list);
    }
    return body;
}

json_t *recovery_paragraphs(const char *body)
{
    json_t *out = json_array(), *items = NULL;
    const char *p = body ? body : "", *eol;
    struct buf para = BUF_INIT;
    size_t len;

    for (;; p = eol + 1) {
        eol = strchr(p, '\n');
        len = eol ? (size_t)(eol - p) : strlen(p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len >= 2 && p[0] == '-' && p[1] == ' ') {
            if (para.len) {
                json_array_append_new(out, json_pack("{s:s}", "text", buf_cstr(&para)));
                buf_reset(&para);
            }
            if (!items)
                items = json_array();
            json_array_append_new(items, json_stringn(p + 2, len - 2));
        } else {
            if (items) {
                json_array_append_new(out, json_pack("{s:b, s:o}", "list", 1, "items", items));
                items = NULL;
            }
            if (len == 0 && para.len) {
                json_array_append_new(out, json_pack("{s:s}", "text", buf_cstr(&para)));
                buf_reset(&para);
            } else if (len) {
                buf_addf(&para, "%s%.*s", para.len ? " " : "", (int)len, p);
            }
        }
        if (!eol)
            break;
    }
    if (items)
        json_array_append_new(out, json_pack("{s:b, s:o}", "list", 1, "items", items));
    if (para.len)
        json_array_append_new(out, json_pack("{s:s}", "text", buf_cstr(&para)));
    buf_free(&para);
    return out;
}
