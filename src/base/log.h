/* log.h: the server log on stderr. Logs carry methods, paths, ids and
 * status codes, never content, passwords or tokens. */
#ifndef TROTH_LOG_H
#define TROTH_LOG_H

#include <stdarg.h>

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_v(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* One line per request: method, the route pattern (never the path, which
 * can hold ids or a feed's secret), status and duration in milliseconds. */
void log_request(const char *method, const char *route, int status, double ms);
/* 1: every line is one JSON object ({"time", "message"} or, for a request,
 * {"time", "method", "route", "status", "ms"}); 0: plain text (default). */
void log_set_json(int on);
/* 0 silences request lines (tests, benchmarks). */
void log_set_requests(int on);

#endif
