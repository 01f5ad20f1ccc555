/* migrate.c: the schema of troth, one migration per entry. Every table of
 * couple data carries couple_id so no query needs to cross couples. */
#include "migrate.h"

const char *const troth_migrations[] = {
	/* 1: the foundation: a key/value table for server settings. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
};

const size_t troth_migrations_len = sizeof(troth_migrations) / sizeof(troth_migrations[0]);
