/* backups.h: backups the server takes by itself (`troth serve --backup-dir
 * DIR --backup-every HOURS --backup-keep N`): one copy at start and one
 * every HOURS after, each a checked snapshot like `troth backup`, named
 * troth-YYYYMMDDTHHMMSSZ.db (its UTC instant in RFC 3339's basic form), and
 * only the newest N kept. */
#ifndef TROTH_BACKUPS_H
#define TROTH_BACKUPS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct backups {
	const char *db_path, *dir;
	unsigned hours, keep;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool stop, running;
};

/* Takes one backup of the database at db_path into dir, named for now,
 * then deletes the oldest of dir's backups beyond the newest keep (only
 * files named as these are). The name goes to name (cap bytes). Returns 0,
 * or -1 with the reason in err (nothing is deleted then). */
int backups_take(const char *db_path, const char *dir, unsigned keep, time_t now, char *name, size_t cap,
		 char *err, size_t errlen);

/* Checks that dir is a directory troth can write into. Returns 0, or -1
 * with the reason in err. */
int backups_dir_ok(const char *dir, char *err, size_t errlen);

/* Starts the thread that takes a backup now and every hours after, each
 * logged. Returns 0, or -1 with the reason in err. */
int backups_start(struct backups *b, const char *db_path, const char *dir, unsigned hours, unsigned keep,
		  char *err, size_t errlen);
/* Stops the thread (waiting for a backup under way); nothing when none
 * was started. */
void backups_stop(struct backups *b);

#endif
