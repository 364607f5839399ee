/* assessment: the questionnaire and its result. Nothing is stored here: the answers travel
 * in the form and the result is computed on each request. */
#include "modules/public/public.h"

#include <stdbool.h>
#include <string.h>

#include "domain/assess.h"
#include "http/resp.h"
#include "modules/public/assessment_view.h"
#include "modules/public/call_form.h"
#include "modules/public/form_answers.h"
#include "web/view.h"

/* True when Accept-Encoding lists gzip without refusing it (q=0, q=0.0 ...). */
static bool takes_gzip(struct req *r)
{
    const char *ae = req_header(r, "Accept-Encoding"), *g, *end, *q;

    if (!ae || !(g = strstr(ae, "gzip")))
        return false;
    end = strchr(g, ',');
    if (!end)
        end = g + strlen(g);
    q = strstr(g, "q=");
    if (!q || q > end || q[2] != '0')
        return true;
    for (q += 3; q < end && (*q == '.' || *q == '0'); q++)
        ;
    return q < end && *q >= '1' && *q <= '9';
}

enum err assessment_form(struct req *r)
{
    size_t len, gz_len;
    const char *gz, *page = public_blank_form(&len, &gz, &gz_len);

    r->content_type = "text/html; charset=utf-8";
    resp_header(r, "Vary", "Accept-Encoding");
    /* 96 KB of options shrink to about a tenth: it matters on a phone at night */
    if (gz && takes_gzip(r)) {
        resp_header(r, "Content-Encoding", "gzip");
        buf_add(&r->out, gz, gz_len);
        return E_OK;
    }
    buf_add(&r->out, page, len);
    return E_OK;
}

enum err assessment_result(struct req *r)
{
    json_t *details = json_array(), *answers = NULL, *result = NULL;
    enum err e = E_OK;

    if (form_answers(r->fields, r->n_fields, NULL, &answers, details) != E_OK ||
        assess_score(answers, &result, details) != E_OK) {
        /* Re-show the form with what the person chose and each problem by its question. */
        r->view = "public/assessment";
        req_model(r, assessment_view_form(answers, details));
        e = E_INVALID;
        goto out;
    }
    req_model(r, assessment_view_result(result, call_form_new(r, answers)));
out:
    json_decref(answers);
    json_decref(result);
    json_decref(details);
    return e;
}
