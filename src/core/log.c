/* log: a line is formatted whole, then written with one call, so threads do not interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static bool json_lines; /* set once at start-up, before threads */
static const char *const names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level lvl)
{
    min_level = lvl;
}

int log_set_format(const char *format)
{
    if (strcmp(format, "text") && strcmp(format, "json"))
        return -1;
    json_lines = strcmp(format, "json") == 0;
    return 0;
}

/* The message as a JSON string's inside: quotes, backslashes and control bytes escaped. */
static size_t json_escape(char *out, size_t size, const char *in)
{
    size_t n = 0;

    for (; *in && n + 7 < size; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n] = '\0';
    return n;
}

int log_parse_level(const char *s, enum log_level *out)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    char line[2048], at[64], msg[1024];
    struct timespec ts;
    struct tm tm;
    va_list ap;
    int n;

    if (lvl < min_level)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(at, sizeof(at), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
        msg[0] = '\0';
    va_end(ap);
    if (json_lines) {
        char esc[sizeof(msg) * 2];
        json_escape(esc, sizeof(esc), msg);
        n = snprintf(line, sizeof(line) - 1, "{\"at\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}", at,
                     names[lvl], esc);
    } else {
        n = snprintf(line, sizeof(line) - 1, "%s %s %s", at, names[lvl], msg);
    }
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}
