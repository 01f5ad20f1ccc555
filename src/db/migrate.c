/* migrate.c: the schema of troth, one migration per entry. Every table of
 * couple data carries couple_id so no query needs to cross couples. */
#include "migrate.h"

const char *const troth_migrations[] = {
	/* 1: the foundation: a key/value table for server settings. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",

	/* 2: accounts, couples, invites. A user's data key is stored only
	 * sealed: under the password (key_pw, NULL after an operator reset) and
	 * under the recovery code (key_recovery). A couple's key is stored only
	 * sealed under each partner's data key (member.couple_key) and, while a
	 * partner invite is open, under a key derived from its code. */
	"CREATE TABLE user("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE,"
	"  display_name TEXT NOT NULL,"
	"  pw_hash TEXT NOT NULL,"
	"  key_pw BLOB,"
	"  key_recovery BLOB NOT NULL,"
	"  is_operator INTEGER NOT NULL DEFAULT 0,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE couple("
	"  id INTEGER PRIMARY KEY,"
	"  timezone TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE member("
	"  couple_id INTEGER NOT NULL REFERENCES couple(id),"
	"  user_id INTEGER NOT NULL UNIQUE REFERENCES user(id),"
	"  role TEXT NOT NULL CHECK(role IN ('hurt','accountable','both')),"
	"  couple_key BLOB NOT NULL,"
	"  joined_at INTEGER NOT NULL,"
	"  PRIMARY KEY(couple_id, user_id)"
	") STRICT;"
	"CREATE TABLE invite("
	"  id INTEGER PRIMARY KEY,"
	"  code_hash BLOB NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('partner','signup')),"
	"  couple_id INTEGER REFERENCES couple(id),"
	"  couple_key BLOB,"
	"  created_by INTEGER REFERENCES user(id),"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  used_at INTEGER,"
	"  used_by INTEGER REFERENCES user(id)"
	") STRICT;"
	"CREATE INDEX invite_couple ON invite(couple_id);",

	/* 3: rituals (issue 4). Replace this placeholder with the schema. */
	"SELECT 1;",

	/* 4: records (issue 5). Replace this placeholder with the schema. */
	"SELECT 1;",

	/* 5: roadmap, readiness, safety, agreements, transparency, vision,
	 * recovery criteria (issue 6). Replace this placeholder with the schema. */
	"SELECT 1;",
};

const size_t troth_migrations_len = sizeof(troth_migrations) / sizeof(troth_migrations[0]);
