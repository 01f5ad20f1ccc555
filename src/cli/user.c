/* user.c: `troth user list|add|disable|enable|reset-password` and
 * `troth invite`, for whoever runs the server. They show accounts and
 * memberships, never anything a couple wrote, and they cannot open anyone's
 * private data: an operator reset leaves a user's notes locked until the
 * user enters their own recovery code. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/account.h"
#include "auth/password.h"
#include "base/caltime.h"

#define PASSWORD_CAP 1024   /* bytes; the policy allows 128 characters */

/* The options every subcommand shares, gathered from anywhere on the line. */
struct user_args {
	const char *db_path;
	const char *display_name;
	bool operator_flag;
	const char *pos[2];     /* positional words after the subcommand */
	int npos;
};

static int usage(const char *fmt, const char *arg)
{
	return cli_usage("user", CLI_USER_USAGE, fmt, arg);
}

/* Parses argv[2..] (after "user SUB"). Returns 0, or 2 after a usage error.
 * `allow_add` admits --display-name and --operator. */
static int parse_args(int argc, char **argv, bool allow_add, struct user_args *a)
{
	memset(a, 0, sizeof(*a));
	a->db_path = "troth.db";
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--db") || (allow_add && !strcmp(s, "--display-name"))) {
			if (i + 1 >= argc)
				return usage("%s needs a value", s);
			if (!strcmp(s, "--db"))
				a->db_path = argv[++i];
			else
				a->display_name = argv[++i];
		} else if (allow_add && !strcmp(s, "--operator")) {
			a->operator_flag = true;
		} else if (s[0] == '-' && s[1]) {
			return usage("unknown option '%s'", s);
		} else if (a->npos < 2) {
			a->pos[a->npos++] = s;
		} else {
			return usage("unexpected argument '%s'", s);
		}
	}
	return 0;
}

/* Prints one line per account: no content, no partner's name. */
static int user_list(int argc, char **argv)
{
	struct user_args a;
	struct db db;
	int rc = parse_args(argc, argv, false, &a);
	if (rc)
		return rc;
	if (a.npos)
		return usage("'user list' takes no argument, not '%s'", a.pos[0]);
	if (cli_open_db("user list", &db, a.db_path, false))
		return 1;
	sqlite3 *c = db.writer;
	sqlite3_stmt *st = acct_users_list(c);
	if (!st) {
		fprintf(stderr, "troth user list: %s\n", sqlite3_errmsg(c));
		db_close(&db);
		return 1;
	}
	int n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!n++)
			printf("%5s  %-16s  %-8s  %-8s  %-6s  %s\n", "id", "username", "operator",
			       "disabled", "couple", "display name");
		printf("%5lld  ", (long long)sqlite3_column_int64(st, 0));
		cli_put_safe((const char *)sqlite3_column_text(st, 1));
		int pad = 16 - sqlite3_column_bytes(st, 1);
		printf("%*s  %-8s  %-8s  %-6s  ", pad > 0 ? pad : 0, "",
		       sqlite3_column_int(st, 3) ? "yes" : "no",
		       sqlite3_column_int(st, 4) ? "yes" : "no",
		       sqlite3_column_int(st, 5) ? "yes" : "no");
		cli_put_safe((const char *)sqlite3_column_text(st, 2));
		putchar('\n');
	}
	db_done(st);
	int out = 0;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "troth user list: %s\n", sqlite3_errmsg(c));
		out = 1;
	} else if (!n) {
		printf("There are no accounts yet. `troth user add` or the sign-up page makes the first one.\n");
	}
	db_close(&db);
	return out;
}

/* Whether username exists: 0 yes, 1 no, else an SQLite error (said on stderr). */
static int user_exists(struct db *db, const char *cmd, const char *username)
{
	long long all = 0, n = 0;
	int rc = acct_count_users(db->writer, &username, 1, &all, &n);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "troth %s: %s\n", cmd, sqlite3_errmsg(db->writer));
		return rc;
	}
	return n ? 0 : 1;
}

static void say_no_such_user(const char *cmd, const char *username)
{
	fprintf(stderr, "troth %s: there is no account named '%s'. "
			"`troth user list` shows them all.\n", cmd, username);
}

