/* totp: RFC 6238 one-time codes (liboath): HMAC-SHA-1, 30-second steps, 6 digits, one step of
 * clock drift either way. Secrets are 20 random bytes, shown to authenticator apps in base32.
 * At rest a secret is sealed (libsodium crypto_secretbox: XSalsa20-Poly1305) under a 32-byte
 * key kept in a file outside the database (core/keyfile), so a copy of the database alone yields
 * no codes. */
#ifndef HAVEN_TOTP_H
#define HAVEN_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define TOTP_SECRET_BYTES 20
#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1
#define TOTP_BASE32_LEN 32 /* 20 bytes in base32, no padding */
#define TOTP_KEY_BYTES 32   /* crypto_secretbox_KEYBYTES */
#define TOTP_SEAL_PREFIX "s1:"
/* "s1:" + hex(nonce (24) || MAC (16) || ciphertext (20)) */
#define TOTP_SEALED_LEN (3 + 2 * (24 + 16 + TOTP_SECRET_BYTES))
#define TOTP_PLAIN_HEX_LEN (2 * TOTP_SECRET_BYTES) /* how the first release stored secrets */

/* Fills secret with TOTP_SECRET_BYTES random bytes (libsodium's CSPRNG). */
void totp_new_secret(unsigned char secret[TOTP_SECRET_BYTES]);
/* Writes the code for time `now` into out ("012345" and a NUL); 0, or -1 on failure. */
int totp_code(const unsigned char *secret, size_t len, time_t now, char out[TOTP_DIGITS + 1]);
/* Checks a 6-digit code against the steps now-1, now, now+1. Returns 0 and sets *step (the
 * matching time step, for refusing its reuse), or -1 when it does not match or is not 6 digits. */
int totp_verify(const unsigned char *secret, size_t len, time_t now, const char *code,
                long long *step);
/* The secret in base32 without padding, into out (size > TOTP_BASE32_LEN); 0 or -1. */
int totp_base32(const unsigned char *secret, size_t len, char *out, size_t size);
/* The otpauth:// URI an authenticator app reads from the QR code, malloc'ed (caller frees).
 * issuer and account are percent-encoded. */
char *totp_uri(const char *issuer, const char *account, const char *base32);

/* Seals secret under key with a fresh random nonce into out ("s1:" and 120 hex digits and a
 * NUL); 0, or -1 when libsodium fails. */
int totp_seal(const unsigned char key[TOTP_KEY_BYTES],
              const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_SEALED_LEN + 1]);
/* Opens a sealed text into secret; 0, or -1 when it is malformed, was sealed under another
 * key or was changed (secret is then zeroed). */
int totp_open(const unsigned char key[TOTP_KEY_BYTES], const char *sealed,
              unsigned char secret[TOTP_SECRET_BYTES]);
/* True when text has the sealed form; true for totp_is_plain when it is 40 hex digits (a
 * secret written in the clear by the first release, to be sealed). */
bool totp_is_sealed(const char *text);
bool totp_is_plain(const char *text);

#endif
