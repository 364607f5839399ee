/* keyfile: the secret key file kept beside (never inside) the database: 64 hex digits in a
 * regular file only its owner can read or write. Second-factor secrets are sealed and the audit
 * trail is keyed under keys derived from it. */
#include "core/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

int keyfile_path(const char *db_path, char *out, size_t size)
{
    const char *env = getenv("HAVEN_SECRET_KEY_FILE");
    int n;

    if (env && *env)
        n = snprintf(out, size, "%s", env);
    else if (db_path && *db_path)
        n = snprintf(out, size, "%s.key", db_path);
    else
        return -1;
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Creates path with a new key; 0, 1 when another process created it first, or -1. */
static int key_create(const char *path, unsigned char key[KEYFILE_BYTES])
{
    char hex[2 * KEYFILE_BYTES + 2];
    size_t off = 0, n;
    int fd, ret = -1;

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 1;
        log_error("cannot create the secret key file %s: %s", path, strerror(errno));
        return -1;
    }
    randombytes_buf(key, KEYFILE_BYTES);
    sodium_bin2hex(hex, sizeof(hex), key, KEYFILE_BYTES);
    n = 2 * KEYFILE_BYTES;
    hex[n++] = '\n';
    while (off < n) {
        ssize_t w = write(fd, hex + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off == n && fchmod(fd, 0600) == 0 && fsync(fd) == 0)
        ret = 0;
    else
        log_error("cannot write the secret key file %s: %s", path, strerror(errno));
    close(fd);
    sodium_memzero(hex, sizeof(hex));
    if (ret < 0) {
        sodium_memzero(key, KEYFILE_BYTES);
        unlink(path);
    }
    return ret;
}

static int key_read(const char *path, unsigned char key[KEYFILE_BYTES])
{
    char hex[2 * KEYFILE_BYTES + 4];
    size_t len = 0, got = 0;
    struct stat st;
    int fd, ret = -1;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_error("cannot open the secret key file %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        log_error("the secret key file %s is not a regular file", path);
        goto out;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        log_error("the secret key file %s is open to group or others: chmod 600 it", path);
        goto out;
    }
    while (got < sizeof(hex)) {
        ssize_t r = read(fd, hex + got, sizeof(hex) - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got == 2 * KEYFILE_BYTES + 1 && hex[got - 1] == '\n')
        got--;
    if (got != 2 * KEYFILE_BYTES || !all_hex(hex, got) ||
        sodium_hex2bin(key, KEYFILE_BYTES, hex, got, NULL, &len, NULL) != 0 ||
        len != KEYFILE_BYTES) {
        log_error("the secret key file %s is not 64 hex digits", path);
        sodium_memzero(key, KEYFILE_BYTES);
        goto out;
    }
    ret = 0;
out:
    sodium_memzero(hex, sizeof(hex));
    close(fd);
    return ret;
}

int keyfile_load(const char *path, bool may_create, unsigned char key[KEYFILE_BYTES],
                 bool *created)
{
    struct stat st;
    int rc;

    *created = false;
    if (!path || !*path) {
        log_error("no secret key file given");
        return -1;
    }
    if (lstat(path, &st) != 0 && errno == ENOENT) {
        if (!may_create) {
            log_error("the secret key file %s is missing", path);
            return -1;
        }
        if ((rc = key_create(path, key)) <= 0) {
            *created = rc == 0;
            return rc;
        }
        /* Another process created it meanwhile: use theirs. */
    }
    return key_read(path, key);
}
