/* assessment: the questionnaire and its result. Nothing is stored here: the answers travel
 * in the form and the result is computed on each request. */
#include "modules/public/public.h"

#include <stdbool.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/assess.h"
#include "domain/instruments.h"
#include "domain/messages.h"
#include "http/resp.h"
#include "modules/public/assessment_view.h"
#include "modules/public/call_form.h"
#include "modules/public/files.h"
#include "modules/public/form_answers.h"
#include "modules/public/result_page.h"
#include "web/form.h"
#include "web/view.h"

enum err assessment_form(struct req *r)
{
    size_t len, gz_len;
    const char *gz, *page = public_blank_form(&len, &gz, &gz_len);

    r->content_type = "text/html; charset=utf-8";
    resp_header(r, "Vary", "Accept-Encoding");
    /* 96 KB of options shrink to about a tenth: it matters on a phone at night */
    if (gz && files_takes_gzip(r)) {
        resp_header(r, "Content-Encoding", "gzip");
        buf_add(&r->out, gz, gz_len);
        return E_OK;
    }
    buf_add(&r->out, page, len);
    return E_OK;
}

/* The form's fields that are not answers: its buttons and the "Other" name. */
static const char *const not_answers[] = {"result-now", "review", RESULT_PAGE_OTHER_FIELD, NULL};

/* The name typed under "Other - specify": optional, short, plain text (web/form's rules for
 * text, and no invisible direction marks: staff read it). A problem is named at that
 * question. NULL when empty or refused. */
static const char *other_drug(struct req *r, json_t *details)
{
    json_t *scratch = json_object(); /* form_text keeps the value here; the page needs none */
    struct form f;
    const char *v;

    form_init(&f, r, scratch);
    v = form_text(&f, RESULT_PAGE_OTHER_FIELD, RESULT_PAGE_OTHER_MAX * 4, false, false, NULL);
    if (f.problems || (v && (utf8_has_format(v) || utf8_length(v) > RESULT_PAGE_OTHER_MAX))) {
        json_array_append_new(details, json_pack("{s:s, s:s}", "item", "assist-1-other",
                                                 "message",
                                                 "Please shorten the name of the other drug to "
                                                 "60 letters, without special characters, or "
                                                 "leave it empty."));
        v = NULL;
    }
    json_decref(scratch);
    return v;
}

/* "See my result now" sends what is answered so far: a part left half done is set aside (and
 * named as skipped on the page) instead of holding back the result. Only "required" problems
 * are set aside this way; a value that is not an answer is still shown as a problem. */
static bool set_aside_half_done(json_t *answers, const json_t *details)
{
    const char *parts[8];
    size_t n = 0, i, k;
    json_t *d;
    const char *id;
    json_t *v;
    void *tmp;

    json_array_foreach(details, i, d) {
        const struct item *it = instruments_item(json_string_value(json_object_get(d, "item")));
        if (!it || !it->instrument ||
            strcmp(json_string_value(json_object_get(d, "message")), msg("error.required")))
            return false;
        for (k = 0; k < n && strcmp(parts[k], it->instrument); k++)
            ;
        if (k == n && n < sizeof(parts) / sizeof(parts[0]))
            parts[n++] = it->instrument;
    }
    json_object_foreach_safe(answers, tmp, id, v) {
        const struct item *it = instruments_item(id);
        for (k = 0; it && it->instrument && k < n && strcmp(parts[k], it->instrument); k++)
            ;
        if (it && it->instrument && k < n)
            json_object_del(answers, id);
    }
    return n > 0;
}

/* The questions again, with what the person chose (and each problem by its question). */
static enum err show_form(struct req *r, const json_t *answers, const json_t *details,
                          const char *other, enum err e)
{
    json_t *m = assessment_view_form(answers, details);

    if (other)
        json_object_set_new(m, "other_name", json_string(other));
    r->view = "public/assessment";
    req_model(r, m);
    return e;
}

enum err assessment_result(struct req *r)
{
    json_t *details = json_array(), *answers = NULL, *result = NULL, *given = NULL;
    const char *other;
    struct result_page page;
    enum err e;

    if (form_answers(r->fields, r->n_fields, not_answers, &answers, details) != E_OK) {
        e = show_form(r, NULL, details, NULL, E_INVALID);
        goto out;
    }
    other = other_drug(r, details);
    if (json_array_size(details)) {
        e = show_form(r, answers, details, NULL, E_INVALID);
        goto out;
    }
    if (req_form(r, "review")) { /* "go back to the questions" from a result */
        e = show_form(r, answers, NULL, other, E_OK);
        goto out;
    }
    if (assess_explain(answers, &result, details) != E_OK && req_form(r, "result-now")) {
        given = json_deep_copy(answers);
        if (set_aside_half_done(answers, details)) {
            json_array_clear(details);
            assess_explain(answers, &result, details);
        }
    }
    if (!result) {
        e = show_form(r, given ? given : answers, details, other, E_INVALID);
        goto out;
    }
    page = (struct result_page){result, answers, given, other, call_form_new(r, answers, other)};
    req_model(r, result_page_model(r, &page));
    e = E_OK;
out:
    json_decref(answers);
    json_decref(given);
    json_decref(result);
    json_decref(details);
    return e;
}
