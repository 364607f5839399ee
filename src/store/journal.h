/* journal: the store's interface for a patient's journal (issue 11, migration 0028) and the
 * date the patient counts "days since" on My progress. Entries are private: the patient
 * chooses, entry by entry and at any time, whether their counsellor may read one (shared);
 * staff read only shared entries and never change or delete one. Every function is keyed by
 * the patient (patients.id) so that a patient reaches only their own. Every write is one
 * transaction with its audit entry (NULL: none). Returns E_OK, the errors named, or E_DB
 * (logged, ids only). */
#ifndef HAVEN_STORE_JOURNAL_H
#define HAVEN_STORE_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

struct audit_entry;

#define JOURNAL_BODY_MAX 4000   /* bytes of an entry */
#define JOURNAL_LABEL_MAX 80    /* bytes of what the patient counts days since */

/* Adds an entry of the patient's for day ("YYYY-MM-DD"), shared or not, with audit's entry
 * (record id: the entry's). public_id (33 bytes) gets its id. E_INVALID when the day or the
 * body (1-4000 bytes) is refused. */
enum err store_journal_add(struct store *s, long patient, const char *day, const char *body,
                           bool shared, const struct audit_entry *a, char public_id[33]);
/* Sets whether the patient's entry entry_id may be read by their counsellor. E_NOTFOUND when
 * the patient has no such entry (another patient's entry is "no such entry"). */
enum err store_journal_share(struct store *s, long patient, const char *entry_id, bool shared,
                             const struct audit_entry *a);
/* The patient's entries, newest day first (shared_only: only those the patient shared, what
 * staff see): [{id, day, body, shared, created_at, updated_at}]. New reference in *out. */
enum err store_journal_list(struct store *s, long patient, bool shared_only, json_t **out);

/* The date the patient counts days since and its words (label: JOURNAL_LABEL_MAX + 1 bytes,
 * since: 11 bytes; both "" when none). */
enum err store_journal_tracked_get(struct store *s, long patient, char *label, char *since);
/* Sets (since "YYYY-MM-DD", label 1-80 bytes) or clears (since NULL) it. E_INVALID when the
 * schema refuses a value. */
enum err store_journal_tracked_set(struct store *s, long patient, const char *label,
                                   const char *since, const struct audit_entry *a);

#endif
