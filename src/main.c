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
#include "db/backups.h"
#include "db/db.h"
#include "features/insights.h"
#include "features/resources.h"
#include "features/push.h"
#include "features/roadmap.h"
#include "base/caltime.h"
#include "http/server.h"
#include "serve_options.h"
#include "ui/zones.h"
#include "base/log.h"
#include "http/pagecache.h"

#ifndef TROTH_VERSION
#define TROTH_VERSION "0.1.0"
#endif

/* The SQLite release that fixes the WAL-reset race (3.7.0 to 3.51.2). */
#define SQLITE_WAL_RESET_FIXED 3051003

extern char **environ;

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;           /* one line, for the list of commands */
	void (*more_help)(FILE *f); /* the options, for `troth help COMMAND` */
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_init(int argc, char **argv);

static const struct command commands[] = {
	{ "help", cmd_help, "troth help [COMMAND]", "Show the commands, or one command's help.", NULL },
	{ "version", cmd_version, "troth version", "Show troth's version and the libraries it uses.", NULL },
	{ "serve", cmd_serve, "troth serve [--config FILE] [--db PATH] [--listen ADDR] [OPTION]...",
	  "Serve the web pages and the JSON API (stop with Ctrl-C or SIGTERM).", serve_options_help },
	{ "init", cmd_init, "troth init [--db PATH]",
	  "Make a new, empty database (troth serve does not make one by itself).", NULL },
	{ "check", cmd_check, "troth check [--db PATH]",
	  "Check the database's integrity and schema (read-only, safe while serving); exit 0 when sound.", NULL },
	{ "backup", cli_backup, CLI_BACKUP_USAGE,
	  "Write a consistent copy of the database while troth serve runs.", NULL },
	{ "restore", cli_restore, CLI_RESTORE_USAGE,
	  "Put a backup in place, after checking it; the old database is kept aside.", NULL },
	{ "user", cli_user, CLI_USER_USAGE,
	  "List, add, disable or enable accounts; reset a password.", NULL },
	{ "invite", cli_invite, CLI_INVITE_USAGE,
	  "Make a signup code: one more person may make an account.", NULL },
	{ "demo", cli_demo, CLI_DEMO_USAGE,
	  "Fill a new database with a demo couple, to try troth; --couples N adds N generated couples "
	  "with Y years of records each (default 2), to measure a full store.", NULL },
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

static void print_help(const struct command *c)
{
	printf("usage: %s\n\n%s\n", c->usage, c->help);
	if (c->more_help) {
		putchar('\n');
		c->more_help(stdout);
	}
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
	print_help(c);
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

/* Serves with the options o until a stop signal. Returns the exit status. */
static int serve(struct serve_options *o)
{
	struct app app;
	char err[512];
	memset(&app, 0, sizeof(app));
	app.cfg = o->cfg;
	log_set_json(o->log_json);
	/* the roadmap: compiled in, or a therapist's adapted file, checked
	 * before anything is served */
	if ((o->content ? roadmap_load_file(o->content, err, sizeof(err)) : roadmap_init(err, sizeof(err))) != 0) {
		fprintf(stderr, "troth serve: %s\n", err);
		roadmap_shutdown();
		return 1;
	}
	/* A missing or empty database is not made anew without being asked:
	 * after a lost or deleted file, a fresh one would take new sign-ups
	 * (the first becoming operator) as if nothing had happened. */
	if (!o->init && !db_file_present(app.cfg.db_path)) {
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
	/* before the first thread: only the server's wait may take a stop signal */
	server_block_stop_signals();
	struct backups backups = { 0 };
	if (o->backup_dir && backups_start(&backups, app.cfg.db_path, o->backup_dir, o->backup_hours, o->backup_keep,
					   err, sizeof(err)) < 0) {
		fprintf(stderr, "troth serve: --backup-dir %s\n", err);
		db_close(&app.db);
		roadmap_shutdown();
		return 1;
	}
	session_init(&o->limits);
	push_sender_start(&app);
	int rc = server_run(&app);
	backups_stop(&backups);
	push_sender_stop();
	session_shutdown();
	db_close(&app.db);
	insights_forget();
	pagecache_forget();
	resources_free();
	zones_free();
	roadmap_shutdown();
	tz_free_all();
	return rc < 0 ? 1 : 0;
}

static int cmd_serve(int argc, char **argv)
{
	const struct command *c = find_command("serve");
	struct serve_options o;
	char err[512];
	int rc = 0;
	if (serve_options_parse(&o, argc, argv, environ, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth serve: %s\nusage: %s\n(troth help serve lists the options)\n", err,
			c->usage);
		rc = 2;
	} else if (o.help) {
		print_help(c);
	} else {
		rc = serve(&o);
	}
	serve_options_free(&o);
	return rc;
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
