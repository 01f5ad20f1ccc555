/* password.h: account passwords: the argon2id hash kept in the database, its
 * check at login, and the policy a new password must meet (12 to 128
 * characters, not one of the 10,000 most common passwords nor a well-known
 * phrase, and hard enough to guess by the zxcvbn estimate; no composition
 * rules). Passwords are hashed in Unicode NFC, so the same password typed
 * on two phones (composed or decomposed accents) is the same password.
 * Hashing is slow on purpose (~100 ms, 64 MiB): call it from the worker
 * pool, never on a serving thread. Call vault_init() (sodium_init) before
 * any of these. */
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
/* The least zxcvbn estimate a new password needs, in bits: about a billion
 * guesses, years of argon2id work for one guesser. */
#define PASSWORD_MIN_BITS 30.0

/* The NFC form of pw (NUL-terminated UTF-8) in a new allocation, or NULL
 * when pw is already in NFC (every ASCII password is) or is not valid
 * UTF-8: then use pw as it is. Free with password_nfc_free, which wipes. */
char *password_nfc(const char *pw);
void password_nfc_free(char *nfc);

/* Hashes the NFC form of pw (NUL-terminated) with argon2id at PASSWORD_OPSLIMIT /
 * PASSWORD_MEMLIMIT and a random salt, writing the self-describing
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, NUL-terminated, into
 * out. Returns 0, or -1 when hashing fails (out of memory). */
int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);

/* Like password_hash with explicit limits (at least libsodium's minimum).
 * For tests, which keep limits low to stay fast, and for benchmarks;
 * production code calls password_hash. Returns 0 or -1. */
int password_hash_limits(const char *pw, char out[crypto_pwhash_STRBYTES], unsigned long long opslimit,
			 size_t memlimit);

/* Checks pw against hash (a string from password_hash, NUL-terminated):
 * its NFC form first, then, when that differs, the bytes as typed (hashes
 * made before passwords were normalised). Returns 1 when the NFC form (or
 * the password, already NFC) matches, 2 when only the raw bytes match (the
 * caller should hash it again), 0 when neither does or hash is malformed. */
int password_check(const char *hash, const char *pw);

/* password_check as 0 when it matches either way, -1 when it does not. */
int password_verify(const char *hash, const char *pw);

/* True when hash was made with other limits than troth's current ones (or
 * is not a valid argon2id string): hash the password again at login. */
bool password_needs_rehash(const char *hash);

/* Checks a new password pw[0..len) against the policy: valid UTF-8 with no
 * NUL byte, and in its NFC form 12 to 128 code points, not in the bundled
 * list of common passwords (content/common-passwords.txt, compared
 * case-insensitively on ASCII), not a well-known phrase
 * (content/common-passphrases.txt) and estimated by zxcvbn at
 * PASSWORD_MIN_BITS or more. Returns NULL when acceptable, else a short,
 * calm message saying why (a static string). Thread-safe; the lists are
 * loaded on first use. */
const char *password_check_policy(const char *pw, size_t len);

/* True when pw[0..len) is in the common-password list (ASCII
 * case-insensitive). Exposed for tests. */
bool password_is_common(const char *pw, size_t len);

/* True when pw[0..len) is one of the well-known phrases, compared on ASCII
 * letters and digits only, in any case ("Correct-Horse..." and
 * "correcthorse..." alike). Exposed for tests. */
bool password_is_common_phrase(const char *pw, size_t len);

/* The zxcvbn estimate of pw (NUL-terminated): NULL when it reaches
 * PASSWORD_MIN_BITS, else a calm sentence saying why it is easy to guess
 * (a common pattern, a date, very common words). Exposed for tests. */
const char *password_weakness(const char *pw);

#endif
