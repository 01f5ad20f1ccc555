/* main.c: the `troth` command: one table of subcommands (after git's
 * commands[]), each with its handler, usage and one line of help. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "base/buf.h"
#include "auth/auth.h"
#include "auth/session.h"
#include "auth/vault.h"
#include "cli/cli.h"
#include "db/db.h"
#include "features/resources.h"
#include "features/roadmap.h"
#include "base/caltime.h"
#include "http/server.h"

#ifndef TROTH_VERSION
#define TROTH_VERSION "0.1.0"
#endif

/* The SQLite release that fixes the WAL-reset race (3.7.0 to 3.51.2). */
#define SQLITE_WAL_RESET_FIXED 3051003

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_init(int argc, char **argv);

static const struct command commands[] = {
	{ "help", cmd_help, "troth help [COMMAND]", "Show the commands, or one command's help." },
	{ "version", cmd_version, "troth version", "Show troth's version and the libraries it uses." },
	{ "serve", cmd_serve,
	  "troth serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--exit-url URL] [--tls]\n"
	  "            [--content FILE] [--idle-minutes N] [--max-hours N] [--public-url URL]\n"
	  "            [--trusted-proxy ADDR]... [--max-conns-per-address N] [--init]",
	  "Serve the web pages and the JSON API (stop with Ctrl-C or SIGTERM).\n"
	  "--db PATH is the database (default troth.db); it must exist (troth init).\n"
	  "--init makes a new database at PATH when there is none (or it is empty).\n"
	  "--listen ADDR:PORT is where to listen (default 127.0.0.1:8080).\n"
	  "--threads N serves with N threads (default one per CPU core).\n"
	  "--exit-url URL is where the quick exit goes.\n"
	  "--tls says people reach troth over HTTPS (through a proxy).\n"
	  "--content FILE serves an adapted roadmap (see content/roadmap.txt for the format).\n"
	  "--idle-minutes N ends a session after N quiet minutes (default 30);\n"
	  "--max-hours N ends every session after N hours (default 12).\n"
	  "--public-url URL is the address people use, such as https://example.org/;\n"
	  "  calendar and invite links start with it (default http://ADDR:PORT/).\n"
	  "--trusted-proxy ADDR believes X-Forwarded-For and X-Forwarded-Proto from the\n"
	  "  reverse proxy at ADDR (repeat it for more proxies, at most 8).\n"
	  "--max-conns-per-address N lets one client address hold N connections\n"
	  "  (default 64); behind a reverse proxy, at least the proxy's own limit." },
	{ "init", cmd_init, "troth init [--db PATH]",
	  "Make a new, empty database (troth serve does not make one by itself)." },
	{ "check", cmd_check, "troth check [--db PATH]",
	  "Check the database's integrity and schema (read-only, safe while serving); exit 0 when sound." },
	{ "backup", cli_backup, CLI_BACKUP_USAGE,
	  "Write a consistent copy of the database while troth serve runs." },
	{ "restore", cli_restore, CLI_RESTORE_USAGE,
	  "Put a backup in place, after checking it; the old database is kept aside." },
	{ "user", cli_user, CLI_USER_USAGE,
	  "List, add, disable or enable accounts; reset a password." },
	{ "invite", cli_invite, CLI_INVITE_USAGE,
	  "Make a signup code: one more person may make an account." },
	{ "demo", cli_demo, CLI_DEMO_USAGE,
	  "Fill a new database with a demo couple, to try troth." },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void list_commands(FILE *f)
{
	fprintf(f, "usage: troth COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'troth help COMMAND' for one command's options.\n");
}

static int usage_error(const struct command *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "troth %s: ", c->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: %s\n", c->usage);
	return 2;
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 1) {
		list_commands(stdout);
		return 0;
	}
	const struct command *c = find_command(argv[1]);
	if (argc > 2 || !c) {
		fprintf(stderr, "troth help: no such command '%s'\n", argv[1]);
		list_commands(stderr);
		return 2;
	}
	printf("usage: %s\n\n%s\n", c->usage, c->help);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error(find_command("version"), "unexpected argument '%s'", argv[1]);
	printf("troth %s\n", TROTH_VERSION);
	printf("libmicrohttpd %s\n", MHD_get_version());
	printf("SQLite %s\n", sqlite3_libversion());
	printf("libsodium %s\n", sodium_version_string());
	printf("jansson %s\n", jansson_version_str());
	if (sqlite3_libversion_number() < SQLITE_WAL_RESET_FIXED)
		printf("note: this SQLite predates 3.51.3 and carries the WAL-reset race; "
		       "troth sends every write through one connection, which avoids it.\n");
	return 0;
}

/* Parses "HOST:PORT" (PORT 0..65535). Returns 0 or -1. */
/* A whole number from 1 to max, written in full in s; 0 when s is not one. */
static unsigned long parse_count(const char *s, unsigned long max)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	return *end || n > max ? 0 : n;
}

