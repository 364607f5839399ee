/* call_form: "Ask us to call you": contact details checked by the one form convention
 * (web/form, domain/contact); a problem is named next to its field and the input is kept. */
#include "modules/public/call_form.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/referral_flow.h"
#include "http/csrf.h"
#include "web/form.h"

static json_t *model(struct req *r, const json_t *answers, const char *best)
{
    json_t *times = json_array();
    char *a = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *m;

    for (const struct referral_best_time *t = referral_flow_best_times; t->code; t++)
        json_array_append_new(times, json_pack("{s:s, s:s, s:b}", "value", t->code, "label",
                                               t->label, "checked",
                                               best && strcmp(best, t->code) == 0));
    m = json_pack("{s:s, s:s, s:o, s:{}, s:{}, s:[], s:b}", "csrf", csrf_token(r), "answers",
                  a ? a : "{}", "best_times", times, "form", "err", "errors", "has_errors", 0);
    free(a);
    return m;
}

json_t *call_form_new(struct req *r, const json_t *answers)
{
    return model(r, answers, NULL);
}

json_t *call_form_check(struct req *r, const json_t *answers, struct referral *ref)
{
    const char *times[REFERRAL_BEST_TIMES + 1];
    static const char *const yes_no[] = {"yes", "no", NULL};
    const char *best = req_form(r, "best-time"), *name, *phone, *email, *voicemail;
    json_t *m = model(r, answers, best);
    struct form f;
    bool consent;

    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        times[i] = referral_flow_best_times[i].code;
    form_init(&f, r, m);
    name = form_name(&f, "name", true, "Please tell us what to call you.");
    phone = form_phone(&f, "phone", true, NULL);
    email = form_email(&f, "email", false, NULL);
    best = form_choice(&f, "best-time", times, true, "Please choose the best time to call.");
    voicemail = form_choice(&f, "voicemail", yes_no, true,
                            "Please tell us whether we may leave a voicemail.");
    if (!(consent = form_checked(&f, "consent")))
        form_problem(&f, "consent", "We can only call you back with your permission to keep "
                                    "these details.");
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
