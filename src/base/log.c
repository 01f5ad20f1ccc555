/* log.c: timestamped lines on stderr; see log.h for what may be logged. */
#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int log_requests = 1;

void log_set_requests(int on)
{
	log_requests = on;
}

static void stamp(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int log_json = 0;

void log_set_json(int on)
{
	log_json = on;
}

/* One JSON object, one line, one write. */
static void write_json(json_t *o)
{
	char s[32];
	stamp(s, sizeof(s));
	json_t *all = json_pack("{s:s}", "time", s);
	if (o && all)
		json_object_update(all, o);
	json_decref(o);
	char *line = all ? json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(all);
	if (!line)
		return;
	size_t n = strlen(line);
	line[n] = '\n'; /* over the terminator: the line and its newline, one write */
	fwrite(line, 1, n + 1, stderr);
	free(line);
}

/* One write per line, so lines from several threads never interleave. */
void log_v(const char *fmt, va_list ap)
{
	if (log_json) {
		char msg[1024];
		vsnprintf(msg, sizeof(msg), fmt, ap);
		/* a message cut inside a UTF-8 sequence would not be JSON */
		json_t *m = json_string(msg);
		write_json(json_pack("{s:o}", "message", m ? m : json_string("(not UTF-8)")));
		return;
	}
	char line[1024];
	stamp(line, 32);
	size_t n = strlen(line);
	line[n++] = ' ';
	int k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (k < 0)
		k = 0;
	n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k : sizeof(line) - n - 2;
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}

void log_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(fmt, ap);
	va_end(ap);
}

void log_request(const char *method, const char *route, int status, double ms)
{
	if (!log_requests)
		return;
	if (!log_json) {
		log_msg("%s %s %d %.1fms", method, route, status, ms);
		return;
	}
	json_t *m = json_string(method), *p = json_string(route);
	write_json(json_pack("{s:o, s:o, s:i, s:f}", "method", m ? m : json_string("?"), "route",
			     p ? p : json_string("?"), "status", status, "ms", (double)(long long)(ms * 10 + 0.5) / 10));
}
