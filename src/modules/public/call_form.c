/* call_form: "Ask us to call you": contact details checked by the one form convention
 * (web/form, domain/contact); a problem is named next to its field and the input is kept. */
#include "modules/public/call_form.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/referral_flow.h"
#include "http/csrf.h"
#include "web/form.h"

static json_t *model(struct req *r, const json_t *answers, const char *other, const char *best)
{
    json_t *times = json_array();
    char *a = json_dumps(answers, JSON_COMPACT); /* call_request.c sorts what it stores */
    json_t *m;

    for (const struct referral_best_time *t = referral_flow_best_times; t->code; t++)
        json_array_append_new(times, json_pack("{s:s, s:s, s:b}", "value", t->code, "label",
                                               t->label, "checked",
                                               best && strcmp(best, t->code) == 0));
    m = json_pack("{s:s, s:s, s:o, s:{}, s:{}, s:[], s:b}", "csrf", csrf_token(r), "answers",
                  a ? a : "{}", "best_times", times, "form", "err", "errors", "has_errors", 0);
    free(a);
    if (other && *other)
        json_object_set_new(m, "other", json_string(other));
    return m;
}

json_t *call_form_new(struct req *r, const json_t *answers, const char *other)
{
    return model(r, answers, other, NULL);
}

/* domain/contact words its problems for staff typing someone else's details ("Enter the
 * person's name", "100 bytes"); the person filling this form in reads what to do. */
static void reword(json_t *m, const char *field, const char *keep, const char *text)
{
    json_t *err = json_object_get(m, "err"), *e;
    const char *now = json_string_value(json_object_get(err, field));
    size_t i;

    if (!now || (keep && strcmp(now, keep) == 0))
        return;
    json_object_set_new(err, field, json_string(text));
    json_array_foreach(json_object_get(m, "errors"), i, e)
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            json_object_set_new(e, "message", json_string(text));
}

json_t *call_form_check(struct req *r, const json_t *answers, const char *other,
                        struct referral *ref)
{
    const char *times[REFERRAL_BEST_TIMES + 1];
    static const char *const yes_no[] = {"yes", "no", NULL};
    const char *best = req_form(r, "best-time"), *name, *phone, *email, *voicemail;
    json_t *m = model(r, answers, other, best);
    struct form f;
    bool consent;

    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        times[i] = referral_flow_best_times[i].code;
    form_init(&f, r, m);
    name = form_name(&f, "name", true, "Please tell us what to call you.");
    reword(m, "name", "Please tell us what to call you.",
           "Please give a first name or nickname of up to 100 letters, without special "
           "characters.");
    phone = form_phone(&f, "phone", true, NULL);
    email = form_email(&f, "email", false, NULL);
    reword(m, "email", NULL,
           "Please check the e-mail address (like name@example.com), or leave it empty: it is "
           "optional.");
    best = form_choice(&f, "best-time", times, true, "Please choose the best time to call.");
    voicemail = form_choice(&f, "voicemail", yes_no, true,
                            "Please tell us whether we may leave a voicemail.");
    if (!(consent = form_checked(&f, "consent")))
        form_problem(&f, "consent", "Please tick the box to let us keep these details: we can "
                                    "only call you back with your permission.");
    json_object_set_new(m, "voicemail_yes", json_boolean(voicemail && *voicemail == 'y'));
    json_object_set_new(m, "voicemail_no", json_boolean(voicemail && *voicemail == 'n'));
    if (f.problems)
        return m;
    json_decref(m);
    ref->name = name;
    ref->phone = phone;
    ref->email = email;
    ref->best_time = best;
    ref->voicemail_ok = *voicemail == 'y';
    return NULL;
}
