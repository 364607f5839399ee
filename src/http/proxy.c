/* proxy: only the last hop of the last X-Forwarded-For line is believed: it is the one the
 * trusted proxy added (appending to the client's line, or adding a line of its own); anything
 * before it the client could have written. */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* Written once at start-up, then only read. */
static char trusted[INET_ADDRSTRLEN];
static struct in_addr trusted_addr;

int proxy_init(const char *addr)
{
    struct in_addr a;

    trusted[0] = '\0';
    if (!addr || !*addr)
        return 0;
    if (inet_pton(AF_INET, addr, &a) != 1)
        return -1;
    inet_ntop(AF_INET, &a, trusted, sizeof(trusted));
    trusted_addr = a;
    return 0;
}

bool proxy_is_trusted(const struct sockaddr *sa)
{
    return trusted[0] && sa && sa->sa_family == AF_INET &&
           ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr == trusted_addr.s_addr;
}

void proxy_client_address(struct req *r)
{
    const char *xff, *hop;
    char text[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    size_t n;

    if (!trusted[0] || !r->client || strcmp(r->client, trusted) != 0 ||
        !(xff = req_header_last(r, "X-Forwarded-For")))
        return;
    hop = strrchr(xff, ',');
    hop = hop ? hop + 1 : xff;
    hop += strspn(hop, " \t");
    n = strcspn(hop, " \t");
    if (n == 0 || n >= sizeof(text) || hop[n + strspn(hop + n, " \t")] != '\0')
        return;
    memcpy(text, hop, n);
    text[n] = '\0';
    if (inet_pton(AF_INET, text, bin) == 1 || inet_pton(AF_INET6, text, bin) == 1)
        r->client = arena_strdup(r->arena, text);
}
