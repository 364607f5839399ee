/* keyfile: where the secret key file is and how it is read or made. Call at start-up only. */
#ifndef HAVEN_KEYFILE_H
#define HAVEN_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#define KEYFILE_BYTES 32

/* The key file's path: HAVEN_SECRET_KEY_FILE, else db_path + ".key". 0, or -1 when neither
 * is set or the path does not fit size. */
int keyfile_path(const char *db_path, char *out, size_t size);
/* Loads the key from path: 64 hex digits (a final newline allowed), in a regular file that
 * only its owner may read or write. When the file does not exist and may_create is true,
 * creates it (mode 0600, O_EXCL) with a new key from the CSPRNG and sets *created. -1 (logged,
 * never the key) when the file is missing and may not be created, unreadable, malformed or open
 * to group or others. */
int keyfile_load(const char *path, bool may_create, unsigned char key[KEYFILE_BYTES],
                 bool *created);

#endif
