/* public: the module's start-up state. Built by public_init before any thread starts and only
 * read afterwards, so no locks are needed. */
#include "modules/public/public.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gzip.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "core/str.h"
#include "fhir/capability.h"
#include "fhir/questionnaire.h"
#include "fhir/response.h"
#include "modules/public/assessment_view.h"
#include "modules/public/files.h"
#include "web/view.h"

static struct {
    char *questionnaire; /* FHIR R4 Questionnaire, serialised JSON */
    size_t questionnaire_len;
    json_t *questionnaire_index; /* its linkIds and their types, to read responses */
    char *capability;            /* FHIR CapabilityStatement, serialised JSON */
    size_t capability_len;
    char *blank_form;    /* GET /assessment: a pure function of the tables, rendered once */
    size_t blank_form_len;
    char *blank_form_gz; /* the same, gzip-compressed once (NULL if that failed) */
    size_t blank_form_gz_len;
    /* "Ask us to call you" is a public write: at most HAVEN_CALL_LIMIT (default 20) an hour
     * from one address, so a flood cannot bury real requests in the queue. */
    struct ratelimit *call_limit;
} st;

int public_init(const struct app *app)
{
    const char *v = getenv("HAVEN_CALL_LIMIT");
    struct buf page = BUF_INIT;
    long limit = 20;
    json_t *model, *q;
    int rc;

    if (v && str_to_long(str_from(v), 1, 100000, &limit) < 0)
        log_warn("HAVEN_CALL_LIMIT is not a number from 1 to 100000; using 20");
    st.call_limit = ratelimit_new((unsigned)limit, 3600);
    files_init();
    /* The empty questionnaire is the same for everyone: render it once, not per request. */
    model = assessment_view_form(NULL, NULL);
    rc = view_render_buf(app, "public/assessment", model, &page);
    json_decref(model);
    if (rc < 0) {
        buf_free(&page);
        return -1;
    }
    st.blank_form = buf_detach(&page, &st.blank_form_len);
    st.blank_form_gz = gzip_compress(st.blank_form, st.blank_form_len, &st.blank_form_gz_len);
    /* The FHIR documents are the same for everyone too: serialised once. */
    if (!(q = fhir_questionnaire_build())) {
        log_error("a skip rule of the instrument tables cannot be said in FHIR R4");
        return -1;
    }
    st.questionnaire = json_dumps(q, JSON_COMPACT);
    st.questionnaire_len = st.questionnaire ? strlen(st.questionnaire) : 0;
    st.questionnaire_index = fhir_response_index(q);
    json_decref(q);
    q = fhir_capability_build(HAVEN_VERSION);
    st.capability = json_dumps(q, JSON_COMPACT);
    st.capability_len = st.capability ? strlen(st.capability) : 0;
    json_decref(q);
    return st.questionnaire && st.capability ? 0 : -1;
}

void public_free(void)
{
    free(st.questionnaire);
    json_decref(st.questionnaire_index);
    free(st.capability);
    free(st.blank_form);
    free(st.blank_form_gz);
    ratelimit_free(st.call_limit);
    files_free();
    memset(&st, 0, sizeof(st));
}

const char *public_blank_form(size_t *len, const char **gz, size_t *gz_len)
{
    *len = st.blank_form_len;
    *gz = st.blank_form_gz;
    *gz_len = st.blank_form_gz_len;
    return st.blank_form;
}

const char *public_questionnaire(size_t *len)
{
    *len = st.questionnaire_len;
    return st.questionnaire;
}

const json_t *public_questionnaire_index(void)
{
    return st.questionnaire_index;
}

const char *public_capability(size_t *len)
{
    *len = st.capability_len;
    return st.capability;
}

struct ratelimit *public_call_limit(void)
{
    return st.call_limit;
}
