/* vault.h: the keys that keep each partner's words private, and the one pair
 * of helpers (vault_seal / vault_open) every feature uses to store free text.
 *
 * Pure functions over libsodium: no I/O, no SQL, no globals beyond
 * sodium_init. Every user has a random 32-byte data key; it is stored only
 * sealed, once under a key derived from the password (argon2id) and once under
 * a recovery code the user keeps. Each couple has a random key, sealed under
 * each partner's data key. Records are sealed with XChaCha20-Poly1305 with the
 * record's identity as associated data, so a blob moved to another record, or
 * changed by one bit, does not open.
 *
 * Every blob this file makes is a self-describing byte string for a BLOB
 * column. Every function that reads one accepts garbage of any length and
 * returns -1 for it. Functions that fail leave `out` as it was. */
#ifndef TROTH_VAULT_H
#define TROTH_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>
#include <sqlite3.h>

#include "base/arena.h"
#include "base/buf.h"

/* A data key (a user's or a couple's). */
#define VAULT_KEY_BYTES 32u

/* Production argon2id limits for the password-derived wrapping key: at least
 * libsodium's INTERACTIVE (2 passes, 64 MiB). Raising them is safe: old blobs
 * carry their own limits and vault_password_needs_rewrap tells when to reseal. */
#define VAULT_PWHASH_OPSLIMIT ((unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE)
#define VAULT_PWHASH_MEMLIMIT ((size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE)

/* Upper bounds accepted when reading a blob, so a tampered blob cannot ask
 * for hours of work or gigabytes of memory. */
#define VAULT_PWHASH_OPSLIMIT_CAP 16ull
#define VAULT_PWHASH_MEMLIMIT_CAP ((size_t)1 << 30)

/* A recovery code: 6 groups of 5 Crockford base32 symbols joined by dashes,
 * "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" (30 symbols = 150 random bits). */
#define VAULT_RECOVERY_SYMBOLS 30u
#define VAULT_RECOVERY_GROUP 5u
#define VAULT_RECOVERY_CODE_SIZE 36u /* 30 symbols + 5 dashes + NUL */

