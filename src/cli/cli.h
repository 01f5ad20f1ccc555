/* cli.h: the operator's commands that work on the database directly:
 * `troth user …`, `troth invite`, `troth demo`, `troth backup` and
 * `troth restore`. main.c's command table
 * points at these handlers and shows the usage strings below.
 *
 * Exit codes, the same for every command: 0 done, 1 it could not be done
 * (no such user, a weak password, the database cannot be opened), 2 the
 * command line was wrong (then the usage is printed on stderr). */
#ifndef TROTH_CLI_H
#define TROTH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

#define CLI_USER_USAGE                                                                        \
	"troth user list [--db PATH]\n"                                                       \
	"       troth user add USERNAME --display-name NAME [--operator] [--db PATH]\n"       \
	"       troth user disable USERNAME [--db PATH]\n"                                     \
	"       troth user enable USERNAME [--db PATH]\n"                                      \
	"       troth user make-operator USERNAME [--db PATH]\n"                               \
	"       troth user reset-password USERNAME [--db PATH]\n"                              \
	"(add and reset-password read the password from standard input, one line)"
#define CLI_INVITE_USAGE "troth invite [--db PATH] [--days N]"
#define CLI_BACKUP_USAGE "troth backup FILE [--db PATH]"
#define CLI_RESTORE_USAGE "troth restore FILE [--db PATH]   (stop troth serve first)"
#define CLI_DEMO_USAGE "troth demo [--db PATH] [--scenario recovering|stalled|unsafe|healing|rug_sweeping|both_broke] [--couples N [--years Y]]"

/* The handlers: argv[0] is the command's own name. Return the exit code. */
int cli_user(int argc, char **argv);
int cli_invite(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);

/* Shared by the handlers (cli/common.c). */

/* Prints "troth CMD: MESSAGE" and the usage on stderr; returns 2. */
int cli_usage(const char *cmd, const char *usage, const char *fmt, const char *arg);

/* Opens the database at path; `create` false means it must exist already.
 * Returns 0, or 1 after telling the person why on stderr. */
int cli_open_db(const char *cmd, struct db *db, const char *path, bool create);

/* Reads a password, one line, from standard input into out (cap bytes,
 * NUL-terminated, the newline dropped). On a terminal it prompts on stderr
 * with `prompt`, hides the typing and asks a second time to confirm.
 * Returns 0, or 1 after saying why on stderr (nothing read, too long, the
 * two did not match). The caller wipes out with sodium_memzero. */
int cli_read_password(const char *cmd, const char *prompt, char *out, size_t cap);

/* Writes s to stdout with control characters shown as '?', so a stored
 * name cannot move the cursor or recolour the operator's terminal. */
void cli_put_safe(const char *s);

#endif
