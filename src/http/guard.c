/* guard: counts connections by address in an open-addressed table (a server holds at most a
 * thousand connections, so the table never fills), keeps the live connections in a list with
 * their deadlines, and runs a watchdog that shuts down the late ones. shutdown() rather than
 * close(): the socket stays libmicrohttpd's, which sees it end and closes it the usual way; it
 * reports the close (guard_close) before it closes the descriptor, under the same lock the
 * watchdog holds, so the watchdog never touches a descriptor already given to someone else. */
#include "http/guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "http/metrics.h"
#include "http/proxy.h"

#define PEER_SLOTS (4 * GUARD_MAX_CONNECTIONS) /* a power of two: never more than a quarter full */

struct peer {
    uint32_t addr;   /* network order */
    uint32_t open;   /* connections held; 0 = a free slot */
    bool refused_logged, cut_logged;
};

struct guard_conn {
    struct guard_conn *prev, *next;
    int fd;
    uint32_t addr;
    bool exempt;        /* the trusted proxy: counted, never limited */
    bool begun;         /* the waited-for request has started arriving */
    bool cut;
    enum guard_phase phase;
    uint64_t deadline;  /* monotonic ms; 0 = none */
};

struct guard {
    struct guard_config cfg;
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t wake;
    pthread_t watchdog;
    bool stopping;
    struct guard_conn *conns;
    struct peer peers[PEER_SLOTS];
};

uint64_t guard_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static size_t slot_of(uint32_t addr)
{
    return (size_t)((addr * 2654435761u) >> 20) & (PEER_SLOTS - 1);
}

/* The slot holding addr, or the free slot where it would go. */
static struct peer *peer_find(struct guard *g, uint32_t addr)
{
    size_t i = slot_of(addr);

    while (g->peers[i].open && g->peers[i].addr != addr)
        i = (i + 1) & (PEER_SLOTS - 1);
    return &g->peers[i];
}

/* Frees a slot, moving back the entries after it that probed past it (no tombstones). */
static void peer_remove(struct guard *g, struct peer *p)
{
    size_t i = (size_t)(p - g->peers), j = i;

    for (;;) {
        size_t home;
        j = (j + 1) & (PEER_SLOTS - 1);
        if (!g->peers[j].open)
            break;
        home = slot_of(g->peers[j].addr);
        /* Entry j may fill hole i unless its home lies cyclically in (i, j]. */
        if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
            g->peers[i] = g->peers[j];
            i = j;
        }
    }
    memset(&g->peers[i], 0, sizeof(g->peers[i]));
}

static bool ipv4_of(const struct sockaddr *sa, uint32_t *addr)
{
    if (!sa || sa->sa_family != AF_INET)
        return false;
    *addr = ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr;
    return true;
}

static const char *addr_text(uint32_t addr, char *out, size_t n)
{
    struct in_addr a = {.s_addr = addr};

    return inet_ntop(AF_INET, &a, out, (socklen_t)n) ? out : "?";
}

bool guard_admit(struct guard *g, const struct sockaddr *sa)
{
    uint32_t addr;
    struct peer *p;
    bool ok = true;
    char text[INET_ADDRSTRLEN];

    if (!g->cfg.per_address || !ipv4_of(sa, &addr) || proxy_is_trusted(sa))
        return true;
    pthread_mutex_lock(&g->lock);
    p = peer_find(g, addr);
    if (p->open >= g->cfg.per_address) {
        ok = false;
        metrics_refused();
        if (!p->refused_logged) {
            p->refused_logged = true;
            log_warn("refusing connections from %s beyond %u open at once",
                     addr_text(addr, text, sizeof(text)), g->cfg.per_address);
        }
    }
    pthread_mutex_unlock(&g->lock);
    return ok;
}

/* Sets c's deadline for phase p (under the lock). */
static void set_phase(struct guard *g, struct guard_conn *c, enum guard_phase p)
{
    unsigned ms = 0;

    switch (p) {
    case GUARD_WAITING: c->begun = false; ms = g->cfg.header_ms; break;
    case GUARD_BEGUN: c->begun = true; return; /* the header clock runs on */
    case GUARD_BODY: ms = g->cfg.body_ms; break;
    case GUARD_ANSWERING: break;
    }
    c->phase = p;
    c->deadline = ms ? guard_now_ms() + ms : 0;
}

struct guard_conn *guard_open(struct guard *g, const struct sockaddr *sa, int fd)
{
    struct guard_conn *c;
    struct peer *p;
    uint32_t addr;

