/* backups.c: the server's own backups (see backups.h). */
#include "backups.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/log.h"
#include "db.h"

#define PREFIX "troth-"
#define SUFFIX ".db"
/* "troth-" + "YYYYMMDDTHHMMSSZ" + ".db" */
#define NAME_LEN (sizeof(PREFIX) - 1 + 16 + sizeof(SUFFIX) - 1)
#define KEEP_MAX 1000

/* Whether name is one of our backups' names. */
static bool ours(const char *name)
{
	if (strlen(name) != NAME_LEN || strncmp(name, PREFIX, sizeof(PREFIX) - 1) ||
	    strcmp(name + NAME_LEN - (sizeof(SUFFIX) - 1), SUFFIX))
		return false;
	const char *t = name + sizeof(PREFIX) - 1;
	for (int i = 0; i < 16; i++) {
		bool digit = t[i] >= '0' && t[i] <= '9';
		if (i == 8 ? t[i] != 'T' : i == 15 ? t[i] != 'Z' : !digit)
			return false;
	}
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Deletes the oldest of dir's backups beyond the newest keep (names sort
 * as their instants do). */
static void prune(const char *dir, unsigned keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char *names[KEEP_MAX + 64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < sizeof(names) / sizeof(*names))
		if (ours(e->d_name) && (names[n] = strdup(e->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	char path[4096];
	for (size_t i = 0; i < n; i++) {
		if (i + keep < n) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (unlink(path) == 0)
				log_msg("backup: removed %s (keeping the newest %u)", names[i], keep);
		}
		free(names[i]);
	}
}

int backups_take(const char *db_path, const char *dir, unsigned keep, time_t now, char *name, size_t cap,
		 char *err, size_t errlen)
{
	struct tm tm;
	char path[4096];
	if (!gmtime_r(&now, &tm) || !strftime(name, cap, PREFIX "%Y%m%dT%H%M%SZ" SUFFIX, &tm)) {
		snprintf(err, errlen, "the time cannot be written");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (db_backup_file(db_path, path, err, errlen) < 0)
		return -1;
	prune(dir, keep < 1 ? 1 : keep > KEEP_MAX ? KEEP_MAX : keep);
	return 0;
}

int backups_dir_ok(const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	closedir(d);
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void take_logged(struct backups *b)
{
	char name[64], err[512];
	if (backups_take(b->db_path, b->dir, b->keep, time(NULL), name, sizeof(name), err, sizeof(err)) == 0)
		log_msg("backup: wrote %s/%s, checked", b->dir, name);
	else
		log_msg("backup: failed: %s", err);
}

static void *run(void *arg)
{
	struct backups *b = arg;
	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		pthread_mutex_unlock(&b->mu);
		take_logged(b);
		pthread_mutex_lock(&b->mu);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)b->hours * 3600;
		while (!b->stop && pthread_cond_timedwait(&b->wake, &b->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int backups_start(struct backups *b, const char *db_path, const char *dir, unsigned hours, unsigned keep,
		  char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	if (backups_dir_ok(dir, err, errlen) < 0)
		return -1;
	b->db_path = db_path;
	b->dir = dir;
	b->hours = hours ? hours : 24;
	b->keep = keep;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&b->thread, NULL, run, b) != 0) {
		snprintf(err, errlen, "cannot start the backup thread");
		pthread_cond_destroy(&b->wake);
		pthread_mutex_destroy(&b->mu);
		return -1;
	}
	b->running = true;
	return 0;
}

void backups_stop(struct backups *b)
{
	if (!b->running)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->mu);
	b->running = false;
}
