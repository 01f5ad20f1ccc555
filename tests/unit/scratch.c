/* scratch.c: see scratch.h. */
#include "scratch.h"

#include <stdio.h>
#include <unistd.h>

void scratch_remove(const char *dir, const char *db)
{
	char p[256];
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", db, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}