    if (!ipv4_of(sa, &addr))
        return NULL;
    c = xcalloc(1, sizeof(*c));
    c->fd = fd;
    c->addr = addr;
    c->exempt = proxy_is_trusted(sa);
    pthread_mutex_lock(&g->lock);
    p = peer_find(g, addr);
    p->addr = addr;
    p->open++;
    set_phase(g, c, GUARD_WAITING);
    /* Two threads may both have admitted an address at its limit minus one: the later one goes. */
    if (g->cfg.per_address && !c->exempt && p->open > g->cfg.per_address) {
        c->cut = true;
        shutdown(fd, SHUT_RDWR);
        metrics_refused();
    }
    c->next = g->conns;
    if (g->conns)
        g->conns->prev = c;
    g->conns = c;
    pthread_mutex_unlock(&g->lock);
    return c;
}

void guard_close(struct guard *g, struct guard_conn *c)
{
    struct peer *p;

    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    p = peer_find(g, c->addr);
    if (p->open && --p->open == 0)
        peer_remove(g, p);
    pthread_mutex_unlock(&g->lock);
    free(c);
}

void guard_phase(struct guard *g, struct guard_conn *c, enum guard_phase p)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    set_phase(g, c, p);
    pthread_mutex_unlock(&g->lock);
}

/* Logs a cut once per address while it keeps connections open. Idle connections between
 * requests are closed as libmicrohttpd's timeout would close them: not worth a line. */
static void log_cut(struct guard *g, const struct guard_conn *c)
{
    struct peer *p = peer_find(g, c->addr);
    char text[INET_ADDRSTRLEN];

    if ((c->phase == GUARD_WAITING && !c->begun) || !p->open || p->cut_logged)
        return;
    p->cut_logged = true;
    log_warn("closed a connection from %s: its request's %s took longer than %u ms",
             addr_text(c->addr, text, sizeof(text)), c->phase == GUARD_BODY ? "body" : "headers",
             c->phase == GUARD_BODY ? g->cfg.body_ms : g->cfg.header_ms);
}

unsigned guard_sweep(struct guard *g, uint64_t now_ms)
{
    unsigned n = 0;

    pthread_mutex_lock(&g->lock);
    for (struct guard_conn *c = g->conns; c; c = c->next) {
        if (c->cut || !c->deadline || now_ms < c->deadline)
            continue;
        log_cut(g, c);
        metrics_cut(c->phase == GUARD_BODY);
        c->cut = true;
        shutdown(c->fd, SHUT_RDWR);
        n++;
    }
    pthread_mutex_unlock(&g->lock);
    return n;
}

unsigned guard_open_count(struct guard *g, uint32_t addr)
{
    unsigned n;

    pthread_mutex_lock(&g->lock);
    n = peer_find(g, addr)->open;
    pthread_mutex_unlock(&g->lock);
    return n;
}

/* A tenth of the shortest deadline between passes (10 ms to half a second): a cut comes at
 * most that late. */
static unsigned sweep_interval_ms(const struct guard_config *cfg)
{
    unsigned shortest = 5000, ms;

    if (cfg->header_ms && cfg->header_ms < shortest)
        shortest = cfg->header_ms;
    if (cfg->body_ms && cfg->body_ms < shortest)
        shortest = cfg->body_ms;
    ms = shortest / 10;
    return ms < 10 ? 10 : ms > 500 ? 500 : ms;
}

static void *watchdog(void *arg)
{
    struct guard *g = arg;
    unsigned interval = sweep_interval_ms(&g->cfg);
    struct timespec until;

    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += (long)interval * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        if (pthread_cond_timedwait(&g->wake, &g->lock, &until) != ETIMEDOUT)
            continue;
        pthread_mutex_unlock(&g->lock);
        guard_sweep(g, guard_now_ms());
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct guard *guard_start(const struct guard_config *cfg)
{
    struct guard *g = xcalloc(1, sizeof(*g));
    pthread_condattr_t ca;

    g->cfg = *cfg;
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    if ((cfg->header_ms || cfg->body_ms) &&
        pthread_create(&g->watchdog, NULL, watchdog, g) != 0) {
        log_error("cannot start the connection watchdog");
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void guard_stop(struct guard *g)
{
    if (!g)
        return;
    if (g->cfg.header_ms || g->cfg.body_ms) {
        pthread_mutex_lock(&g->lock);
        g->stopping = true;
        pthread_cond_signal(&g->wake);
        pthread_mutex_unlock(&g->lock);
        pthread_join(g->watchdog, NULL);
    }
    while (g->conns) {
        struct guard_conn *c = g->conns;
        g->conns = c->next;
        free(c);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}
