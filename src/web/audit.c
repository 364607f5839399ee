/* audit: builds an audit entry from the request (who, from where) and appends it to the
 * hash-chained trail. The store stamps the time, the id and the hashes. */
#include "web/audit.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "domain/roles.h"
#include "store/store_audit.h"

/* The names of the role bits in roles, comma-separated, in the table's order. */
static void role_names(unsigned roles, struct buf *out)
{
    for (size_t i = 0; i < roles_count(); i++) {
        unsigned bit = roles_at(i);
        if (roles & bit) {
            if (out->len)
                buf_addc(out, ',');
            buf_adds(out, roles_name(bit));
        }
    }
}

int audit_record(struct req *r, const char *action, const char *record_type,
                 const char *record_id, const char *outcome)
{
    const struct principal *u = r->user;
    struct buf roles = BUF_INIT;
    struct audit_entry e = {0};
    int ret = -1;

    if (u)
        role_names(u->roles, &roles);
    e.user_id = u ? u->id : 0;
    e.user_email = u && u->email && *u->email ? u->email : "anonymous";
    e.roles = buf_cstr(&roles);
    e.action = action;
    e.record_type = record_type;
    e.record_id = record_id && *record_id ? record_id : NULL;
    e.outcome = outcome;
    e.client = r->client && *r->client ? r->client : "-";
    if (!r->store) {
        log_error("audit: %s %s %s not recorded: no database", action ? action : "-",
                  record_type ? record_type : "-", e.record_id ? e.record_id : "-");
        goto out;
    }
    if (store_audit_append(r->store, &e) != E_OK) {
        /* Ids only: the action and record type are our own literals, the record id is public. */
        log_error("audit: %s %s %s by user %ld not recorded", action ? action : "-",
                  record_type ? record_type : "-", e.record_id ? e.record_id : "-", e.user_id);
        goto out;
    }
    ret = 0;
out:
    buf_free(&roles);
    return ret;
}

void audit_entry_of(struct req *r, struct audit_entry *e, const char *action,
                    const char *record_type, const char *record_id, const char *outcome)
{
    const struct principal *u = r->user;
    struct buf roles = BUF_INIT;

    if (u)
        role_names(u->roles, &roles);
    *e = (struct audit_entry){0};
    e->user_id = u ? u->id : 0;
    e->user_email = u && u->email && *u->email ? u->email : "anonymous";
    e->roles = arena_strdup(r->arena, buf_cstr(&roles));
    e->action = action;
    e->record_type = record_type;
    e->record_id = record_id && *record_id ? record_id : NULL;
    e->outcome = outcome;
    e->client = r->client && *r->client ? r->client : "-";
    buf_free(&roles);
}
