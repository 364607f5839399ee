/* messages: the store's interface for the messages between a patient and the care team
 * (issue 11, migration 0028). A patient starts a thread to their counsellor; the thread is
 * read by the patient, by the patient's counsellor of the moment and by administrators, and by
 * nobody else: every function takes the reader (struct message_reader) and a thread another
 * reader may not see is "no such thread" (E_NOTFOUND), so a patient can never reach another
 * patient's thread by its id. Text only (1-4000 bytes), no attachments. Every write and every
 * read of a thread is one transaction with its audit entry (NULL: none). Also the patient's
 * choice to hear of new messages (off until they turn it on). Returns E_OK, the errors named,
 * or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_MESSAGES_H
#define HAVEN_STORE_MESSAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct audit_entry;

#define MESSAGE_BODY_MAX 4000  /* bytes */
#define MESSAGE_SUBJECT_MAX 200 /* bytes */
#define MESSAGE_REPLY_HOURS_DEFAULT 24

/* Who reads: a patient (patients.id > 0), or else a staff member (users.id), who sees the
 * threads of the patients they counsel, or every thread when admin. */
struct message_reader {
    long patient;
    long user;
    bool admin;
};

/* Whether reader r may read a thread of patient p whose counsellor is users.id c (pure). */
bool store_message_may_read(const struct message_reader *r, long p, long c);

/* A new thread of the patient's with its first message, and audit's entry (record id: the
 * thread's). public_id (33 bytes) gets its id. E_INVALID for an empty or long subject or body. */
enum err store_message_thread_start(struct store *s, long patient, const char *subject,
                                    const char *body, const struct audit_entry *a,
                                    char public_id[33]);
/* The threads the reader may read, newest activity first: [{id, subject, patient_id (public),
 * patient_name, counsellor, created_at, last_at, unread (messages from the other side the
 * reader's side has not opened), has_unread (any), waiting_since (the patient's first
 * message after the last staff answer, or null), overdue (waiting longer than reply_hours at
 * now, Unix seconds)}]. */
enum err store_message_threads(struct store *s, const struct message_reader *r,
                               long reply_hours, long now, json_t **out);
/* Messages from the other side that the reader's side has not opened, over every thread the
 * reader may read (for staff: of the patients they counsel, admin or not). */
enum err store_message_unread(struct store *s, const struct message_reader *r, long *count);
/* Opens a thread: {id, subject, patient_id, patient_name, counsellor, created_at, messages:
 * [{from_patient, author (a staff name, or "" for the patient), body, at}]}, oldest first. The
 * messages of the other side are marked read when the reader is the patient or their
 * counsellor (an administrator's look changes nothing), in the same transaction as audit's
 * entry ("view" of the "message-thread"). E_NOTFOUND when the reader may not read it. */
enum err store_message_thread_open(struct store *s, const char *thread_id,
                                   const struct message_reader *r, const struct audit_entry *a,
                                   json_t **out);
/* Adds the reader's message to a thread they may read, with audit's entry. E_NOTFOUND (may
 * not read it), E_INVALID (empty or long body). *notify (may be NULL) is set when the message
 * is staff's and the patient asked to hear of new messages; email (size bytes, may be NULL)
 * gets the patient's address then ("" when none). */
enum err store_message_reply(struct store *s, const char *thread_id,
                             const struct message_reader *r, const char *body,
                             const struct audit_entry *a, bool *notify, char *email,
                             size_t size);

/* The patient's choice to hear of new messages (false until set). */
enum err store_message_notify_get(struct store *s, long patient, bool *on);
enum err store_message_notify_set(struct store *s, long patient, bool on,
                                  const struct audit_entry *a);

#endif
