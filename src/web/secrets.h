/* secrets: the key that seals second-factor secrets (core/keyfile, core/totp). */
#ifndef HAVEN_SECRETS_H
#define HAVEN_SECRETS_H

#include "core/totp.h"

struct store;
struct staff_user;

/* Call once at start-up, before threads start, with the store open and migrated (cli/setup.c
 * does): reads the key file (core/keyfile: HAVEN_SECRET_KEY_FILE, else db_path + ".key"),
 * creating it (mode 0600, from the CSPRNG) when it does not exist and the database has never
 * had a key; checks that the key is the one this database was used with (a keyed hash kept in
 * the settings); then seals the secrets the first release stored in the clear. 0, or -1
 * (logged; never the key) when the file is missing although the database had a key,
 * unreadable, open to others, or another database's key. */
int secrets_init(struct store *s, const char *db_path);
/* Forgets the key (tests; `haven` keeps it until it exits). */
void secrets_forget(void);
/* Seals a new secret under the key into out; 0, or -1 (no key loaded, or libsodium failed). */
int secrets_totp_seal(const unsigned char secret[TOTP_SECRET_BYTES],
                      char out[TOTP_SEALED_LEN + 1]);
/* The user's secret in the clear into secret (caller zeroes it after use); a secret still
 * stored in the clear is sealed now. 0, or -1 (logged by user id) when there is none, no key
 * is loaded, or it does not open (another key, or changed). */
int secrets_totp_open(struct store *s, const struct staff_user *u,
                      unsigned char secret[TOTP_SECRET_BYTES]);
/* A secret sealed by secrets_totp_seal (the patients' second factor keeps only the sealed form)
 * into secret (caller zeroes it after use). 0, or -1 (logged, never the text) when sealed is
 * empty, no key is loaded, or it does not open (another key, or changed). */
int secrets_totp_open_sealed(const char *sealed, unsigned char secret[TOTP_SECRET_BYTES]);

#endif
