/* portal: the store's interface for the patient portal (issue 11, migration 0025): a patient's
 * access (one account, made when they accept a one-time invitation from the chart), the
 * invitations, the patients' own sessions, failed sign-ins, and the daily check-ins. Secrets
 * arrive hashed (argon2id strings, SHA-256 hex). Every write is one transaction with its audit
 * entry (NULL: none) and lands whole or not at all. Returns E_OK, or the errors named per
 * function, or E_DB (logged, ids only).
 *
 * Access rule (store_portal_access_open): an account opens the portal unless it was revoked,
 * or the patient was discharged more than the clinic's aftercare days ago (the setting
 * portal_aftercare_days, 30 when unset; the discharge date counts as day 0). Every look-up
 * below that says "open" applies it, so that sign-in and every signed-in request agree. */
#ifndef HAVEN_STORE_PORTAL_H
#define HAVEN_STORE_PORTAL_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "store/stamp.h"
#include "store/store.h"

#define PORTAL_USERNAME_MIN 3  /* characters */
#define PORTAL_USERNAME_MAX 64 /* bytes */
#define PORTAL_NAME_TEXT 404   /* a first name and its NUL */
/* An invitation works once, for 72 hours. */
#define PORTAL_INVITE_SECONDS (72L * 3600)
/* A session ends after 30 idle minutes (10 on a shared device) and 12 hours after sign-in at
 * the latest. */
#define PORTAL_IDLE_SECONDS (30L * 60)
#define PORTAL_IDLE_SHARED_SECONDS (10L * 60)
#define PORTAL_MAX_SECONDS (12L * 3600)
#define PORTAL_AFTERCARE_DEFAULT 30

/* ---- the rules (pure) ---- */

/* Whether an account opens the portal on `today`: not revoked, and the patient not discharged
 * (status "discharged" with discharge_date "YYYY-MM-DD") more than aftercare_days days ago. A
 * discharge without a readable date closes it. */
bool store_portal_access_open(bool revoked, const char *status, const char *discharge_date,
                              caldate today, long aftercare_days);
/* Seconds left of a session created at `created`, last seen at `last_seen` (Unix seconds), at
 * now: the nearer of its idle and absolute limits; 0 or less when it has ended. */
long store_portal_session_left(long now, long created, long last_seen, bool shared);
/* The clinic's aftercare days (portal_aftercare_days: 0-3650, else the default). */
long store_portal_aftercare_days(struct store *s);

/* ---- staff: invitations, access, revocation ---- */

/* A patient's portal access as the chart's portal page shows it. */
struct portal_state {
    long patient;                 /* patients.id */
    char status[16];              /* active, on-hold, discharged */
    bool has_account, revoked, open;
    char username[PORTAL_USERNAME_MAX + 1];
    char since[STAMP_LEN];        /* the account's last acceptance */
    char revoked_at[STAMP_LEN];
    bool invite_pending;          /* an unused, unexpired invitation exists */
    char invite_expires[STAMP_LEN];
    bool factor;                  /* the account's second factor is on */
};
/* E_NOTFOUND when there is no such patient. */
enum err store_portal_state(struct store *s, const char *patient_id, long now, caldate today,
                            struct portal_state *out);
/* A new invitation (token_hash) for the patient, valid PORTAL_INVITE_SECONDS from now, made by
 * users.id `by`; voids the patient's earlier unused ones. E_NOTFOUND (no such patient),
 * E_CONFLICT (discharged past the aftercare days: there is nothing to open). */
enum err store_portal_invite(struct store *s, const char *patient_id, const char *token_hash,
                             long now, caldate today, long by, const struct audit_entry *a);
/* Revokes the patient's access: the account opens nothing from now on, its sessions end and
 * pending invitations are voided (so that revoking also withdraws an invitation not yet
 * accepted). E_NOTFOUND (no such patient), E_CONFLICT (nothing to revoke: no live account and
 * no pending invitation; nothing changes). */
