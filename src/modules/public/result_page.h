/* result_page: the person's own result page: the result in their voice, with what only their
 * page says — the clinic to reach, where to turn when the clinic does not offer the care
 * suggested, the parts they skipped (and no suggestion at all when the parts that decide it
 * were all skipped), advice on opioids, and a way back to the questions. */
#ifndef HAVEN_RESULT_PAGE_H
#define HAVEN_RESULT_PAGE_H

#include <jansson.h>

#include "http/req.h"

/* The "Other - specify" box of the form: a name, not an answer (it is neither scored nor part
 * of the answers object, spec §7). */
#define RESULT_PAGE_OTHER_FIELD "other-drug"
#define RESULT_PAGE_OTHER_MAX 60

struct result_page {
    const json_t *result;  /* assess_explain's result */
    const json_t *answers; /* the answers it was scored from */
    const json_t *given;   /* the answers as sent, for "go back" (NULL: the same); differs when
                            * "see my result now" set half-done parts aside */
    const char *other;     /* what the person named under "Other", or NULL */
    json_t *call;          /* the call form's model (stolen) */
};

/* The page model (view "public/result"). Reads the clinic's details. New reference. */
json_t *result_page_model(struct req *r, const struct result_page *p);

#endif
