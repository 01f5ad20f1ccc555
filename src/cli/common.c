/* common.c: what the operator's commands share: usage errors, opening the
 * database, reading a password from standard input, printing stored names
 * safely. See cli.h. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

int cli_usage(const char *cmd, const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "troth %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: %s\n", usage);
	return 2;
}

int cli_open_db(const char *cmd, struct db *db, const char *path, bool create)
{
	char err[512];
	if (!create && access(path, F_OK) != 0) {
		fprintf(stderr, "troth %s: there is no database at %s.\n"
				"Give its path with --db PATH (troth serve creates one on first start).\n",
			cmd, path);
		return 1;
	}
	if (db_open(db, path, create, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth %s: %s\n", cmd, err);
		return 1;
	}
	return 0;
}

/* Reads one line into out. Returns its length, or -1 at end of input or
 * when the line does not fit. The rest of a long line is read and wiped. */
static long read_line(char *out, size_t cap)
{
	size_t n = 0;
	int c;
	bool overflow = false;
	while ((c = getchar()) != EOF && c != '\n') {
		if (n + 1 < cap)
			out[n++] = (char)c;
		else
			overflow = true;
	}
	if (n && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	if (overflow) {
		sodium_memzero(out, cap);
		return -1;
	}
	if (c == EOF && n == 0)
		return -1;
	return (long)n;
}

/* Reads a line from the terminal with echo off. */
static long read_hidden(const char *prompt, char *out, size_t cap)
{
	struct termios old, quiet;
	bool hidden = tcgetattr(STDIN_FILENO, &old) == 0;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	if (hidden) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	long n = read_line(out, cap);
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	return n;
}

int cli_read_password(const char *cmd, const char *prompt, char *out, size_t cap)
{
	long n;
	if (isatty(STDIN_FILENO)) {
		char again[1024];
		n = read_hidden(prompt, out, cap);
		if (n > 0) {
			long m = read_hidden("Type it again: ", again, sizeof(again));
			bool same = m == n && sodium_memcmp(out, again, (size_t)n) == 0;
			sodium_memzero(again, sizeof(again));
			if (!same) {
				sodium_memzero(out, cap);
				fprintf(stderr, "troth %s: the two passwords were not the same. "
						"Nothing has changed.\n", cmd);
				return 1;
			}
		}
	} else {
		n = read_line(out, cap);
	}
	if (n < 0) {
		fprintf(stderr, "troth %s: no password came in on standard input, or it was too long.\n"
				"Give it as one line, for example: printf '%%s\\n' \"$password\" | troth %s …\n",
			cmd, cmd);
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "troth %s: the password is empty. Nothing has changed.\n", cmd);
		return 1;
	}
	return 0;
}

void cli_put_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; p && *p; p++) {
		/* C0 controls, DEL, and the C1 controls U+0080..U+009F (C2 80..C2 9F). */
		if (*p < 0x20 || *p == 0x7f) {
			putchar('?');
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putchar('?');
			p++;
		} else {
			putchar(*p);
		}
	}
}