enum err store_portal_revoke(struct store *s, const char *patient_id, long now, long by,
                             const struct audit_entry *a);

/* ---- the patient: accepting an invitation, signing in ---- */

/* The patient an invitation is for. */
struct portal_invitee {
    long patient;
    char public_id[33];
    char first_name[PORTAL_NAME_TEXT];
    char email[255]; /* "" when none */
};
/* The patient of the invitation whose token hashes to token_hash, at now. E_NOTFOUND (never
 * such a token), E_GONE (used, voided by a newer one or a revocation, expired, or the patient's
 * aftercare days are over). */
enum err store_portal_invite_find(struct store *s, const char *token_hash, long now,
                                  caldate today, struct portal_invitee *out);
/* Accepts the invitation: the patient's account gets username and pw_hash (made, or replaced:
 * a revocation is lifted, failures forgotten, other sessions ended), the invitation is used,
 * with the audit entry, in one transaction; *account gets the account's id. The errors of
 * invite_find, and E_CONFLICT when another patient's account has the username (any case). */
enum err store_portal_accept(struct store *s, const char *token_hash, long now, caldate today,
                             const char *username, const char *pw_hash,
                             const struct audit_entry *a, long *account);

/* An account as sign-in sees it. */
struct portal_account {
    long id, patient;
    char patient_id[33];
    char password_hash[128];
    long locked_until; /* Unix seconds; 0 when not paused */
    bool open;         /* store_portal_access_open today */
    bool factor;       /* a second factor is on: the passphrase alone opens no session */
};
/* The account with this username (any case). E_NOTFOUND. */
enum err store_portal_account_get(struct store *s, const char *username, caldate today,
                                  struct portal_account *out);
/* Counts a failed sign-in of the account; *failures gets the count. */
enum err store_portal_fail(struct store *s, long account, int *failures);
/* Pauses the account until `until`, with the audit entry. */
enum err store_portal_lock(struct store *s, long account, long until,
                           const struct audit_entry *a);
/* Forgets the account's failures (after a sign-in). */
enum err store_portal_clear(struct store *s, long account);

/* ---- sessions (portal_sessions.c) ---- */

struct portal_session {
    long id, account, patient;
    long created, last_seen; /* Unix seconds */
    bool shared, open;
    char csrf[65];
    char patient_id[33];
    char first_name[PORTAL_NAME_TEXT];
};
/* Adds a session; *id gets its id. */
enum err store_portal_session_add(struct store *s, long account, const char *token_hash,
                                  const char *csrf, bool shared, const char *client, long now,
                                  long *id);
/* The session with this token hash, with its patient and whether the account is open today.
 * E_NOTFOUND. */
enum err store_portal_session_get(struct store *s, const char *token_hash, caldate today,
                                  struct portal_session *out);
enum err store_portal_session_touch(struct store *s, long id, long now);
enum err store_portal_session_delete(struct store *s, long id);

/* ---- the optional second factor (portal_second_factor.c) ---- */

/* A sign-in waits this long at most for its code. */
#define PORTAL_PENDING_SECONDS (5L * 60)
#define PORTAL_SEALED_TEXT 128 /* a sealed TOTP secret (core/totp.h: 123) and its NUL */

/* The second factor of the signed-in patient's account, as the security page needs it. */
struct portal_factor {
    long account;
    char patient_id[33];
    char username[PORTAL_USERNAME_MAX + 1];
    char password_hash[128];
    long locked_until;                /* Unix seconds; 0 when not paused */
    bool enabled;                     /* on (confirmed with a code) */
    char sealed[PORTAL_SEALED_TEXT];  /* the secret when on; "" when off */
    int recovery_left;                /* unused recovery codes */
};
/* The factor of patient's (patients.id) account. E_NOTFOUND when the patient has no account. */
enum err store_portal_factor_get(struct store *s, long patient, struct portal_factor *out);
/* Turns the factor on with the secret (sealed) the patient confirmed: the code's time step is
 * used, n recovery code hashes replace any earlier ones, with the audit entry. E_CONFLICT when
 * it is on already, E_INVALID when the schema refuses the sealed text (nothing changes). */
