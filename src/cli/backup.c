/* backup.c: `troth backup FILE` and `troth restore FILE`, the operator's
 * copies of the store. A backup is a consistent snapshot taken while troth
 * serve keeps serving; it holds what the database holds, so every private
 * text in it is sealed. A restore checks the file first and touches nothing
 * when the file is not sound. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

/* Parses "FILE [--db PATH]"; returns 0, or the usage error's code. */
static int args(const char *cmd, const char *usage, int argc, char **argv, const char **file,
		const char **db)
{
	*file = NULL;
	*db = "troth.db";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			*db = argv[++i];
		else if (argv[i][0] == '-' || *file)
			return cli_usage(cmd, usage, "unexpected '%s'", argv[i]);
		else
			*file = argv[i];
	}
	if (!*file)
		return cli_usage(cmd, usage, "%s", "which file?");
	return 0;
}

int cli_backup(int argc, char **argv)
{
	const char *file, *path;
	char err[512];
	int rc = args("backup", CLI_BACKUP_USAGE, argc, argv, &file, &path);
	if (rc)
		return rc;
	if (db_backup_file(path, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth backup: %s: %s.\n", file, err);
		return 1;
	}
	printf("%s: a consistent copy of %s, checked\n", file, path);
	return 0;
}

/* Renames from to to when from exists; 0 or -1. */
static int move_aside(const char *from, const char *to)
{
	if (access(from, F_OK) != 0)
		return 0;
	return rename(from, to);
}

int cli_restore(int argc, char **argv)
{
	const char *file, *path;
	int rc = args("restore", CLI_RESTORE_USAGE, argc, argv, &file, &path);
	if (rc)
		return rc;
	char err[512], tmp[4096], old[4096], from[4096], to[4096];
	if (db_file_check(file, err, sizeof(err)) < 0) {
		fprintf(stderr, "troth restore: %s cannot be restored: %s.\n"
				"Nothing was changed.\n", file, err);
		return 1;
	}
	/* a copy beside the database first, so the swap itself is one rename */
	snprintf(tmp, sizeof(tmp), "%s.restoring", path);
	unlink(tmp);
	sqlite3 *src = NULL;
	int ok = sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK
		 ? db_backup_to(src, tmp, err, sizeof(err)) : -1;
	if (!src || ok < 0)
		snprintf(err, sizeof(err), "%s", src ? sqlite3_errmsg(src) : "out of memory");
	sqlite3_close(src);
	if (ok == 0 && (db_sync_path(tmp, false) < 0 || db_file_check(tmp, err, sizeof(err)) < 0))
		ok = -1;
	if (ok < 0) {
		unlink(tmp);
		fprintf(stderr, "troth restore: %s: %s. Nothing was changed.\n", file, err);
		return 1;
	}
	/* the current database and its WAL are kept aside, never deleted: an
	 * old WAL beside the restored file would be replayed into it */
	static const char *const SUFFIX[] = { "", "-wal", "-shm" };
	snprintf(old, sizeof(old), "%s.before-restore", path);
	for (int i = 0; i < 3; i++) {
		snprintf(from, sizeof(from), "%s%s", path, SUFFIX[i]);
		snprintf(to, sizeof(to), "%s%s", old, SUFFIX[i]);
		unlink(to);
		if (move_aside(from, to) < 0) {
			fprintf(stderr, "troth restore: cannot move %s aside: %s\n", from, strerror(errno));
			return 1;
		}
	}
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "troth restore: cannot put the copy in place: %s (the old database is %s)\n",
			strerror(errno), old);
		return 1;
	}
	db_sync_path(path, true);
	printf("%s: restored from %s (the database before is kept as %s)\n", path, file, old);
	return 0;
}
