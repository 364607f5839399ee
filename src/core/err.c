/* err: names for log lines. */
#include "core/err.h"

const char *err_name(enum err e)
{
    switch (e) {
    case E_OK: return "ok";
    case E_INVALID: return "invalid";
    case E_NOTFOUND: return "not found";
    case E_CONFLICT: return "conflict";
    case E_FORBIDDEN: return "forbidden";
    case E_DB: return "database error";
    case E_MALFORMED: return "malformed";
    case E_DENIED: return "denied";
    case E_TOO_MANY: return "too many";
    case E_UNAVAILABLE: return "unavailable";
    case E_GONE: return "gone";
    }
    return "unknown";
}
