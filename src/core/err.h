/* err: the error codes domain/ and store/ return; only http/status.c maps them to HTTP. */
#ifndef HAVEN_ERR_H
#define HAVEN_ERR_H

enum err {
    E_OK = 0,
    E_INVALID,   /* input failed validation */
    E_NOTFOUND,  /* no such record */
    E_CONFLICT,  /* state does not allow it (duplicate, wrong status) */
    E_FORBIDDEN, /* caller may not do this */
    E_DB,        /* the database failed */
    E_MALFORMED, /* the request itself could not be read (not JSON, not a form) */
    E_DENIED,    /* credentials did not match (a wrong password or code) */
    E_TOO_MANY,  /* over a rate limit */
    E_UNAVAILABLE, /* a dependency is down; try again later */
    E_GONE,      /* it existed but is used up or expired (a one-time link) */
};

const char *err_name(enum err e);

#endif
