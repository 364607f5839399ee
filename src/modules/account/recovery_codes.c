/* recovery_codes: the codes that sign a member in once each when their phone is lost: a set
 * of ten is made when two-step sign-in is turned on (second_factor.c) and again on request,
 * which voids the old set. Only their hashes are stored; the codes are shown once. */
#include "modules/account/account.h"

#include <sodium.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/principal.h"
#include "web/session.h"
#include "web/view.h"

static void recovery_code(char out[RECOVERY_LEN + 2])
{
    /* 32 letters and digits without look-alikes (0/o, 1/l): 5 bits each, 50 bits a code. */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    unsigned char raw[RECOVERY_LEN];
    size_t n = 0;

    rand_bytes(raw, sizeof(raw));
    for (size_t i = 0; i < RECOVERY_LEN; i++) {
        if (i == RECOVERY_LEN / 2)
            out[n++] = '-';
        out[n++] = alphabet[raw[i] & 31];
    }
    out[n] = '\0';
    sodium_memzero(raw, sizeof(raw));
}

void recovery_codes_clean(const char *in, char *out, size_t size)
{
    size_t n = 0;

    for (; *in && n + 1 < size; in++) {
        char c = *in;
        if (c == '-' || c == ' ')
            continue;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[n] = '\0';
}

void recovery_codes_make(struct recovery_set *rs)
{
    for (size_t i = 0; i < RECOVERY_CODES; i++) {
        char clean[RECOVERY_LEN + 1];
        recovery_code(rs->codes[i]);
        /* Stored as typed at sign-in: without the '-' (recovery_codes_clean drops it too). */
        memcpy(clean, rs->codes[i], RECOVERY_LEN / 2);
        memcpy(clean + RECOVERY_LEN / 2, rs->codes[i] + RECOVERY_LEN / 2 + 1,
               RECOVERY_LEN / 2 + 1);
        session_token_hash(clean, rs->hashes[i]);
        sodium_memzero(clean, sizeof(clean));
        rs->hash_ptrs[i] = rs->hashes[i];
    }
}

json_t *recovery_codes_model(struct req *r, struct recovery_set *rs, const char *title)
{
    json_t *m = view_staff_model(r, title), *list = json_array();

    for (size_t i = 0; i < RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(rs->codes[i]));
    sodium_memzero(rs, sizeof(*rs));
    json_object_set_new(m, "codes", list);
    return m;
}

enum err recovery_codes_post(struct req *r)
{
    struct staff_user u;
    struct recovery_set rs;
    enum err e;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) != E_OK) {
        r->message = "We could not load your account. Please try again.";
        return E_DB;
    }
    recovery_codes_make(&rs);
    /* Replacing the set voids every code of the old one, used or not. */
    e = u.totp_enabled ? store_recovery_replace_audited(
                             r->store, u.id, rs.hash_ptrs, RECOVERY_CODES,
                             audit_entry(r, "regenerate-recovery-codes", "user", u.public_id))
                       : E_CONFLICT;
    if (e != E_OK) {
        sodium_memzero(&rs, sizeof(rs));
        e = e == E_CONFLICT ? E_CONFLICT : E_DB;
        audit_record(r, "regenerate-recovery-codes", "user", u.public_id, audit_outcome(e));
        if (e == E_CONFLICT) {
            r->message = "Two-step sign-in is off for your account, so there are no recovery "
                         "codes to replace. Turning it on gives you a set.";
            return E_CONFLICT;
        }
        r->message = "We could not make new recovery codes. Your old ones still work. Please "
                     "try again.";
        return E_DB;
    }
    log_info("user %ld made new recovery codes", u.id);
    req_model(r, recovery_codes_model(r, &rs, "Your new recovery codes"));
    return E_OK;
}
