/* serve_options.h: the options of `troth serve`, from three places: a
 * config file (`key = value` lines), the environment (TROTH_KEY) and the
 * command line (--key), flags over environment over file. One table
 * (serve_options.c) names every option once: its key, its value, what it
 * does, and how it is checked; the help text is printed from it. */
#ifndef TROTH_SERVE_OPTIONS_H
#define TROTH_SERVE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "auth/session.h"

struct serve_options {
	struct app_config cfg;
	struct session_limits limits;
	const char *content;      /* --content FILE, or NULL */
	bool init;                /* --init */
	bool help;                /* --help: print the options, serve nothing */
	const char *config_path;  /* --config FILE or TROTH_CONFIG, or NULL */
	char *file_text;          /* the config file's text (values point into it) */
	bool log_json;            /* --log-format json */
	const char *backup_dir;   /* --backup-dir DIR, or NULL: no backups of its own */
	unsigned backup_hours;    /* --backup-every HOURS (default 24) */
	unsigned backup_keep;     /* --backup-keep N (default 7) */
	char listen_host[64];
};

/* Fills o from the defaults, then the config file (from --config FILE or
 * TROTH_CONFIG), then environ, then argv[1..argc-1]. Returns 0, or -1 with
 * a message for the person in err ("--threads takes ...", or
 * "FILE:LINE: ..."). Call serve_options_free afterwards either way. */
int serve_options_parse(struct serve_options *o, int argc, char **argv, char **environ_,
			char *err, size_t errlen);
void serve_options_free(struct serve_options *o);

/* Prints the options, each with its flag, variable and file key. */
void serve_options_help(FILE *f);

/* Parses a --listen value into cfg: "HOST:PORT" with an IPv4 address,
 * "[IPv6]:PORT", "localhost:PORT" (127.0.0.1) or "unix:/ABSOLUTE/PATH".
 * host (hostlen bytes) keeps the host's text, as a URL writes it. Returns
 * 0, or -1 when it is none of these. */
int serve_parse_listen(const char *s, struct app_config *cfg, char *host, size_t hostlen);

#endif
