/* scratch.h: the scratch database a test made in a temporary directory,
 * removed again. */
#ifndef TROTH_TEST_SCRATCH_H
#define TROTH_TEST_SCRATCH_H

/* Removes the database at db with its -wal and -shm files, then the
 * directory dir (which must be empty by then). */
void scratch_remove(const char *dir, const char *db);

#endif