/* Reads a new password and checks it against the policy. Returns 0 or 1. */
static int read_new_password(const char *cmd, const char *username, char *pw, size_t cap)
{
	char prompt[128];
	snprintf(prompt, sizeof(prompt), "New password for %s: ", username);
	if (cli_read_password(cmd, prompt, pw, cap))
		return 1;
	const char *why = password_check_policy(pw, strlen(pw));
	if (why) {
		sodium_memzero(pw, cap);
		fprintf(stderr, "troth %s: %s Nothing has changed.\n", cmd, why);
		return 1;
	}
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *cmd = "user add";
	struct user_args a;
	struct db db;
	struct signup_job job;
	char pw[PASSWORD_CAP];
	char code[INVITE_CODE_SIZE];
	unsigned char couple_key[VAULT_KEY_BYTES];
	long long users = 0, uid = 0;
	bool joined = false;
	int rc = parse_args(argc, argv, true, &a), out = 1;
	const char *why;
	if (rc)
		return rc;
	if (a.npos != 1)
		return usage("%s", a.npos ? "'user add' takes one username" : "'user add' needs a username");
	if (!a.display_name)
		return usage("%s", "'user add' needs --display-name NAME");
	if ((why = acct_check_username(a.pos[0])) || (why = acct_check_display_name(a.display_name))) {
		fprintf(stderr, "troth %s: %s\n", cmd, why);
		return 1;
	}
	if (cli_open_db(cmd, &db, a.db_path, false))
		return 1;
	if ((rc = user_exists(&db, cmd, a.pos[0])) != 1) {
		if (rc == 0)
			fprintf(stderr, "troth %s: the username '%s' is taken already.\n", cmd, a.pos[0]);
		goto done;
	}
	if (read_new_password(cmd, a.pos[0], pw, sizeof(pw)))
		goto done;

	memset(&job, 0, sizeof(job));
	job.password = pw;
	signup_job_run(&job);
	sodium_memzero(pw, sizeof(pw));
	if (job.failed) {
		fprintf(stderr, "troth %s: the password could not be hashed (out of memory?).\n", cmd);
		goto wipe;
	}
	/* After the first account, a sign-up needs a code: make one, use it at once. */
	code[0] = '\0';
	long long none = 0;
	if ((rc = acct_count_users(db.writer, NULL, 0, &users, &none)) != SQLITE_OK ||
	    (users && (rc = acct_signup_code(&db, 0, code)) != SQLITE_OK)) {
		fprintf(stderr, "troth %s: %s\n", cmd, sqlite3_errstr(rc));
		goto wipe;
	}
	enum acct_err e = acct_signup(&db, a.pos[0], a.display_name, code[0] ? code : NULL, NULL,
				      &job, &uid, &joined, couple_key, &rc);
	if (e == ACCT_USERNAME_TAKEN) {
		fprintf(stderr, "troth %s: the username '%s' is taken already.\n", cmd, a.pos[0]);
		goto wipe;
	} else if (e != ACCT_OK) {
		fprintf(stderr, "troth %s: the account could not be stored (%s).\n", cmd,
			sqlite3_errstr(rc));
		goto wipe;
	}
	if (a.operator_flag && users && (rc = acct_make_operator(&db, a.pos[0])) != SQLITE_OK) {
		fprintf(stderr, "troth %s: the account '%s' was made, but not as an operator (%s).\n", cmd,
			a.pos[0], sqlite3_errstr(rc));
		goto wipe;
	}
	printf("The account '%s' is ready", a.pos[0]);
	if (!users)
		printf(", as this server's operator (the first account always is)");
	else if (a.operator_flag)
		printf(", as an operator");
	printf(".\n\nRecovery code: %s\n\n", job.recovery);
	printf("Please pass this code on to its owner, privately. It is shown only this once.\n"
	       "If their password is ever reset, this code is the only way to open their\n"
	       "private notes again. Nobody else can do it for them, not even the operator.\n");
	out = 0;
wipe:
	sodium_memzero(couple_key, sizeof(couple_key));
	signup_job_wipe(&job);
done:
	sodium_memzero(pw, sizeof(pw));
	db_close(&db);
	return out;
}

/* What `troth user disable|enable|make-operator USERNAME` does to one account. */
enum user_change { USER_DISABLE, USER_ENABLE, USER_MAKE_OPERATOR };

static int user_change(int argc, char **argv, enum user_change what)
{
	static const char *const CMD[] = { "user disable", "user enable", "user make-operator" };
	const char *cmd = CMD[what];
	struct user_args a;
	struct db db;
	int rc = parse_args(argc, argv, false, &a);
	if (rc)
		return rc;
	if (a.npos != 1)
		return usage("'%s' takes one username", cmd);
	if (cli_open_db(cmd, &db, a.db_path, false))
		return 1;
	rc = what == USER_MAKE_OPERATOR ? acct_make_operator(&db, a.pos[0])
					: acct_set_disabled(&db, a.pos[0], what == USER_DISABLE);
	db_close(&db);
	if (rc == 1) {
		say_no_such_user(cmd, a.pos[0]);
		return 1;
	}
	if (rc != SQLITE_OK) {
		fprintf(stderr, "troth %s: %s\n", cmd, sqlite3_errstr(rc));
		return 1;
	}
	if (what == USER_DISABLE)
		printf("'%s' can no longer log in. If they are logged in now, that ends with\n"
		       "their next click. Nothing they wrote is deleted; `troth user enable %s`\n"
		       "lets them back in.\n", a.pos[0], a.pos[0]);
	else if (what == USER_ENABLE)
		printf("'%s' can log in again.\n", a.pos[0]);
	else
		printf("'%s' is an operator now: they can make sign-up codes and see the\n"
		       "server's page. Like every operator, they cannot read anyone's notes.\n",
		       a.pos[0]);
	return 0;
}

