/* form: the one convention for posted forms. A form being checked keeps what the person typed
 * (model "form"), names each problem next to its field ("err") and lists them all for the
 * summary at the top ("errors", "has_errors"), so every screen shows problems the same way and
 * never loses input. Values are trimmed, bounded, well-formed UTF-8 without control characters;
 * e-mail, phone, name and date follow domain/contact. */
#include "web/form.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/contact.h"

void form_init(struct form *f, struct req *r, json_t *m)
{
    f->r = r;
    f->m = m;
    f->problems = 0;
    json_object_set_new(m, "form", json_object());
    json_object_set_new(m, "err", json_object());
    json_object_set_new(m, "errors", json_array());
    json_object_set_new(m, "has_errors", json_false());
}

void form_problem(struct form *f, const char *name, const char *message)
{
    json_t *err = json_object_get(f->m, "err");

    if (json_object_get(err, name))
        return; /* the first problem of a field is the one to fix */
    json_object_set_new(err, name, json_string(message));
    json_array_append_new(json_object_get(f->m, "errors"),
                          json_pack("{s:s, s:s}", "field", name, "message", message));
    json_object_set_new(f->m, "has_errors", json_true());
    f->problems++;
}

static bool has_control(const char *s, bool multiline)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
            return true;
    }
    return false;
}

static void keep(struct form *f, const char *name, const char *v)
{
    json_object_set_new(json_object_get(f->m, "form"), name, json_string(v ? v : ""));
}

const char *form_text(struct form *f, const char *name, size_t max, bool required,
                     bool multiline, const char *missing)
{
    const char *v = req_form(f->r, name), *end;
    char *t;

    if (!v)
        v = "";
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    end = v + strlen(v);
    while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    t = arena_strndup(f->r->arena, v, (size_t)(end - v));
    if (!utf8_valid(t, strlen(t))) {
        /* Never stored (it would fail every model built from it), but shown again as typed,
         * each stray byte as U+FFFD, so the person sees what to fix. */
        keep(f, name, utf8_repair(t, arena_alloc(f->r->arena, strlen(t) * 3 + 1)));
        form_problem(f, name, "Some characters in this field could not be read. Please type it "
                             "again.");
        return NULL;
    }
    keep(f, name, t);
    if (has_control(t, multiline)) {
        keep(f, name, "");
        form_problem(f, name, "Please remove the special characters from this field.");
        return NULL;
    }
    if (!*t) {
        if (required)
            form_problem(f, name, missing);
        return NULL;
    }
    if (strlen(t) > max) {
        char msg[96];
        snprintf(msg, sizeof(msg), "Please shorten this to at most %zu characters.", max);
        form_problem(f, name, msg);
        return NULL;
    }
    return t;
}

const char *form_choice(struct form *f, const char *name, const char *const *allowed,
                       bool required, const char *message)
{
    const char *v = req_form(f->r, name);

    for (size_t i = 0; v && *v && allowed[i]; i++) {
        if (strcmp(v, allowed[i]) == 0) {
            keep(f, name, allowed[i]);
            return allowed[i];
        }
    }
    keep(f, name, "");
    if (required || (v && *v))
        form_problem(f, name, message);
    return NULL;
}

const char *form_date(struct form *f, const char *name, bool required, const char *missing)
{
    const char *v = form_text(f, name, 10, required, false, missing), *problem;

    if (v && (problem = contact_date_problem(v))) {
        form_problem(f, name, problem);
        return NULL;
    }
    return v;
}

const char *form_phone(struct form *f, const char *name, bool required, const char **digits)
{
    const char *p = form_text(f, name, CONTACT_PHONE_MAX, required, false,
                              "Please give a phone number.");
    const char *problem;
    char d[CONTACT_PHONE_DIGITS + 1];

    if (digits)
        *digits = NULL;
    if (!p)
        return NULL;
    if ((problem = contact_phone_problem(p, d))) {
        form_problem(f, name, problem);
        return NULL;
    }
    if (digits)
        *digits = arena_strdup(f->r->arena, d);
    return p;
}

const char *form_email(struct form *f, const char *name, bool required, const char *missing)
{
    const char *e = form_text(f, name, CONTACT_EMAIL_MAX, required, false, missing), *problem;

    if (e && (problem = contact_email_problem(e))) {
        form_problem(f, name, problem);
        return NULL;
    }
    return e;
}

const char *form_name(struct form *f, const char *name, bool required, const char *missing)
{
    const char *v = form_text(f, name, CONTACT_NAME_MAX, required, false, missing), *problem;

    if (v && (problem = contact_name_problem(v))) {
        form_problem(f, name, problem);
        return NULL;
    }
    return v;
}

bool form_checked(struct form *f, const char *name)
{
    const char *v = req_form(f->r, name);
    bool on = v && strcmp(v, "yes") == 0;

    json_object_set_new(json_object_get(f->m, "form"), name, json_boolean(on));
    return on;
}

