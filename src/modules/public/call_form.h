/* call_form: the "Ask us to call you" form: its model, its validation, its fields. */
#ifndef HAVEN_CALL_FORM_H
#define HAVEN_CALL_FORM_H

#include <jansson.h>

#include "http/req.h"
#include "store/store.h"

/* A blank form carrying the answers (serialised into a hidden field), the name the person gave
 * under "Other" (may be NULL) and a CSRF token. */
json_t *call_form_new(struct req *r, const json_t *answers, const char *other);
/* Validates the posted contact fields into *ref (strings in the request's arena). Returns a
 * form model to re-show (with the input kept and each problem by its field), or NULL when
 * every field is valid. */
json_t *call_form_check(struct req *r, const json_t *answers, const char *other,
                        struct referral *ref);

#endif
