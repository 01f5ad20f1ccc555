/* log.c: timestamped lines on stderr; see log.h for what may be logged. */
#include "log.h"

#include <stdio.h>
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

/* One write per line, so lines from several threads never interleave. */
void log_v(const char *fmt, va_list ap)
{
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

void log_request(const char *method, const char *path, int status)
{
	if (log_requests)
		log_msg("%s %s %d", method, path, status);
}