/* Sizes of the blobs (for tests and column checks). */
#define VAULT_SEAL_OVERHEAD \
	(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define VAULT_PASSWORD_BLOB_BYTES 106u /* ver, alg, ops(8), mem(8), salt(16), nonce(24), ct(48) */
#define VAULT_RECOVERY_BLOB_BYTES 90u  /* ver, alg, salt(16), nonce(24), ct(48) */
#define VAULT_KEYWRAP_BLOB_BYTES 74u   /* ver, alg, nonce(24), ct(48) */

/* Initialises libsodium. Call once at start-up, before any other vault or
 * password function (safe to call again). Returns 0, or -1 when libsodium
 * cannot initialise (then nothing here may be used). */
int vault_init(void);

/* Fills key with VAULT_KEY_BYTES fresh random bytes. */
void vault_new_key(unsigned char key[VAULT_KEY_BYTES]);

/* Seals key under a key derived from password (NUL-terminated, any bytes)
 * with argon2id13 at VAULT_PWHASH_OPSLIMIT / VAULT_PWHASH_MEMLIMIT and a fresh
 * random salt, then XChaCha20-Poly1305. Appends VAULT_PASSWORD_BLOB_BYTES
 * bytes to out. Slow on purpose (~100 ms, 64 MiB): not on a serving thread.
 * Returns 0, or -1 (out unchanged) when the KDF fails (out of memory). */
int vault_wrap_password(const unsigned char key[VAULT_KEY_BYTES], const char *password,
			struct buf *out);

/* Like vault_wrap_password with explicit argon2id limits, which must lie
 * between libsodium's minimum and the VAULT_PWHASH_*_CAP bounds. For tests
 * (low limits keep them fast) and for benchmarks; production code calls
 * vault_wrap_password. Returns 0, or -1 on bad limits or KDF failure. */
int vault_wrap_password_limits(const unsigned char key[VAULT_KEY_BYTES], const char *password,
			       unsigned long long opslimit, size_t memlimit, struct buf *out);

/* Opens a blob from vault_wrap_password(_limits) with password into key.
 * Returns 0, or -1 for a wrong password, a tampered, truncated or malformed
 * blob, or limits outside the accepted bounds (key is then zeroed). */
int vault_unwrap_password(const void *blob, size_t n, const char *password,
			  unsigned char key[VAULT_KEY_BYTES]);

/* True when a password blob was made with limits below the current
 * VAULT_PWHASH_* (or is malformed): reseal it at the next login, when the
 * password is at hand. */
bool vault_password_needs_rewrap(const void *blob, size_t n);

/* Writes a new random recovery code, "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
 * (uppercase Crockford base32, 150 bits), NUL-terminated, into out. */
void vault_recovery_code(char out[VAULT_RECOVERY_CODE_SIZE]);

/* Writes the canonical form of a typed recovery code into out: uppercase,
 * spaces, tabs and dashes dropped, O read as 0, I and L read as 1, no dashes
 * ("ABCDE..." , 30 symbols and a NUL). Returns 0, or -1 when the code has a
 * character outside Crockford base32 or the wrong number of symbols. */
int vault_recovery_normalise(const char *code, char out[VAULT_RECOVERY_SYMBOLS + 1]);

/* Seals key under the recovery code (normalised first, so how it is typed
 * does not matter). Appends VAULT_RECOVERY_BLOB_BYTES bytes to out. Fast.
 * Returns 0, or -1 (out unchanged) when code is not a well-formed code. */
int vault_wrap_recovery(const unsigned char key[VAULT_KEY_BYTES], const char *code,
			struct buf *out);

/* Opens a blob from vault_wrap_recovery with a code as the user typed it
 * (any case, with or without spaces and dashes). Returns 0, or -1 for a
 * wrong or malformed code or a tampered/malformed blob (key zeroed). */
int vault_unwrap_recovery(const void *blob, size_t n, const char *code,
			  unsigned char key[VAULT_KEY_BYTES]);

/* Seals key (e.g. the couple key) under kek (e.g. a partner's data key).
 * Appends VAULT_KEYWRAP_BLOB_BYTES bytes to out. Returns 0. */
int vault_wrap_key(const unsigned char kek[VAULT_KEY_BYTES], const unsigned char key[VAULT_KEY_BYTES],
		   struct buf *out);

/* Opens a blob from vault_wrap_key with kek into key. Returns 0, or -1 for a
 * wrong kek or a tampered/truncated/malformed blob (key zeroed). */
int vault_unwrap_key(const unsigned char kek[VAULT_KEY_BYTES], const void *blob, size_t n,
		     unsigned char key[VAULT_KEY_BYTES]);

/* Seals plain[0..n) under key with XChaCha20-Poly1305 and ad (NUL-terminated:
 * the record's identity, e.g. "checkin:42:increased"; NULL means "") bound as
 * associated data. Appends a random 24-byte nonce then the ciphertext and
 * 16-byte tag (n + VAULT_SEAL_OVERHEAD bytes) to out. plain may be NULL when
 * n is 0. Returns 0, or -1 when n is beyond what the cipher allows. */
int vault_seal(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *plain,
	       size_t n, struct buf *out);

/* Opens sealed[0..n) from vault_seal with key and the same ad, appending the
 * plaintext (NUL-terminated as every buf is) to out. Returns 0, or -1 (out
 * unchanged) for a wrong key, a different ad, any tampering or truncation.
 * Note: a plaintext in a buf lives in ordinary heap memory; release the buf
 * promptly. */
int vault_open(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *sealed,
	       size_t n, struct buf *out);

/* ---- sealing a record's text ----
 * Every free text a record keeps is sealed with the record's identity as
 * associated data, "<kind>:<id>:<field>" (e.g. "checkin:42:need"), so a
 * blob copied to another record or field does not open. Before sealing, the
 * text is padded (ISO/IEC 7816-4, sodium_pad) to its bucket,
 * vault_pad_bucket: the blob's size tells only which power of two, from
 * VAULT_PAD_FLOOR up, holds the text. A padded blob is bound to
 * "padded:<kind>:<id>:<field>", which is how it is told from a blob sealed
 * before padding (bound to the identity alone, opened as it is). These are
 * the only place those formats are written. */

/* The smallest bucket; a text of n bytes fills the first power of two
 * from VAULT_PAD_FLOOR above n (one byte at least is padding). */
#define VAULT_PAD_FLOOR 64u
size_t vault_pad_bucket(size_t n);

/* Seals text (NUL-terminated) as field of record kind/id, padded, into out
 * (cleared first). NULL or "" seals nothing: out stays empty (it binds as
 * NULL, see the 'B' type in db.h). Returns 0, or -1 when the text is too
 * long for the cipher. */
int vault_seal_row(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		   const char *field, const char *text, struct buf *out);
/* Opens a blob sealed by vault_seal_row (padded or from before padding),
 * appending the text, padding stripped, to out. Returns 0, or -1 when it
 * does not open (wrong key, another record, bad padding). */
int vault_open_row(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		   const char *field, const void *blob, size_t n, struct buf *out);

/* ---- sealing a record's numbers ----
 * Scores, intensities and other small numbers of a record are sealed the
 * same way, as one field holding them as text ("7,3,9"), so a blob is one
 * bucket (VAULT_PAD_FLOOR bytes of plaintext) whatever they are. */
#define VAULT_INTS_MAX 16u
/* Seals v[0..count) as field of record kind/id into out (cleared first).
 * Returns 0, or -1 when count is above VAULT_INTS_MAX. */
int vault_seal_ints(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		    const char *field, const int *v, size_t count, struct buf *out);
/* Opens a blob from vault_seal_ints into v[0..count). Returns 0, or -1 (v
 * unchanged) when there is no key or blob, it does not open, or it does
 * not hold exactly count numbers. */
int vault_open_ints(const unsigned char *key, const char *kind, long long id, const char *field,
		    const void *blob, size_t n, int *v, size_t count);

/* The same into a string of arena a. NULL when there is no text (blob NULL
 * or empty), no key, or the blob does not open: the one convention for
 * "no text to show". The plaintext leaves no copy outside the arena. */
const char *vault_open_text(struct arena *a, const unsigned char *key, const char *kind,
			    long long id, const char *field, const void *blob, size_t n);

/* Allocates VAULT_KEY_BYTES of guarded, locked memory (sodium_malloc: not
 * swapped out, guard pages around it, wiped when freed). Sessions hold keys
 * only in such memory. The bytes are not initialised. Returns NULL when out
 * of memory. */
unsigned char *vault_key_alloc(void);

/* Wipes and frees a key from vault_key_alloc. NULL is a no-op. */
void vault_key_free(unsigned char *key);

/* Seals text as field of record kind/id (vault_seal_row) and stores it
 * with update, the owner's UPDATE statement taking the record's id as ?1
 * and the sealed blob as ?2 (NULL or "" stores NULL). Returns SQLITE_OK,
 * SQLITE_TOOBIG when the text is too long for the cipher, or the
 * statement's error. */
int vault_store_row(sqlite3 *w, const char *update, const unsigned char key[VAULT_KEY_BYTES],
		    const char *kind, long long id, const char *field, const char *text);

/* vault_open_text of column col of st's current row. */
const char *vault_open_col(struct arena *a, const unsigned char *key, const char *kind, long long id,
			   const char *field, sqlite3_stmt *st, int col);

/* The end of adding a record: rc and id are what its INSERT … RETURNING id
 * gave (SQLITE_ROW with the new row's id). Stores text, when there is
 * some, as field with update (vault_store_row), then sets *id_out to id.
 * Returns SQLITE_OK or the error. */
int vault_store_new_row(sqlite3 *w, int rc, long long id, const char *update,
			const unsigned char key[VAULT_KEY_BYTES], const char *kind, const char *field,
			const char *text, long long *id_out);

/* ---- a counsellor's key pair: sealed boxes to a public key ----
 * A counsellor holds an X25519 key pair (crypto_box). A key a couple shares
 * with them is sealed to the public key (crypto_box_seal: only the holder
 * of the secret key opens it); the secret key itself is kept sealed under
 * the counsellor's data key (vault_seal_row). */
#define VAULT_BOX_PUBLIC_BYTES 32u
#define VAULT_BOX_SECRET_BYTES 32u
#define VAULT_BOXED_KEY_BYTES (VAULT_KEY_BYTES + 48u) /* crypto_box_SEALBYTES + key */

/* Fills pk and sk with a fresh X25519 key pair. */
void vault_box_keypair(unsigned char pk[VAULT_BOX_PUBLIC_BYTES], unsigned char sk[VAULT_BOX_SECRET_BYTES]);
/* Seals key to the public key pk (anonymous sender): appends
 * VAULT_BOXED_KEY_BYTES bytes to out. Returns 0, or -1 for a bad pk. */
int vault_box_key(const unsigned char pk[VAULT_BOX_PUBLIC_BYTES], const unsigned char key[VAULT_KEY_BYTES],
		  struct buf *out);
/* Opens a blob from vault_box_key with the key pair into key. Returns 0,
 * or -1 for another key pair or a tampered or malformed blob (key zeroed). */
int vault_unbox_key(const unsigned char pk[VAULT_BOX_PUBLIC_BYTES], const unsigned char sk[VAULT_BOX_SECRET_BYTES],
		    const void *blob, size_t n, unsigned char key[VAULT_KEY_BYTES]);

#endif
