/* demo_referrals: `--demo` puts a few call requests in an empty admissions queue, scored by the
 * real scorer from the answers in demo/referrals.json, so the queue has something to work. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "domain/assess.h"
#include "store/store.h"
#include "store/audit.h"

static int add_one(struct store *s, const json_t *d)
{
    json_t *result = NULL, *details = json_array();
    struct referral ref = {0};
    struct audit_entry entry = {.user_email = "demo", .roles = "", .action = "create",
                                .record_type = "referral", .outcome = "ok", .client = "local"};
    char *answers = NULL, *res = NULL, *flags = NULL;
    int ret = -1;

    if (assess_score(json_object_get(d, "answers"), &result, details) != E_OK)
        goto out;
    answers = json_dumps(json_object_get(d, "answers"), JSON_COMPACT | JSON_SORT_KEYS);
    res = json_dumps(result, JSON_COMPACT);
    flags = json_dumps(json_object_get(result, "flags"), JSON_COMPACT);
    ref.name = json_string_value(json_object_get(d, "name"));
    ref.phone = json_string_value(json_object_get(d, "phone"));
    ref.best_time = json_string_value(json_object_get(d, "best_time"));
    ref.voicemail_ok = json_is_true(json_object_get(d, "voicemail"));
    ref.answers = answers;
    ref.result = res;
    ref.flags = flags;
    ref.spec_version = ASSESS_VERSION;
    ref.level =
        json_string_value(json_object_get(json_object_get(result, "recommendation"), "level"));
    ref.audit = &entry;
    if (ref.name && ref.phone && ref.best_time && store_referral_add(s, &ref) == E_OK)
        ret = 0;
out:
    free(answers);
    free(res);
    free(flags);
    json_decref(result);
    json_decref(details);
    return ret;
}

int demo_referrals(struct store *s)
{
    const struct embedded_file *f = embed_find("demo/referrals.json");
    json_t *list, *d;
    long n = 0;
    size_t i;
    int ret = 0;

    if (!f || store_referral_count(s, &n) != E_OK)
        return -1;
    if (n > 0)
        return 0; /* never add demo people to a queue that has real ones */
    if (!(list = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, NULL)))
        return -1;
    json_array_foreach(list, i, d) {
        if (add_one(s, d) < 0) {
            log_error("demo referral %zu could not be added", i);
            ret = -1;
        }
    }
    json_decref(list);
    return ret;
}
