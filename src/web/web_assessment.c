/* web_assessment: the questionnaire and its result. Nothing is stored here: the answers travel
 * in the form and the result is computed on each request. */
#include "web/web.h"

#include "domain/assess.h"
#include "web/app.h"
#include "web/assessment_view.h"
#include "web/call_form.h"
#include "web/form_answers.h"
#include "web/page.h"

void web_assessment(struct req *r)
{
    r->no_store = true;
    r->content_type = "text/html; charset=utf-8";
    buf_add(&r->out, r->app->blank_form, r->app->blank_form_len);
}

void web_assessment_result(struct req *r)
{
    json_t *details = json_array(), *answers = NULL, *result = NULL;

    /* Answers are personal even when anonymous: never cached by the browser or a proxy. */
    r->no_store = true;
    if (form_answers(r->fields, r->n_fields, NULL, &answers, details) != E_OK ||
        assess_score(answers, &result, details) != E_OK) {
        /* Re-show the form with what the person chose and each problem by its question. */
        page_render(r, 422, "assessment", assessment_view_form(answers, details));
        goto out;
    }
    page_render(r, 200, "result", assessment_view_result(result, call_form_new(r, answers)));
out:
    json_decref(details);
    json_decref(answers);
    json_decref(result);
}
