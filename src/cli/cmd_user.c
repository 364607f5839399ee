/* cmd_user: `haven user add|list|disable|enable|reset|totp-reset` manages staff accounts from
 * the shell, and the demo accounts of `haven serve --demo`. Passwords are never given on the
 * command line: add and reset print a one-time set-password link instead. Every change is
 * audited as user "cli". Opening the database loads the secret key as `haven serve` does. */
#include "cli/cli.h"
#include "domain/contact.h"
#include "cli/setup.h"
#include "cli/cmd_user.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "domain/password.h"
#include "domain/roles.h"
#include "domain/audit_chain.h"
#include "store/store.h"
#include "store/audit.h"
#include "store/staff.h"
#include "domain/password.h"
#include "domain/roles.h"
#include "web/secrets.h"
#include "modules/account/account.h"

static const char usage[] =
    "usage: haven user add EMAIL --name NAME --role ROLE... [--db PATH]\n"
    "       haven user list [--db PATH]\n"
    "       haven user disable EMAIL [--db PATH]\n"
    "       haven user enable EMAIL [--db PATH]\n"
    "       haven user reset EMAIL [--db PATH]\n"
    "       haven user totp-reset EMAIL [--db PATH]   (turns a lost second factor off)\n"
    "The second-factor key is read from HAVEN_SECRET_KEY_FILE (default: the database + .key).\n"
    "Roles: admin clinician admissions medical billing auditor (repeat --role, or use commas).\n";

/* Adds the roles named in a "--role" value ("admin" or "admin,clinician"); dies on others. */
static unsigned parse_roles(const char *v, unsigned roles)
{
    const char *bad = roles_parse_list(v, &roles);

    if (bad)
        die("unknown role \"%.*s\"; roles are: admin clinician admissions medical billing "
            "auditor", (int)strcspn(bad, ","), bad);
    return roles;
}

static struct store *open_db(const char *db)
{
    long port = 8080;

    /* The links this prints name the address `haven serve` listens on, as the server's do. */
    str_to_long(str_from(cli_env("HAVEN_PORT", "8080")), 1, 65535, &port);
    setup_public_url(cli_env("HAVEN_BIND", "127.0.0.1"), (unsigned)port);
    return setup_open(db, SETUP_KEYS, NULL);
}

/* The audit entry of something done here: user "cli", from the local machine. The store
 * appends it in the same transaction as the change (or the read), so neither lands without the
 * other. */
static struct audit_entry cli_entry(const char *action, const char *public_id)
{
    return (struct audit_entry){
        .user_email = "cli",
        .roles = "",
        .action = action,
        .record_type = "user",
        .record_id = public_id,
        .outcome = "ok",
        .client = "local",
    };
}

static void get_user(struct store *s, const char *email, struct staff_user *u)
{
    enum err e = store_user_get(s, STAFF_BY_EMAIL, 0, email, u);

    if (e == E_NOTFOUND)
        die("no user with the e-mail address %s", email);
    if (e != E_OK)
        die("cannot read the user");
}

static void print_link(struct store *s, long id)
{
    char link[512];

    if (password_link_new(s, id, link, sizeof(link)) < 0)
        die("cannot create a set-password link");
    printf("One-time link to set the password (valid 24 hours, works once):\n%s\n", link);
}