enum err store_portal_factor_enable(struct store *s, long account, const char *sealed,
                                    long long step, const char *const *hashes, size_t n,
                                    const struct audit_entry *a);
/* Turns the factor off: the secret, the recovery codes and the sign-ins waiting for a code go,
 * with the audit entry. E_CONFLICT when it is off (nothing changes). */
enum err store_portal_factor_disable(struct store *s, long account, const struct audit_entry *a);
/* Staff: turns the factor of the patient's (public id) account off as disable does, and ends
 * the account's sessions, with the audit entry. E_NOTFOUND (no such patient), E_CONFLICT (no
 * account, or its factor is off: nothing changes). */
enum err store_portal_factor_reset(struct store *s, const char *patient_id,
                                   const struct audit_entry *a);
/* Marks the code's time step used; E_CONFLICT when it or a later one was used already (each
 * code signs in once, RFC 6238 section 5.2). */
enum err store_portal_factor_use_step(struct store *s, long account, long long step);
/* Uses the unused recovery code whose hash is hash, with the audit entry. E_NOTFOUND when
 * there is none (nothing changes). */
enum err store_portal_recovery_use(struct store *s, long account, const char *hash, long now,
                                   const struct audit_entry *a);

/* A sign-in waiting for its code. */
struct portal_pending {
    long id, account, patient;
    char patient_id[33];
    char csrf[65];
    bool shared;
    long created;      /* Unix seconds */
    long locked_until; /* the account's pause; 0 when none */
    bool open, factor; /* the account opens the portal today; its factor is still on */
    char sealed[PORTAL_SEALED_TEXT];
};
/* Adds a sign-in waiting for its code (token_hash: SHA-256 hex of the cookie's token); the
 * account's ones older than PORTAL_PENDING_SECONDS are deleted first. */
enum err store_portal_pending_add(struct store *s, long account, const char *token_hash,
                                  const char *csrf, bool shared, const char *client, long now);
/* The waiting sign-in with this token hash. E_NOTFOUND. */
enum err store_portal_pending_get(struct store *s, const char *token_hash, caldate today,
                                  struct portal_pending *out);
/* Ends one waiting sign-in (id > 0), or every one of the account (id 0, account > 0). */
enum err store_portal_pending_end(struct store *s, long id, long account);

/* ---- check-ins (portal_checkins.c) ---- */

/* A check-in, its answers checked by domain/checkin.h. triggers: a JSON array of strings. */
struct portal_checkin {
    const char *day; /* the clinic's date, "YYYY-MM-DD" */
    int craving, confidence;
    const char *mood, *sleep, *used;
    const json_t *triggers;
    const char *note; /* NULL: none */
};
/* Adds the patient's (patients.id) check-in with its audit entry (record id: the check-in's
 * public id) and, in the same transaction, the clinical alerts it raises: use_detail and
 * craving_detail (NULL: none) are the alerts' words. public_id (33 bytes) gets its id.
 * E_INVALID when the schema refuses a value. */
enum err store_portal_checkin_add(struct store *s, long patient, const struct portal_checkin *c,
                                  const char *use_detail, const char *craving_detail,
                                  const struct audit_entry *a, char public_id[33]);
/* The patient's check-ins, newest first, at most limit: [{id, at, day, craving, mood, sleep,
 * triggers: [names], used, confidence, note (null: none)}]. */
enum err store_portal_checkins(struct store *s, long patient, long limit, json_t **out);
/* What the help after a check-in names: the patient's counsellor (name, "" when none). */
enum err store_portal_counsellor(struct store *s, long patient, char *name, size_t size);

#endif
