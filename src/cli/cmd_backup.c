/* cmd_backup: `haven backup PATH [--db PATH] [--force]` copies the database while the server
 * runs (the engine's online backup: one snapshot, writers go on), checks the copy's integrity
 * and only then puts it at PATH, mode 0600. The secret key file is not in the copy, on purpose:
 * a backup that travels with its key protects nothing; this says where the key is so that the
 * operator keeps it apart. Exit status 0, or 1 (nothing is left at PATH; an existing file there
 * is kept unless --force). */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/keyfile.h"
#include "store/store.h"

static const char usage[] = "usage: haven backup PATH [--db PATH] [--force]";

/* Makes the copy's file beside dest (so that the final rename stays on one file system), mode
 * 0600 whatever the umask. 0, or -1 (errno). */
static int make_temp(const char *dest, char *tmp, size_t size)
{
    int fd;

    if ((size_t)snprintf(tmp, size, "%s.partial-XXXXXX", dest) >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = mkstemp(tmp)) < 0)
        return -1;
    if (fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    return close(fd);
}

/* Moves the checked copy to dest: with force over what is there, else only if nothing is
 * (link fails with EEXIST: no window between a test and the move), then makes the directory
 * entry durable. 0, or -1 (errno) when the copy is not at dest. */
static int publish(const char *tmp, const char *dest, bool force)
{
    char dir[4096];
    int fd;

    if (force) {
        if (rename(tmp, dest) != 0)
            return -1;
    } else {
        if (link(tmp, dest) != 0)
            return -1;
        unlink(tmp);
    }
    snprintf(dir, sizeof(dir), "%s", dest);
    if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) < 0 || fsync(fd) != 0)
        fprintf(stderr, "haven: %s is written, but its directory could not be synced: %s\n",
                dest, strerror(errno));
    if (fd >= 0)
        close(fd);
    return 0;
}

/* Whether path names the same file as other (a hard link or another spelling of it). */
static bool same_file(const char *path, const char *other)
{
    struct stat a, b;

    return stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Where the key is, never what it is. */
static void key_reminder(const char *db)
{
    char key[4096];

    if (keyfile_path(db, key, sizeof(key)) < 0) {
        printf("the secret key file is set by HAVEN_SECRET_KEY_FILE, which is not set here\n");
        return;
    }
    if (access(key, F_OK) != 0) {
        printf("no secret key file at %s: nothing to back up apart yet\n", key);
        return;
    }
    printf("the secret key file %s is NOT in this backup: back it up too, apart from the\n"
           "database's backups (a restore needs both; the two together open everything)\n",
           key);
}

int cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"force", no_argument, NULL, 'f'}, {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db"), *dest;
    char tmp[4096], key[4096], problem[256];
    struct store *s;
    struct stat st;
    bool force = false;
    enum err e;
    int c;

    while ((c = getopt_long(argc, argv, "d:f", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'f')
            force = true;
        else
            die("%s", usage);
    }
    if (optind != argc - 1)
        die("%s", usage);
    dest = argv[optind];
    /* Opening would create an empty database, and back that up. */
    if (access(db, R_OK) != 0)
        die("cannot read database %s", db);
    /* Not even --force replaces the database (under a running server) or its key. */
    if (same_file(dest, db) ||
        (keyfile_path(db, key, sizeof(key)) == 0 && same_file(dest, key)))
        die("%s is the database or its key file: a backup goes elsewhere", dest);
    if (!force && lstat(dest, &st) == 0)
        die("%s exists: not overwritten (--force replaces it)", dest);
    if (make_temp(dest, tmp, sizeof(tmp)) < 0)
        die("cannot create a file beside %s: %s", dest, strerror(errno));
    if (store_open(db, &s) != E_OK) {
        unlink(tmp);
        die("cannot open database %s", db);
    }
    e = store_backup(s, tmp, problem, sizeof(problem));
    store_close(s);
    if (e != E_OK) {
        unlink(tmp);
        if (e == E_INVALID)
            die("the copy of %s failed its integrity check (%s): no backup written", db, problem);
        die("cannot copy %s (see the message above): no backup written", db);
    }
    if (publish(tmp, dest, force) != 0) {
        int err = errno;
        unlink(tmp);
        if (err == EEXIST)
            die("%s exists: not overwritten (--force replaces it)", dest);
        die("cannot put the backup at %s: %s", dest, strerror(err));
    }
    if (stat(dest, &st) == 0)
        printf("backed up %s to %s (%lld bytes, integrity ok, mode 0600)\n", db, dest,
               (long long)st.st_size);
    key_reminder(db);
    return 0;
}
