/* contact: one rule each for an e-mail address, a phone number, a person's name and a calendar
 * date, used by every form that takes one (the public call request, admission, a patient's
 * contact details, staff accounts, the audit filters) and by the store before it writes. Each
 * *_problem returns NULL when the value is acceptable, or the problem as a plain sentence to
 * show next to the field. Forms decide whether a field is required; these judge a value that
 * was given. No I/O. */
#ifndef HAVEN_CONTACT_H
#define HAVEN_CONTACT_H

#include <stdbool.h>
#include <stddef.h>

#define CONTACT_EMAIL_MAX 254 /* bytes (RFC 5321's path limit) */
#define CONTACT_NAME_MAX 100  /* bytes of UTF-8 */
#define CONTACT_PHONE_MAX 32  /* bytes as typed */
#define CONTACT_PHONE_DIGITS 15 /* E.164 */

/* Printable ASCII only (no spaces, no accented letters), one @ with something before it, a
 * domain of letters, digits and hyphens in at least two dot-separated labels, at most
 * CONTACT_EMAIL_MAX bytes. */
const char *contact_email_problem(const char *email);
/* Well-formed UTF-8, 1 to CONTACT_NAME_MAX bytes, not blank, no control characters (C0, DEL,
 * C1, line separators) and no invisible text-direction or format characters (core/utf8),
 * which would garble the pages and the audit trail that show it. */
const char *contact_name_problem(const char *name);
/* Digits, spaces and + - ( ) . only (a + only first), 7 to 15 digits, at most
 * CONTACT_PHONE_MAX bytes. digits (may be NULL; room for CONTACT_PHONE_DIGITS + 1) gets the
 * digits alone, for matching a number however it was typed. */
const char *contact_phone_problem(const char *phone, char *digits);
/* "YYYY-MM-DD" naming a real day from 1900 on. */
const char *contact_date_problem(const char *date);
bool contact_date_ok(const char *date);
/* The year, month and day of a date contact_date_ok accepts; -1 for any other text. */
int contact_date_parse(const char *date, long *y, long *m, long *d);

/* Whole years from a date of birth to today (both "YYYY-MM-DD"); -1 when either is not a
 * date. */
int contact_age(const char *dob, const char *today);

#endif