static int user_list(struct store *s)
{
    struct audit_entry e = cli_entry("list", NULL);
    json_t *users, *u;
    size_t i;

    if (store_user_list_audited(s, &users, &e) != E_OK)
        die("cannot list users (nothing shown: the listing could not be read or recorded in the "
            "audit trail)");
    printf("%-32s  %-30s  %-24s  %-30s  %-3s  %s\n", "ID", "E-MAIL", "NAME", "ROLES", "2FA",
           "STATUS");
    json_array_foreach(users, i, u) {
        char roles[128];
        roles_text((unsigned)json_integer_value(json_object_get(u, "roles")), roles,
                         sizeof(roles));
        printf("%-32s  %-30s  %-24s  %-30s  %-3s  %s\n",
               json_string_value(json_object_get(u, "public_id")),
               json_string_value(json_object_get(u, "email")),
               json_string_value(json_object_get(u, "name")), roles,
               json_is_true(json_object_get(u, "totp_enabled")) ? "on" : "off",
               json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active");
    }
    if (!json_array_size(users))
        puts("(no users yet: add one with \"haven user add\")");
    json_decref(users);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db"), *name = NULL, *sub, *email = NULL;
    unsigned roles = 0;
    struct staff_user u;
    struct store *s;
    int c, ret = 0;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    sub = argv[1];
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "disable") &&
        strcmp(sub, "enable") && strcmp(sub, "reset") && strcmp(sub, "totp-reset"))
        die("unknown subcommand \"%s\"\n%s", sub, usage);
    argc--, argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:r:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': name = optarg; break;
        case 'r': roles = parse_roles(optarg, roles); break;
        case 'd': db = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (strcmp(sub, "list") != 0) {
        if (optind >= argc)
            die("%s needs an e-mail address\n%s", sub, usage);
        email = argv[optind++];
    }
    if (optind < argc)
        die("unexpected argument \"%s\"\n%s", argv[optind], usage);
    if (!strcmp(sub, "add")) {
        struct audit_entry ae = cli_entry("create", NULL);
        const char *problem;
        char public_id[33];
        long id;
        enum err e;
        /* The address and name are not echoed: they may hold bytes a terminal acts on. */
        if ((problem = contact_email_problem(email)))
            die("not an e-mail address an account can have: %s", problem);
        if (!name)
            die("--name is required: the person's name, 1 to %d bytes", STAFF_NAME_MAX);
        if ((problem = contact_name_problem(name)))
            die("--name is not accepted: %s", problem);
        if (!roles)
            die("at least one --role is required: admin clinician admissions medical billing "
                "auditor");
        s = open_db(db);
        e = store_user_add_audited(s, email, name, roles, (long)time(NULL), public_id, &id, &ae);
        if (e == E_CONFLICT)
            die("there is already a user with the e-mail address %s", email);
        if (e != E_OK)
            die("cannot add the user (nothing was changed)");
        printf("Added user %s (%s).\n", public_id, email);
        print_link(s, id);
    } else if (!strcmp(sub, "list")) {
        s = open_db(db);
        ret = user_list(s);
    } else if (!strcmp(sub, "disable")) {
        s = open_db(db);
        get_user(s, email, &u);
        struct audit_entry ae = cli_entry("disable", u.public_id);
        if (store_user_set_disabled(s, u.id, true, &ae) != E_OK)
            die("cannot disable the user (nothing was changed)");
        printf("Disabled %s; their sessions have ended.\n", email);
    } else if (!strcmp(sub, "enable")) {
        s = open_db(db);
        get_user(s, email, &u);
        struct audit_entry ae = cli_entry("enable", u.public_id);
        if (store_user_set_disabled(s, u.id, false, &ae) != E_OK)
            die("cannot enable the user (nothing was changed)");
        printf("Enabled %s.\n", email);
    } else if (!strcmp(sub, "totp-reset")) {
        s = open_db(db);
        get_user(s, email, &u);
        if (!u.totp_enabled && !u.totp_secret[0]) {
            printf("Two-step sign-in is already off for %s.\n", email);
        } else {
            struct audit_entry ae = cli_entry("reset-2fa", u.public_id);
            if (store_user_totp_off(s, u.id, &ae) != E_OK)
                die("cannot turn off two-step sign-in (nothing was changed)");
            printf("Turned off two-step sign-in for %s: their recovery codes are void and their "
                   "sessions have ended. They sign in with their password and can set it up "
                   "again.\n", email);
        }
    } else {
        s = open_db(db);
        get_user(s, email, &u);
        struct audit_entry ae = cli_entry("reset", u.public_id);
        if (store_user_reset(s, u.id, &ae) != E_OK)
            die("cannot reset the user (nothing was changed)");
        printf("Reset %s: the old password no longer works and their sessions have ended.\n",
               email);
        print_link(s, u.id);
    }
    store_close(s);
    return ret;
}

/* 20 characters from 47 without look-alikes: over 110 bits, and easy to type from a terminal. */
static void demo_password(char out[21])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFHJKLMNPRTUVWXY3479";

    for (size_t i = 0; i < 20; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[20] = '\0';
}

#define DEMO_DOMAIN "@demo.haven"

/* Accounts other than ROLE@demo.haven: 0 means the database holds demo accounts alone. -1 when
 * the store failed. */
static long real_accounts(struct store *s)
{
    json_t *users, *u;
    size_t i, dl = strlen(DEMO_DOMAIN);
    long n = 0;

    if (store_user_list(s, &users) != E_OK)
        return -1;
    json_array_foreach(users, i, u) {
        const char *e = json_string_value(json_object_get(u, "email"));
        size_t el = e ? strlen(e) : 0;
        if (el <= dl || strcasecmp(e + el - dl, DEMO_DOMAIN) != 0)
            n++;
    }
    json_decref(users);
    return n;
}

int cmd_user_demo_accounts(struct store *s)
{
    long real = real_accounts(s);

    if (real < 0)
        return -1;
    /* A real database never gets accounts with printed passwords, nor has them re-keyed. */
    if (real > 0) {
        fprintf(stderr, "--demo: not creating or re-keying the demo staff accounts: this database "
                        "has %ld real staff account%s (demo accounts are made only in a database "
                        "of demo accounts alone); the demo content still loads\n",
                real, real == 1 ? "" : "s");
        fflush(stderr);
        return 0;
    }
    for (size_t i = 0; i < roles_count(); i++) {
        unsigned role = roles_at(i);
        char email[64], name[64], pw[21], hash[PASSWORD_HASH_MAX], public_id[33];
        struct staff_user u;
        long id;
        enum err e;

        snprintf(email, sizeof(email), "%s@demo.haven", roles_name(role));
        snprintf(name, sizeof(name), "Demo %c%s", roles_name(role)[0] - 'a' + 'A',
                 roles_name(role) + 1);
        e = store_user_get(s, STAFF_BY_EMAIL, 0, email, &u);
        if (e == E_NOTFOUND) {
            if (store_user_add(s, email, name, role, (long)time(NULL), public_id, &id) != E_OK)
                return -1;
        } else if (e == E_OK) {
            id = u.id;
            if (store_user_set_roles(s, id, role, 0, NULL) != E_OK ||
                store_user_set_disabled(s, id, false, NULL) != E_OK)
                return -1;
        } else {
            return -1;
        }
        demo_password(pw);
        if (password_hash(pw, hash) < 0 || store_user_set_password(s, id, hash) != E_OK) {
            sodium_memzero(pw, sizeof(pw));
            return -1;
        }
        /* The one place a password is ever printed: once, for the person running the demo. */
        fprintf(stderr, "demo account: %s password: %s\n", email, pw);
        sodium_memzero(pw, sizeof(pw));
        sodium_memzero(hash, sizeof(hash));
    }
    fflush(stderr);
    return 0;
}
