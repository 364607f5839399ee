/* fuzz_form: arbitrary field values through web/form.c, the one convention every handler
 * checks a posted form with (text, multi-line text, choice, date, phone, e-mail, name,
 * checkbox; domain/contact's rules behind them). The input is one value per line, in that
 * order. Checked: what a check accepts is trimmed, well-formed UTF-8 without control
 * characters and within its bound; every field's value goes back into the model ("form") and
 * the model serialises (a page can always be shown again); one problem per failing field. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "domain/contact.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fields[] = {"text", "notes", "choice", "date",
                                     "phone", "email", "name", "box"};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static void accepted(const char *v, size_t max, int multiline)
{
    size_t n;

    if (!v)
        return;
    n = strlen(v);
    if (n == 0 || n > max || !utf8_valid(v, n) || v[0] == ' ' || v[n - 1] == ' ')
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const choices[] = {"morning", "evening", "any", NULL};
    struct form_field ff[N_FIELDS];
    struct req r = {0};
    struct form f;
    json_t *m = json_object();
    const uint8_t *p = data, *end = data + size;
    const char *digits;
    char *text;
    size_t i;

    r.arena = arena_new();
    for (i = 0; i < N_FIELDS;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        /* The server refuses a value holding a NUL: it never reaches a handler. */
        text = arena_strndup(r.arena, (const char *)p, n);
        ff[i] = (struct form_field){.name = fields[i], .value = text, .len = strlen(text)};
        i++;
        if (!nl)
            break;
        p = nl + 1;
    }
    r.fields = ff;
    r.n_fields = i;
    form_init(&f, &r, m);
    accepted(form_text(&f, "text", 100, true, false, "Please fill this in."), 100, 0);
    accepted(form_text(&f, "notes", 2000, false, true, NULL), 2000, 1);
    accepted(form_choice(&f, "choice", choices, false, "Please choose."), 16, 0);
    accepted(form_date(&f, "date", false, NULL), 10, 0);
    accepted(form_phone(&f, "phone", true, &digits), CONTACT_PHONE_MAX, 0);
    if (digits && strspn(digits, "0123456789") != strlen(digits))
        abort();
    accepted(form_email(&f, "email", false, NULL), CONTACT_EMAIL_MAX, 0);
    accepted(form_name(&f, "name", true, "Please give a name."), CONTACT_NAME_MAX, 0);
    (void)form_checked(&f, "box");
    for (i = 0; i < N_FIELDS; i++)
        if (!json_object_get(json_object_get(m, "form"), fields[i]))
            abort();
    if ((size_t)f.problems != json_array_size(json_object_get(m, "errors")) ||
        (size_t)f.problems != json_object_size(json_object_get(m, "err")))
        abort();
    text = json_dumps(m, 0);
    if (!text)
        abort();
    free(text);
    json_decref(m);
    arena_free(r.arena);
    return 0;
}
