/* kiosk: the store's interface for the check-in kiosk (issue 9, migration 0018): the devices an
 * administrator made kiosks (a long-lived token kept as its SHA-256 hex, like staff sessions),
 * each device's count of wrong codes and its pause, and every patient's personal check-in
 * code. Writes are one transaction each with their audit entries (NULL: none). Returns E_OK,
 * E_NOTFOUND, E_CONFLICT (named per function) or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_KIOSK_H
#define HAVEN_STORE_KIOSK_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/store.h"

/* A check-in code: eight digits (modules/kiosk/kiosk.h says why eight) and a NUL. */
#define KIOSK_CODE_DIGITS 8
#define KIOSK_CODE_TEXT (KIOSK_CODE_DIGITS + 1)
/* Bytes of a device's name or place, and of a patient's first name, with their NUL. */
#define KIOSK_TEXT_MAX 404

/* A kiosk device as a check-in sees it. */
struct kiosk_device {
    long id;
    char public_id[33];
    bool revoked;
    long paused_until; /* Unix seconds; 0: never paused */
};

/* A new device: name (and place, NULL for none) as an administrator typed them, token_hash the
 * SHA-256 hex of its token, by users.id; public_id gets its id (also the entry's record id)
 * once it landed. E_INVALID when the schema refuses it (a token already held). */
enum err store_kiosk_add(struct store *s, const char *name, const char *place,
                         const char *token_hash, long by, const struct audit_entry *a,
                         char public_id[33]);
/* Every device, newest first: [{public_id, name, place, created_by, created_at, last_used_at,
 * last_used_from, revoked, revoked_at, revoked_by}] (names of staff; times as stored, "" when
 * none). */
enum err store_kiosk_list(struct store *s, json_t **out);
/* One device as the list shows it; E_NOTFOUND. */
enum err store_kiosk_get(struct store *s, const char *public_id, json_t **out);
/* Revokes a device (its token opens nothing from now on); E_NOTFOUND, E_CONFLICT when it was
 * revoked already. */
enum err store_kiosk_revoke(struct store *s, const char *public_id, long by,
                            const struct audit_entry *a);
/* The device whose token hashes to token_hash (revoked ones too); E_NOTFOUND. */
enum err store_kiosk_device(struct store *s, const char *token_hash, struct kiosk_device *out);
/* Notes a use of the device at now from client, with the check-in's entry a (NULL: none). */
enum err store_kiosk_used(struct store *s, long id, long now, const char *client,
                          const struct audit_entry *a);
/* Counts a wrong code at now with its entry a: counting starts again when the count's window
 * (window seconds from its first wrong code) has passed; the limit-th wrong code of a window
 * pauses the device until now + pause, starts the count again and appends pause_entry too.
 * *paused says whether this code paused it. */
enum err store_kiosk_wrong(struct store *s, long id, long now, int limit, long window, long pause,
                           const struct audit_entry *a, const struct audit_entry *pause_entry,
                           bool *paused);

/* The patient's check-in code (out: KIOSK_CODE_TEXT bytes), made on first call (the chart and
 * its code page call it on first view; the making is part of that view). E_NOTFOUND when there
 * is no such patient, E_CONFLICT when a discharged patient has none (no new code for them). */
enum err store_checkin_code(struct store *s, const char *patient_public_id, char *out);
/* A new code for the patient in place of the old one, which stops working at once. The same
 * errors (a discharged patient included). */
enum err store_checkin_code_renew(struct store *s, const char *patient_public_id,
                                  const struct audit_entry *a, char *out);
/* The patient (public id, first name) holding code who is not discharged; E_NOTFOUND. */
enum err store_checkin_find(struct store *s, const char *code, char patient_public_id[33],
                            char first_name[KIOSK_TEXT_MAX]);
/* Whether the patient has an attendance record at the session (public ids). */
enum err store_checkin_recorded(struct store *s, const char *session_id, const char *patient_id,
                                bool *recorded);

#endif
