/* proxy: the client's real address behind a trusted reverse proxy (HAVEN_TRUSTED_PROXY). Every
 * request's r->client goes through it, so audit entries, sign-in throttling and the public
 * rate limits see the person, not the proxy. */
#ifndef HAVEN_PROXY_H
#define HAVEN_PROXY_H

#include <stdbool.h>

#include "http/req.h"

struct sockaddr;

/* Trusts X-Forwarded-For from this one IPv4 address (NULL or "" = trust nobody). Call once at
 * start-up, before threads. Returns 0, or -1 when addr is not an IPv4 address. */
int proxy_init(const char *addr);
/* When the peer is the trusted proxy, sets r->client to the last hop of X-Forwarded-For (the
 * address the proxy saw), if it is a valid address; otherwise r->client stays the peer. */
void proxy_client_address(struct req *r);
/* Whether a peer is the trusted proxy (which speaks for many clients: http/guard.c does not
 * limit its connections). */
bool proxy_is_trusted(const struct sockaddr *sa);

#endif
