/* log.c: timestamped lines on stderr; see log.h for what may be logged. */
#include "log.h"

#include <stdio.h>
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

void log_v(const char *fmt, va_list ap)
{
	char ts[32];
	stamp(ts, sizeof(ts));
	fprintf(stderr, "%s ", ts);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(fmt, ap);
	va_end(ap);
}

void log_request(const char *method, const char *path, int status)
{
	if (log_requests)
		log_msg("%s %s %d", method, path, status);
}
