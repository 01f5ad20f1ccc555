/* migrate.h: the schema, as an ordered list of migrations. Migration i
 * brings the database from user_version i to i+1, in one transaction.
 * Append only: a released migration is never edited. */
#ifndef TROTH_MIGRATE_H
#define TROTH_MIGRATE_H

#include <stddef.h>

extern const char *const troth_migrations[];
extern const size_t troth_migrations_len;

#endif
