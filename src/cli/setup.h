/* setup: what every subcommand that works on the database does first, written once. */
#ifndef HAVEN_SETUP_H
#define HAVEN_SETUP_H

#include <stdbool.h>

struct store;

enum setup_keys {
    SETUP_NO_KEYS,   /* migrate only (haven migrate) */
    SETUP_KEYS,      /* and load the secret key and the audit trail's key (serve, user) */
};

/* Initialises libsodium, opens db (creating it), applies pending migrations (*applied may be
 * NULL) and, with SETUP_KEYS, loads the key that seals second-factor secrets and the audit
 * trail's key, in that order. Dies with a message naming the database on any failure. */
struct store *setup_open(const char *db, enum setup_keys keys, int *applied);

/* When HAVEN_PUBLIC_URL is not set, sets it to the address Haven listens on (bind and port),
 * so that one-time set-password links point where the server answers; a wildcard bind
 * (0.0.0.0) names no reachable host, so it is left unset and a warning says to set it. Call
 * before threads start (it writes the environment). */
void setup_public_url(const char *bind, unsigned port);

#endif
