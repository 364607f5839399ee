/* status: only this file decides which HTTP status an error becomes. */
#include "http/status.h"

int status_of(enum err e)
{
    switch (e) {
    case E_OK: return 200;
    case E_INVALID: return 422;
    case E_NOTFOUND: return 404;
    case E_CONFLICT: return 409;
    case E_FORBIDDEN: return 403;
    case E_DB: return 500;
    case E_MALFORMED: return 400;
    case E_DENIED: return 401;
    case E_TOO_MANY: return 429;
    case E_UNAVAILABLE: return 503;
    case E_GONE: return 410;
    }
    return 500;
}

const char *status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    }
    return "Error";
}
