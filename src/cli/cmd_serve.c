/* cmd_serve: `haven serve`: migrate, optionally seed demo content, then serve until SIGINT or
 * SIGTERM, letting in-flight requests finish before the database is closed. */
#include "cli/cli.h"
#include "cli/cmd_user.h"
#include "cli/demo_program.h"
#include "cli/setup.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "http/csrf.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/server.h"
#include "store/store.h"
#include "web/app.h"
#include "web/view.h"
#include "modules/metrics/metrics.h"
#include "modules/modules.h"

static const char usage[] =
    "usage: haven serve [--bind ADDR] [--port N] [--db PATH] [--threads N] [--demo]\n"
    "                   [--timezone ZONE] [--log-level debug|info|warn|error]\n"
    "                   [--max-per-address N] [--metrics-listen ADDR:PORT]\n";

/* What one client may hold (http/guard.h): enough for a browser's parallel connections and a
 * clinic's staff behind one address; slowloris needs hundreds. Deadlines in milliseconds. */
#define PER_ADDRESS_DEFAULT "32"
#define HEADER_DEADLINE_DEFAULT "10000"
#define BODY_DEADLINE_DEFAULT "30000"
#define DEADLINE_MAX (3600L * 1000)

/* The clinic's time zone (IANA name, e.g. America/Chicago) becomes the process's TZ before any
 * thread starts, so localtime_r shows clinic time and follows daylight saving. */
static void set_timezone(const char *zone)
{
    char path[256];

    if (!*zone || strstr(zone, "..") || zone[0] == '/' || strlen(zone) > 64)
        die("time zone \"%s\" is not an IANA zone name such as America/Chicago", zone);
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
    if (strcmp(zone, "UTC") != 0 && access(path, R_OK) != 0)
        die("unknown time zone \"%s\" (not in /usr/share/zoneinfo)", zone);
    setenv("TZ", zone, 1);
    tzset();
}

static unsigned parse_uint(const char *what, const char *v, long max)
{
    long n;

    if (str_to_long(str_from(v), 0, max, &n) < 0)
        die("%s must be a number from 0 to %ld, not \"%s\"", what, max, v);
    return (unsigned)n;
}

/* GET /metrics, off unless asked for (http/metrics.h): on its own listener (ADDR:PORT, such
 * as 127.0.0.1:9464) and/or on the main port for requests that carry HAVEN_METRICS_TOKEN.
 * Returns the listener, or NULL when there is none. */
static struct server *start_metrics(struct server_config *cfg, const char *listen)
{
    static const struct route_table *const tables[] = {&metrics_routes, NULL};
    static char addr[64];
    struct server_config mcfg = *cfg;
    const char *token = cli_env("HAVEN_METRICS_TOKEN", ""), *colon;
    struct server *srv;

    if (*token && metrics_token_set(token) < 0)
        die("HAVEN_METRICS_TOKEN must be at least %d characters, without spaces",
            METRICS_TOKEN_MIN);
    if (!*listen && !metrics_token_required())
        return NULL;
    metrics_init(cfg->routes, metrics_route);
    if (metrics_token_required())
        cfg->metrics_route = metrics_route;
    if (!*listen)
        return NULL;
    colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(addr))
        die("--metrics-listen takes ADDR:PORT, such as 127.0.0.1:9464, not \"%s\"", listen);
    snprintf(addr, sizeof(addr), "%.*s", (int)(colon - listen), listen);
    mcfg.bind = addr;
    mcfg.port = parse_uint("the metrics port", colon + 1, 65535);
    mcfg.threads = 1;
    mcfg.routes = tables;
    mcfg.metrics_route = NULL;
    if (!(srv = server_start(&mcfg)))
        die("cannot listen for metrics on %s", listen);
    log_info("metrics on http://%s:%u/metrics", addr, server_port(srv));
    return srv;
}

/* Prepares the database once, before the workers open their own connections. */
static void prepare_db(const char *db, int demo)
{
    struct store *s = setup_open(db, SETUP_KEYS, NULL);

    if (demo && store_demo_seed(s) != E_OK)
        die("cannot load demo content");
    /* opt-in (make run sets it): tests want a queue that holds only what they put in it */
    if (demo && strcmp(cli_env("HAVEN_DEMO_REFERRALS", "0"), "1") == 0 && demo_referrals(s) < 0)
        die("cannot load the demo call requests");
    if (demo && cmd_user_demo_accounts(s) < 0)
        die("cannot create the demo staff accounts");
    if (demo && strcmp(cli_env("HAVEN_DEMO_REFERRALS", "0"), "1") == 0 && demo_program(s) < 0)
        die("cannot load the demo program");
    store_close(s);
}

/* server_config.store_open: each worker's own connection to the database. */
static struct store *worker_store(const void *cls)
{
    struct store *s;