static int parse_listen(const char *s, struct app_config *cfg, char *host, size_t hostlen)
{
	const char *colon = strrchr(s, ':');
	char *end;
	if (!colon || colon == s || (size_t)(colon - s) >= hostlen)
		return -1;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port > 65535)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	cfg->listen_host = host;
	cfg->port = (unsigned short)port;
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	const struct command *c = find_command("serve");
	static char host[64];
	const char *content = NULL;
	struct session_limits limits = { 30 * 60, 12 * 60 * 60 };
	struct app app;
	char err[512];
	bool init = false;
	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--tls")) {
			app.cfg.tls = true;
			continue;
		}
		if (!strcmp(a, "--init")) {
			init = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: %s\n\n%s\n", c->usage, c->help);
			return 0;
		}
		if (strcmp(a, "--db") && strcmp(a, "--listen") && strcmp(a, "--threads") &&
		    strcmp(a, "--exit-url") && strcmp(a, "--content") && strcmp(a, "--idle-minutes") &&
		    strcmp(a, "--max-hours") && strcmp(a, "--public-url") &&
		    strcmp(a, "--trusted-proxy") && strcmp(a, "--max-conns-per-address"))
			return usage_error(c, "unknown option '%s'", a);
		if (!v)
			return usage_error(c, "%s needs a value", a);
		i++;
		if (!strcmp(a, "--db")) {
			app.cfg.db_path = v;
		} else if (!strcmp(a, "--listen")) {
			if (parse_listen(v, &app.cfg, host, sizeof(host)) < 0)
				return usage_error(c, "--listen takes ADDR:PORT, not '%s'", v);
		} else if (!strcmp(a, "--threads")) {
			unsigned long n = parse_count(v, 256);
			if (!n)
				return usage_error(c, "--threads takes a number from 1 to 256, not '%s'", v);
			app.cfg.threads = (unsigned)n;
		} else if (!strcmp(a, "--public-url")) {
			if (app_set_public_url(&app.cfg, v) < 0)
				return usage_error(c, "--public-url takes http(s)://HOST[:PORT][/PATH], not '%s'", v);
		} else if (!strcmp(a, "--trusted-proxy")) {
			if (app_add_trusted_proxy(&app.cfg, v) < 0)
				return usage_error(c, "--trusted-proxy takes an IP address (at most 8), not '%s'", v);
		} else if (!strcmp(a, "--max-conns-per-address")) {
			unsigned long n = parse_count(v, 1024);
			if (!n)
				return usage_error(c, "--max-conns-per-address takes 1 to 1024, not '%s'", v);
			app.cfg.max_conns_per_address = (unsigned)n;
		} else if (!strcmp(a, "--content")) {
			content = v;
		} else if (!strcmp(a, "--idle-minutes") || !strcmp(a, "--max-hours")) {
			bool idle = !strcmp(a, "--idle-minutes");
			unsigned long n = parse_count(v, idle ? 1440 : 168);
			if (!n)
				return usage_error(c, idle ? "--idle-minutes takes 1 to 1440, not '%s'"
							   : "--max-hours takes 1 to 168, not '%s'", v);
			if (idle)
				limits.idle_seconds = (int)n * 60;
			else
				limits.absolute_seconds = (int)n * 3600;
		} else {
			if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7))
				return usage_error(c, "--exit-url takes an http(s) URL, not '%s'", v);
			app.cfg.exit_url = v;
		}
	}
	/* the roadmap: compiled in, or a therapist's adapted file, checked
	 * before anything is served */
	if ((content ? roadmap_load_file(content, err, sizeof(err)) : roadmap_init(err, sizeof(err))) != 0) {
		fprintf(stderr, "troth serve: %s\n", err);
		roadmap_shutdown();
		return 1;
	}
	/* A missing or empty database is not made anew without being asked:
	 * after a lost or deleted file, a fresh one would take new sign-ups
	 * (the first becoming operator) as if nothing had happened. */
	if (!init && !db_file_present(app.cfg.db_path)) {
		fprintf(stderr, "troth serve: there is no database at %s (or the file is empty).\n"
				"To start a new one, run: troth init --db %s\n"
				"If there was one, restore it from a backup: troth restore FILE --db %s\n",
			app.cfg.db_path, app.cfg.db_path, app.cfg.db_path);
		roadmap_shutdown();
		return 1;
	}
	if (db_open(&app.db, app.cfg.db_path, true, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth serve: %s\n", err);
		roadmap_shutdown();
		return 1;
	}
	session_init(&limits);
	int rc = server_run(&app);
	session_shutdown();
	db_close(&app.db);
	resources_free();
	roadmap_shutdown();
	tz_free_all();
	return rc < 0 ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
	const struct command *c = find_command("check");
	const char *path = "troth.db";
	char err[512];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else
			return usage_error(c, "unknown option '%s'", argv[i]);
	}
	/* read-only, so it is safe beside a running troth serve */
	int ok = access(path, F_OK) == 0 ? db_file_check(path, err, sizeof(err)) : -1;
	if (access(path, F_OK) != 0)
		snprintf(err, sizeof(err), "there is no database there");
	if (ok < 0) {
		fprintf(stderr, "troth check: %s: %s\n", path, err);
		return 1;
	}
	printf("%s: ok\n", path);
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	const struct command *c = find_command("init");
	const char *path = "troth.db";
	char err[512];
	struct db db;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else
			return usage_error(c, "unknown option '%s'", argv[i]);
	}
	if (db_file_present(path)) {
		fprintf(stderr, "troth init: %s holds a database already; nothing was changed.\n", path);
		return 1;
	}
	if (db_open(&db, path, true, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth init: %s\n", err);
		return 1;
	}
	db_close(&db);
	printf("%s: a new, empty troth database\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	db_library_init();
	if (vault_init() < 0)
		die("libsodium cannot start");
	auth_install();
	if (argc < 2) {
		list_commands(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	const struct command *c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "troth: '%s' is not a troth command\n\n", argv[1]);
		list_commands(stderr);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
