/* call_request: "Ask us to call you". The only public write: contact details, answers, result
 * and spec version land together as one referral row, or nothing lands. */
#include "modules/public/public.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "core/utf8.h"
#include "domain/assess.h"
#include "http/resp.h"
#include "modules/public/call_form.h"
#include "modules/public/clinic_view.h"
#include "modules/public/result_page.h"
#include "store/audit.h"
#include "web/audit.h"
#include "web/view.h"

#define ANSWERS_MAX (32 * 1024)

/* The answers come back from our own hidden field; they are re-validated and re-scored, never
 * trusted, so a tampered form cannot store a result the answers do not give. */
static json_t *posted_answers(struct req *r)
{
    const char *text = req_form(r, "answers");
    json_t *a;

    if (!text || strlen(text) > ANSWERS_MAX)
        return NULL;
    a = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    if (a && !json_is_object(a)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The name given under "Other" comes back from our own hidden field too: kept only when it
 * is still short plain text. */
static const char *posted_other(struct req *r)
{
    const char *v = req_form(r, "other");

    if (!v || !*v || strlen(v) > RESULT_PAGE_OTHER_MAX * 4 || !utf8_valid(v, strlen(v)) ||
        utf8_has_format(v) || utf8_length(v) > RESULT_PAGE_OTHER_MAX)
        return NULL;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return NULL;
    return v;
}

/* The form shown again: the person's own page, in their voice, with the problems. */
static enum err reshow(struct req *r, const json_t *answers, const char *other, json_t *form)
{
    json_t *details = json_array(), *mine = NULL;
    struct result_page page;
    enum err e = assess_explain(answers, &mine, details);

    json_decref(details);
    if (e != E_OK) { /* cannot be: the same answers were just scored */
        json_decref(form);
        return E_DB;
    }
    page = (struct result_page){mine, answers, NULL, other, form};
    req_model(r, result_page_model(r, &page));
    json_decref(mine);
    return E_INVALID;
}

enum err call_request_post(struct req *r)
{
    json_t *answers = NULL, *result = NULL, *details = json_array(), *form;
    struct referral ref = {0};
    struct audit_entry entry;
    char *answers_text = NULL, *result_text = NULL, *flags_text = NULL;
    const char *other = posted_other(r);
    enum err e;

    if (!(answers = posted_answers(r)) || assess_score(answers, &result, details) != E_OK) {
        r->message = "We could not read your answers. Please take the assessment again.";
        e = E_INVALID;
        goto out;
    }
    if ((form = call_form_check(r, answers, other, &ref))) {
        e = reshow(r, answers, other, form);
        goto out;
    }
    /* Staff read what the person named under "Other" beside its score; it is not an answer
     * (spec §7), so it travels with the stored result. */
    if (other)
        json_object_set_new(result, "other_substance", json_string(other));
    if (!ratelimit_allow(public_call_limit(), r->client, time(NULL))) {
        log_warn("call requests over the hourly limit from one address");
        r->message = "We have received several requests from this connection in the last hour. "
                     "Please call us instead. If you are in crisis, call or text 988.";
        e = E_TOO_MANY;
        goto out;
    }
    answers_text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    result_text = json_dumps(result, JSON_COMPACT);
    flags_text = json_dumps(json_object_get(result, "flags"), JSON_COMPACT);
    ref.answers = answers_text;
    ref.result = result_text;
    ref.flags = flags_text;
    ref.spec_version = ASSESS_VERSION;
    ref.level =
        json_string_value(json_object_get(json_object_get(result, "recommendation"), "level"));
    audit_entry_of(r, &entry, "create", "referral", NULL, "ok");
    ref.audit = &entry;
    if ((e = store_referral_add(r->store, &ref)) != E_OK) {
        r->message = "We could not save your request. Please call us, or try again in a minute.";
        e = e == E_INVALID ? E_INVALID : E_DB;
        goto out;
    }
    log_info("referral %s created", ref.public_id);
    resp_redirect(r, 303, "/assessment/thanks");
out:
    free(answers_text);
    free(result_text);
    free(flags_text);
    json_decref(answers);
    json_decref(result);
    json_decref(details);
    return e;
}

enum err call_request_thanks(struct req *r)
{
    json_t *contact = clinic_view_model(r, NULL);
    int reachable = json_is_true(json_object_get(contact, "reachable"));

    req_model(r, json_pack("{s:s, s:b, s:b, s:o}", "title", "Thank you", "quick_exit", 1,
                           "has_contact", reachable, "contact", contact));
    return E_OK;
}
