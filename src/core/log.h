/* log: one line per event on stderr. Never a name, answer, form value or query string:
 * record ids, routes and statuses only. */
#ifndef HAVEN_LOG_H
#define HAVEN_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* "text" (the default: "TIME LEVEL message") or "json" (one object a line: at, level, msg);
 * -1 for another name. Call once at start-up, before threads. */
int log_set_format(const char *format);
/* Parses "debug", "info", "warn", "error"; -1 if unknown. */
int log_parse_level(const char *s, enum log_level *out);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