static int user_reset_password(int argc, char **argv)
{
	const char *cmd = "user reset-password";
	struct user_args a;
	struct db db;
	char pw[PASSWORD_CAP];
	int rc = parse_args(argc, argv, false, &a), out = 1;
	if (rc)
		return rc;
	if (a.npos != 1)
		return usage("%s", "'user reset-password' takes one username");
	if (cli_open_db(cmd, &db, a.db_path, false))
		return 1;
	if ((rc = user_exists(&db, cmd, a.pos[0])) != 0) {
		if (rc == 1)
			say_no_such_user(cmd, a.pos[0]);
		goto done;
	}
	if (read_new_password(cmd, a.pos[0], pw, sizeof(pw)))
		goto done;
	rc = acct_operator_reset(&db, a.pos[0], pw);
	sodium_memzero(pw, sizeof(pw));
	if (rc == 1) {
		say_no_such_user(cmd, a.pos[0]);
		goto done;
	} else if (rc) {
		fprintf(stderr, "troth %s: the new password could not be stored (%s).\n", cmd,
			sqlite3_errstr(rc));
		goto done;
	}
	printf("Done. '%s' can log in now with the new password.\n\n"
	       "Their private notes stay locked until they enter their own recovery code\n"
	       "in Settings, and so does their side of what the couple shares.\n"
	       "The operator cannot unlock them; only that recovery code can.\n\n"
	       "Please pass the new password on privately, and ask them to change it.\n",
	       a.pos[0]);
	out = 0;
done:
	sodium_memzero(pw, sizeof(pw));
	db_close(&db);
	return out;
}

int cli_user(int argc, char **argv)
{
	if (argc < 2)
		return usage("%s", "which one: list, add, disable, enable, make-operator or reset-password?");
	const char *sub = argv[1];
	if (!strcmp(sub, "list"))
		return user_list(argc, argv);
	if (!strcmp(sub, "add"))
		return user_add(argc, argv);
	if (!strcmp(sub, "disable"))
		return user_change(argc, argv, USER_DISABLE);
	if (!strcmp(sub, "enable"))
		return user_change(argc, argv, USER_ENABLE);
	if (!strcmp(sub, "reset-password"))
		return user_reset_password(argc, argv);
	if (!strcmp(sub, "make-operator"))
		return user_change(argc, argv, USER_MAKE_OPERATOR);
	return usage("'%s' is not one of list, add, disable, enable, make-operator, reset-password", sub);
}

int cli_invite(int argc, char **argv)
{
	const char *db_path = "troth.db";
	long days = INVITE_DAYS;
	struct db db;
	char code[INVITE_CODE_SIZE];
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--db") && strcmp(s, "--days"))
			return cli_usage("invite", CLI_INVITE_USAGE, "unknown option '%s'", s);
		if (i + 1 >= argc)
			return cli_usage("invite", CLI_INVITE_USAGE, "%s needs a value", s);
		const char *v = argv[++i];
		if (!strcmp(s, "--db")) {
			db_path = v;
		} else {
			char *end;
			errno = 0;
			days = strtol(v, &end, 10);
			if (errno || *end || end == v || days < 1 || days > 90)
				return cli_usage("invite", CLI_INVITE_USAGE,
						 "--days takes a number from 1 to 90, not '%s'", v);
		}
	}
	if (cli_open_db("invite", &db, db_path, false))
		return 1;
	int rc = acct_signup_code(&db, 0, code);
	if (rc == SQLITE_OK && days != INVITE_DAYS) {
		/* The code's row is the writer's last insert; only its lifetime changes. */
		long long id = sqlite3_last_insert_rowid(db.writer);
		sqlite3 *w = db_write_begin(&db);
		rc = db_run(w, "UPDATE invite SET expires_at = created_at + ?2"
			       " WHERE id = ?1 AND kind = 'signup'", "ii", id, (long long)days * 86400);
		int end = db_write_end(&db, rc == SQLITE_OK);
		if (rc == SQLITE_OK)
			rc = end;
	}
	db_close(&db);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "troth invite: the code could not be stored (%s).\n", sqlite3_errstr(rc));
		return 1;
	}
	char when[21];
	instant_format(time(NULL) + (time_t)days * 86400, when);
	printf("Signup code: %s\n\n", code);
	printf("It lets one person make an account, once, within %ld day%s (until %s).\n"
	       "They enter it on the sign-up page. Please pass it on privately.\n",
	       days, days == 1 ? "" : "s", when);
	return 0;
}
