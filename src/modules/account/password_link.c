/* password_link: the one operation that makes a one-time set-password link. Only the token's
 * hash is stored; the link itself is shown once, to whoever asked for it (an administrator on
 * the Users screen, or `haven user` on the server's shell), and never logged. */
#include "modules/account/account.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/staff.h"
#include "web/session.h"

#define LINK_SECONDS (24 * 60 * 60)

const char *password_link_base(void)
{
    const char *base = getenv("HAVEN_PUBLIC_URL");

    return base && *base ? base : "http://127.0.0.1:8080";
}

int password_link_new(struct store *s, long user_id, char *out, size_t size)
{
    const char *base = password_link_base();
    char token[65], hash[65];
    long now = (long)time(NULL);
    size_t blen;
    int ret = -1;

    blen = strlen(base);
    while (blen && base[blen - 1] == '/')
        blen--;
    session_token_new(token);
    session_token_hash(token, hash);
    /* Adding it voids the user's earlier links: only the newest one works. */
    if (store_token_add(s, user_id, hash, now, now + LINK_SECONDS) != E_OK)
        goto out;
    snprintf(out, size, "%.*s/staff/set-password?token=%s", (int)blen, base, token);
    ret = 0;
out:
    sodium_memzero(token, sizeof(token));
    return ret;
}