    return store_open(cls, &s) == E_OK ? s : NULL;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"bind", required_argument, NULL, 'b'},    {"port", required_argument, NULL, 'p'},
        {"db", required_argument, NULL, 'd'},      {"threads", required_argument, NULL, 't'},
        {"demo", no_argument, NULL, 'D'},          {"log-level", required_argument, NULL, 'l'},
        {"timezone", required_argument, NULL, 'z'},
        {"max-per-address", required_argument, NULL, 'm'},
        {"metrics-listen", required_argument, NULL, 'M'},
        {0, 0, 0, 0}};
    struct server_config cfg = {
        .bind = cli_env("HAVEN_BIND", "127.0.0.1"),
        .routes = modules_routes,
        .store_open = worker_store,
        .store_close = store_close,
        .run = view_run,
        .error_page = view_error,
    };
    const char *db = cli_env("HAVEN_DB", "haven.db");
    const char *level = cli_env("HAVEN_LOG_LEVEL", "info");
    const char *zone = cli_env("HAVEN_TIMEZONE", "UTC");
    const char *metrics_listen = cli_env("HAVEN_METRICS_LISTEN", "");
    int demo = strcmp(cli_env("HAVEN_DEMO", "0"), "1") == 0, c, sig;
    struct server *srv, *metrics_srv;
    enum log_level lvl;
    sigset_t set;

    cfg.port = parse_uint("port", cli_env("HAVEN_PORT", "8080"), 65535);
    cfg.threads = parse_uint("threads", cli_env("HAVEN_THREADS", "0"), 64);
    cfg.guard.per_address = parse_uint("HAVEN_MAX_PER_ADDRESS",
                                       cli_env("HAVEN_MAX_PER_ADDRESS", PER_ADDRESS_DEFAULT),
                                       GUARD_MAX_CONNECTIONS);
    cfg.guard.header_ms =
        parse_uint("HAVEN_HEADER_DEADLINE_MS",
                   cli_env("HAVEN_HEADER_DEADLINE_MS", HEADER_DEADLINE_DEFAULT), DEADLINE_MAX);
    cfg.guard.body_ms = parse_uint("HAVEN_BODY_DEADLINE_MS",
                                   cli_env("HAVEN_BODY_DEADLINE_MS", BODY_DEADLINE_DEFAULT),
                                   DEADLINE_MAX);
    while ((c = getopt_long(argc, argv, "b:p:d:t:Dl:z:m:M:", opts, NULL)) != -1) {
        switch (c) {
        case 'b': cfg.bind = optarg; break;
        case 'p': cfg.port = parse_uint("port", optarg, 65535); break;
        case 'd': db = optarg; break;
        case 't': cfg.threads = parse_uint("threads", optarg, 64); break;
        case 'D': demo = 1; break;
        case 'l': level = optarg; break;
        case 'z': zone = optarg; break;
        case 'm':
            cfg.guard.per_address = parse_uint("max-per-address", optarg, GUARD_MAX_CONNECTIONS);
            break;
        case 'M': metrics_listen = optarg; break;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind < argc)
        die("unexpected argument \"%s\"\n%s", argv[optind], usage);
    if (log_parse_level(level, &lvl) < 0)
        die("unknown log level \"%s\"", level);
    if (log_set_format(cli_env("HAVEN_LOG_FORMAT", "text")) < 0)
        die("HAVEN_LOG_FORMAT must be text or json");
    log_set_level(lvl);
    set_timezone(zone);
    csrf_set_secure(strcmp(cli_env("HAVEN_COOKIE_SECURE", "0"), "1") == 0);
    if (proxy_init(cli_env("HAVEN_TRUSTED_PROXY", "")) < 0)
        die("HAVEN_TRUSTED_PROXY must be one IPv4 address, like 10.0.0.2");
    if (rand_init() < 0)
        die("cannot initialise libsodium");
    /* Block the signals before threads start so that only sigwait below receives them. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    setup_public_url(cfg.bind, cfg.port);
    prepare_db(db, demo);
    cfg.store_cls = db;
    if (!(cfg.app = app_new(modules_routes)) || modules_init(cfg.app) < 0)
        die("cannot load templates");
    metrics_srv = start_metrics(&cfg, metrics_listen);
    if (!(srv = server_start(&cfg)))
        die("cannot listen on %s:%u", cfg.bind, cfg.port);
    log_info("listening on http://%s:%u (database %s, time zone %s%s)", cfg.bind,
             server_port(srv), db, zone, demo ? ", demo content" : "");
    sigwait(&set, &sig);
    log_info("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv);
    server_stop(metrics_srv);
    metrics_free();
    modules_free();
    app_free(cfg.app);
    log_info("stopped");
    return 0;
}
