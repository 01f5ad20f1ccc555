/* password.h: account passwords: the argon2id hash kept in the database, its
 * check at login, and the policy a new password must meet (12 to 128
 * characters, not one of the 10,000 most common passwords, no composition
 * rules). Hashing is slow on purpose (~100 ms, 64 MiB): call it from the
 * worker pool, never on a serving thread. Call vault_init() (sodium_init)
 * before any of these. */
#ifndef TROTH_PASSWORD_H
#define TROTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

/* troth's argon2id limits: at least libsodium's INTERACTIVE (2 passes,
 * 64 MiB). When these rise, password_needs_rehash says so for older hashes. */
#define PASSWORD_OPSLIMIT ((unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE)
#define PASSWORD_MEMLIMIT ((size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE)

/* Policy bounds, in Unicode code points. */
#define PASSWORD_MIN_CHARS 12u
#define PASSWORD_MAX_CHARS 128u

/* Hashes pw (NUL-terminated) with argon2id at PASSWORD_OPSLIMIT /
 * PASSWORD_MEMLIMIT and a random salt, writing the self-describing
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, NUL-terminated, into
 * out. Returns 0, or -1 when hashing fails (out of memory). */
int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);

/* Like password_hash with explicit limits (at least libsodium's minimum).
 * For tests, which keep limits low to stay fast, and for benchmarks;
 * production code calls password_hash. Returns 0 or -1. */
int password_hash_limits(const char *pw, char out[crypto_pwhash_STRBYTES], unsigned long long opslimit,
			 size_t memlimit);

/* Checks pw against hash (a string from password_hash, NUL-terminated).
 * Returns 0 when it matches, -1 when it does not or hash is malformed. */
int password_verify(const char *hash, const char *pw);

/* True when hash was made with other limits than troth's current ones (or
 * is not a valid argon2id string): hash the password again at login. */
bool password_needs_rehash(const char *hash);

/* Checks a new password pw[0..len) against the policy: valid UTF-8 with no
 * NUL byte, 12 to 128 code points, and not in the bundled list of common
 * passwords (content/common-passwords.txt, compared case-insensitively on
 * ASCII). Returns NULL when acceptable, else a short, calm message to show
 * the user (a static string). Thread-safe; the list is loaded on first use. */
const char *password_check_policy(const char *pw, size_t len);

/* True when pw[0..len) is in the common-password list (ASCII
 * case-insensitive). Exposed for tests. */
bool password_is_common(const char *pw, size_t len);

#endif
