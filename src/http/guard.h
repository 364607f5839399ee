/* guard: keeps one client from holding the server (slowloris): at most so many connections
 * per address (the trusted proxy's excepted: every client comes through it), a deadline for a
 * request's headers counted from when the server starts waiting for them, and one for its body.
 * libmicrohttpd's own timeout restarts on every byte, so a client sending one byte in 29 s
 * would keep a connection for ever; these clocks never restart. A connection past its deadline
 * is shut down (the client sees it closed). Each address is logged once while it has
 * connections open, however often it is refused or cut. Thread-safe: the server's worker
 * threads report, a watchdog thread of the guard's own cuts. */
#ifndef HAVEN_GUARD_H
#define HAVEN_GUARD_H

#include <stdbool.h>
#include <stdint.h>

/* The most connections a server may hold (libmicrohttpd's connection limit). */
#define GUARD_MAX_CONNECTIONS 1024

struct sockaddr;
struct guard;
struct guard_conn;

struct guard_config {
    unsigned per_address; /* connections one address may hold at once; 0 = no limit */
    unsigned header_ms;   /* a request's headers, from connection or last answer; 0 = none */
    unsigned body_ms;     /* its body, from the end of its headers; 0 = none */
};

/* Where a connection is, which sets its deadline. */
enum guard_phase {
    GUARD_WAITING,   /* for a request's headers: the header clock starts */
    GUARD_BEGUN,     /* its request line arrived: a cut is now worth a log line (same clock) */
    GUARD_BODY,      /* headers read, body arriving: the body clock starts */
    GUARD_ANSWERING, /* the request is read: no deadline (libmicrohttpd's timeout applies) */
};

/* Starts the guard and its watchdog thread; NULL (logged) when the thread cannot start. */
struct guard *guard_start(const struct guard_config *cfg);
/* Stops the watchdog and frees the guard; the server must have stopped first. NULL is fine. */
void guard_stop(struct guard *g);
/* Whether a connection from sa may be accepted (the accept policy): false when its address
 * holds its limit already (logged once). Addresses other than IPv4 are not limited. */
bool guard_admit(struct guard *g, const struct sockaddr *sa);
/* A connection started (socket fd, peer sa): counts it and starts its header clock. Returns
 * its record (the connection's socket context), NULL for an untracked kind of address. When
 * a race between threads let the address past its limit, the new connection is cut at once. */
struct guard_conn *guard_open(struct guard *g, const struct sockaddr *sa, int fd);
/* The connection closed (before its socket is): forgets it. c may be NULL. */
void guard_close(struct guard *g, struct guard_conn *c);
/* The connection moved on (c may be NULL). */
void guard_phase(struct guard *g, struct guard_conn *c, enum guard_phase p);
/* One pass of the watchdog at monotonic time now_ms: shuts down each connection past its
 * deadline. Returns how many it cut. (Exported for tests; the watchdog calls it.) */
unsigned guard_sweep(struct guard *g, uint64_t now_ms);
/* Connections the address holds now (tests; addr in network order). */
unsigned guard_open_count(struct guard *g, uint32_t addr);
/* The monotonic clock the guard reads, in milliseconds. */
uint64_t guard_now_ms(void);

#endif
