/* call_form: contact details are validated with bounded sizes; a problem is named next to its
 * field and the person's input is kept. */
#include "modules/public/call_form.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "http/csrf.h"

#define NAME_MAX_LEN 100
#define EMAIL_MAX_LEN 254
#define PHONE_MAX_LEN 32

static const struct {
    const char *value;
    const char *label;
} best_times[] = {
    {"morning", "Morning (9 am to 12 pm)"},
    {"afternoon", "Afternoon (12 pm to 5 pm)"},
    {"evening", "Evening (5 pm to 8 pm)"},
    {"any", "Any time"},
};

static json_t *model(struct req *r, const json_t *answers, const char *best)
{
    json_t *times = json_array();
    char *a = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *m;

    for (size_t i = 0; i < sizeof(best_times) / sizeof(best_times[0]); i++)
        json_array_append_new(times, json_pack("{s:s, s:s, s:b}", "value", best_times[i].value,
                                               "label", best_times[i].label, "checked",
                                               best && strcmp(best, best_times[i].value) == 0));
    m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:[]}", "csrf",
                  csrf_token(r), "answers", a ? a : "{}", "name", "", "phone", "", "email", "",
                  "best_times", times, "voicemail_yes", 0, "voicemail_no", 0, "consent", 0,
                  "has_errors", 0, "errors");
    free(a);
    return m;
}

json_t *call_form_new(struct req *r, const json_t *answers)
{
    return model(r, answers, NULL);
}

/* Copies a field trimmed of surrounding spaces into the arena; NULL if absent. */
static const char *trimmed(struct req *r, const char *name)
{
    const char *v = req_form(r, name), *end;

    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t')
        v++;
    end = v + strlen(v);
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return arena_strndup(r->arena, v, (size_t)(end - v));
}

/* Control characters or bytes that are not UTF-8: never stored, never echoed back. */
static int has_control(const char *s)
{
    if (!utf8_valid(s, strlen(s)) || utf8_has_format(s))
        return 1;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static const char *check_phone(const char *p)
{
    int digits = 0;

    if (!p || !*p)
        return "Please give a phone number we can call.";
    if (strlen(p) > PHONE_MAX_LEN)
        return "This phone number is too long.";
    for (const char *c = p; *c; c++) {
        if (isdigit((unsigned char)*c))
            digits++;
        else if (!strchr(" +-().", *c) || (*c == '+' && c != p))
            return "Please use only digits, spaces, and + - ( ) in the phone number.";
    }
    if (digits < 7 || digits > 15)
        return "Please give a full phone number, with area code.";
    return NULL;
}

static const char *check_email(const char *e)
{
    const char *at;

    if (!e || !*e)
        return NULL; /* optional */
    if (strlen(e) > EMAIL_MAX_LEN)
        return "This e-mail address is too long.";
    at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.') || strpbrk(e, " \t<>,;") ||
        at[1] == '.' || e[strlen(e) - 1] == '.' || has_control(e))
        return "Please check this e-mail address (for example name@example.com), or leave it empty.";
    return NULL;
}

static void field_error(json_t *m, const char *field, const char *message)
{
    char key[32];

    snprintf(key, sizeof(key), "%s_error", field);
    json_object_set_new(m, key, json_string(message));
    json_array_append_new(json_object_get(m, "errors"),
                          json_pack("{s:s, s:s}", "field", field, "message", message));
}

json_t *call_form_check(struct req *r, const json_t *answers, struct referral *ref)
{
    const char *name = trimmed(r, "name"), *phone = trimmed(r, "phone");
    const char *email = trimmed(r, "email"), *best = req_form(r, "best-time");
    const char *voicemail = req_form(r, "voicemail"), *consent = req_form(r, "consent");
    const char *problem;
    json_t *m = model(r, answers, best);
    int best_ok = 0;

    json_object_set_new(m, "name", json_string(name && !has_control(name) ? name : ""));
    json_object_set_new(m, "phone", json_string(phone && !has_control(phone) ? phone : ""));
    json_object_set_new(m, "email", json_string(email && !has_control(email) ? email : ""));
    json_object_set_new(m, "voicemail_yes", json_boolean(voicemail && !strcmp(voicemail, "yes")));
    json_object_set_new(m, "voicemail_no", json_boolean(voicemail && !strcmp(voicemail, "no")));
    json_object_set_new(m, "consent", json_boolean(consent && !strcmp(consent, "yes")));

    if (!name || !*name)
        field_error(m, "name", "Please tell us what to call you.");
    else if (strlen(name) > NAME_MAX_LEN)
        field_error(m, "name", "Please use at most 100 letters.");
    else if (has_control(name))
        field_error(m, "name", "Please use only letters, spaces and punctuation.");
    if ((problem = check_phone(phone)))
        field_error(m, "phone", problem);
    if ((problem = check_email(email)))
        field_error(m, "email", problem);
    for (size_t i = 0; best && i < sizeof(best_times) / sizeof(best_times[0]); i++)
        best_ok |= strcmp(best, best_times[i].value) == 0;
    if (!best_ok)
        field_error(m, "best_time", "Please choose the best time to call.");
    if (!voicemail || (strcmp(voicemail, "yes") && strcmp(voicemail, "no")))
        field_error(m, "voicemail", "Please tell us whether we may leave a voicemail.");
    if (!consent || strcmp(consent, "yes"))
        field_error(m, "consent", "We can only call you back with your permission to keep these "
                                  "details.");
    if (json_array_size(json_object_get(m, "errors"))) {
        json_object_set_new(m, "has_errors", json_true());
        return m;
    }
    json_decref(m);
    ref->name = name;
    ref->phone = phone;
    ref->email = email && *email ? email : NULL;
    ref->best_time = best;
    ref->voicemail_ok = strcmp(voicemail, "yes") == 0;
    return NULL;
}
