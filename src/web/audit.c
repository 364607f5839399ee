/* audit: builds an audit entry from the request (who, from where) and appends it to the
 * hash-chained trail. The store stamps the time, the id and the hashes. */
#include "web/audit.h"

#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "web/principal.h"
#include "core/keyfile.h"
#include "core/log.h"
#include "domain/roles.h"
#include "store/admissions.h"
#include "store/audit.h"

void audit_entry_of(struct req *r, struct audit_entry *e, const char *action,
                    const char *record_type, const char *record_id, const char *outcome)
{
    const struct principal *u = r->user;
    char roles[128] = "";

    if (u && u->kind == PRINCIPAL_PATIENT)
        snprintf(roles, sizeof(roles), "patient");
    else if (u)
        roles_join(u->roles, ",", roles, sizeof(roles));
    *e = (struct audit_entry){0};
    e->user_id = u ? u->id : 0;
    e->user_email = u && u->email && *u->email ? u->email : "anonymous";
    e->roles = arena_strdup(r->arena, roles);
    e->action = action;
    e->record_type = record_type;
    e->record_id = record_id && *record_id ? record_id : NULL;
    e->outcome = outcome;
    e->client = r->client && *r->client ? r->client : "-";
}

int audit_record(struct req *r, const char *action, const char *record_type,
                 const char *record_id, const char *outcome)
{
    struct audit_entry e;

    audit_entry_of(r, &e, action, record_type, record_id, outcome);
    if (!r->store) {
        log_error("audit: %s %s %s not recorded: no database", action ? action : "-",
                  record_type ? record_type : "-", e.record_id ? e.record_id : "-");
        return -1;
    }
    if (store_audit_append(r->store, &e) != E_OK) {
        /* Ids only: the action and record type are our own literals, the record id is public. */
        log_error("audit: %s %s %s by user %ld not recorded", action ? action : "-",
                  record_type ? record_type : "-", e.record_id ? e.record_id : "-", e.user_id);
        return -1;
    }
    return 0;
}

int audit_list(struct req *r, const char *record_type, const json_t *items)
{
    size_t n = json_array_size(items), k = 0, i;
    const char **ids = arena_alloc(r->arena, (n ? n : 1) * sizeof(*ids));
    struct audit_entry e;
    json_t *it;

    json_array_foreach(items, i, it) {
        const char *id = json_string_value(json_object_get(it, "public_id"));
        if (id && *id)
            ids[k++] = id;
    }
    audit_entry_of(r, &e, "list", record_type, NULL, "ok");
    if (!r->store || store_adm_audit_each(r->store, &e, ids, k) != E_OK) {
        log_error("audit: list of %zu %s records for user %ld not recorded", k, record_type,
                  e.user_id);
        return -1;
    }
    return 0;
}

const struct audit_entry *audit_entry(struct req *r, const char *action, const char *record_type,
                                    const char *record_id)
{
    struct audit_entry *a = arena_alloc(r->arena, sizeof(*a));

    audit_entry_of(r, a, action, record_type, record_id, "ok");
    return a;
}

const char *audit_outcome(enum err e)
{
    return e == E_OK ? "ok" : e == E_DB || e == E_UNAVAILABLE ? "error" : "invalid";
}

/* ---- the trail's key (start-up) ---------------------------------------------------------- */

int audit_key_load(const char *db_path, char *path, size_t path_size)
{
    unsigned char master[KEYFILE_BYTES];
    struct audit_key k;
    struct stat st;
    bool created = false;
    int ret = -1;

    audit_chain_key_forget();
    if (keyfile_path(db_path, path, path_size) < 0) {
        log_error("no secret key file: set HAVEN_SECRET_KEY_FILE");
        return -1;
    }
    if (lstat(path, &st) != 0 && errno == ENOENT)
        return 1;
    if (keyfile_load(path, false, master, &created) < 0)
        goto out;
    if (audit_chain_key_derive(master, &k) < 0) {
        log_error("cannot derive the audit key");
        goto out;
    }
    audit_chain_key_set(&k);
    ret = 0;
out:
    sodium_memzero(master, sizeof(master));
    sodium_memzero(&k, sizeof(k));
    return ret;
}

int audit_key_init(struct store *s, const char *db_path)
{
    enum audit_seal sealed;
    char path[4096];
    int rc = audit_key_load(db_path, path, sizeof(path));

    if (rc > 0)
        log_error("the secret key file %s is missing: the audit trail needs it", path);
    if (rc != 0)
        return -1;
    if (store_audit_seal(s, &sealed) != E_OK) {
        audit_chain_key_forget();
        return -1;
    }
    if (sealed == AUDIT_SEAL_DONE)
        log_info("audit: the trail's head anchor is sealed with the key from now on");
    /* Every store this process opens is this database's (serve, user): concurrent requests'
     * entries can share one commit. */
    store_audit_group(true);
    return 0;
}
