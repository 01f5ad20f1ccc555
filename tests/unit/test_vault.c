/* test_vault.c: the vault keeps its promises: a sealed record opens only with
 * the right key and the right record identity, any change to a blob is
 * caught, a password or recovery code opens the data key and nothing else
 * does, and a password change leaves the old password useless. Argon2 runs at
 * libsodium's minimum limits here (through vault_wrap_password_limits) to keep
 * the tests fast, except one round trip at the production limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/vault.h"

#define FAST_OPS ((unsigned long long)crypto_pwhash_OPSLIMIT_MIN)
#define FAST_MEM ((size_t)crypto_pwhash_MEMLIMIT_MIN)

static const char secret[] = "I felt relieved when you told me the truth.";

static int setup(void **state)
{
	(void)state;
	return vault_init();
}

static void seal_open_round_trip(void **state)
{
	unsigned char key[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_seal(key, "checkin:42:increased", secret, strlen(secret), &sealed), 0);
	assert_int_equal(sealed.len, strlen(secret) + VAULT_SEAL_OVERHEAD);
	assert_null(memmem(sealed.s, sealed.len, "relieved", 8)); /* no plaintext in the blob */
	assert_int_equal(vault_open(key, "checkin:42:increased", sealed.s, sealed.len, &plain), 0);
	assert_int_equal(plain.len, strlen(secret));
	assert_string_equal(plain.s, secret);

	/* Sealing the same text twice gives different blobs (fresh nonce). */
	struct buf again = BUF_INIT;
	assert_int_equal(vault_seal(key, "checkin:42:increased", secret, strlen(secret), &again), 0);
	assert_int_equal(again.len, sealed.len);
	assert_memory_not_equal(again.s, sealed.s, sealed.len);

	/* Empty text and binary text with NULs round-trip too. */
	struct buf e = BUF_INIT, eo = BUF_INIT;
	assert_int_equal(vault_seal(key, "note:1", NULL, 0, &e), 0);
	assert_int_equal(e.len, VAULT_SEAL_OVERHEAD);
	assert_int_equal(vault_open(key, "note:1", e.s, e.len, &eo), 0);
	assert_int_equal(eo.len, 0);
	const char bin[] = { 'a', 0, 'b', 0, (char)0xff };
	buf_reset(&e);
	buf_reset(&eo);
	assert_int_equal(vault_seal(key, NULL, bin, sizeof bin, &e), 0);
	assert_int_equal(vault_open(key, "", e.s, e.len, &eo), 0); /* NULL ad means "" */
	assert_int_equal(eo.len, sizeof bin);
	assert_memory_equal(eo.s, bin, sizeof bin);

	buf_release(&sealed);
	buf_release(&plain);
	buf_release(&again);
	buf_release(&e);
	buf_release(&eo);
}

static void seal_appends_and_open_failure_leaves_out_alone(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], other[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, out = BUF_INIT;
	(void)state;

	vault_new_key(key);
	vault_new_key(other);
	buf_adds(&sealed, "prefix");
	assert_int_equal(vault_seal(key, "a", "hello", 5, &sealed), 0);
	assert_memory_equal(sealed.s, "prefix", 6);
	buf_adds(&out, "kept");
	assert_int_equal(vault_open(other, "a", sealed.s + 6, sealed.len - 6, &out), -1);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.s, "kept");
	assert_int_equal(vault_open(key, "a", sealed.s + 6, sealed.len - 6, &out), 0);
	assert_string_equal(out.s, "kepthello");
	buf_release(&sealed);
	buf_release(&out);
}

static void open_with_wrong_key_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], other[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	vault_new_key(other);
	assert_memory_not_equal(key, other, VAULT_KEY_BYTES);
	assert_int_equal(vault_seal(key, "journal:7", secret, strlen(secret), &sealed), 0);
	assert_int_equal(vault_open(other, "journal:7", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(plain.len, 0);
	buf_release(&sealed);
	buf_release(&plain);
}

static void open_with_wrong_associated_data_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_seal(key, "checkin:42:increased", secret, strlen(secret), &sealed), 0);
	/* The same blob copied to another record, field or couple does not open. */
	assert_int_equal(vault_open(key, "checkin:43:increased", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(vault_open(key, "checkin:42:decreased", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(vault_open(key, "checkin:42:increase", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(vault_open(key, "", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(vault_open(key, NULL, sealed.s, sealed.len, &plain), -1);
	assert_int_equal(plain.len, 0);
	buf_release(&sealed);
	buf_release(&plain);
}

static void any_flipped_bit_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_seal(key, "r:1", "short text", 10, &sealed), 0);
	for (size_t i = 0; i < sealed.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			sealed.s[i] ^= (char)(1 << bit);
			assert_int_equal(vault_open(key, "r:1", sealed.s, sealed.len, &plain), -1);
			sealed.s[i] ^= (char)(1 << bit);
		}
	}
	assert_int_equal(plain.len, 0);
	assert_int_equal(vault_open(key, "r:1", sealed.s, sealed.len, &plain), 0);
	buf_release(&sealed);
	buf_release(&plain);
}

static void truncated_or_extended_input_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_seal(key, "r:2", secret, strlen(secret), &sealed), 0);
	for (size_t n = 0; n < sealed.len; n++)
		assert_int_equal(vault_open(key, "r:2", sealed.s, n, &plain), -1);
	/* Cut from the front too. */
	for (size_t k = 1; k < sealed.len; k++)
		assert_int_equal(vault_open(key, "r:2", sealed.s + k, sealed.len - k, &plain), -1);
	buf_addch(&sealed, 'x');
	assert_int_equal(vault_open(key, "r:2", sealed.s, sealed.len, &plain), -1);
	assert_int_equal(vault_open(key, "r:2", NULL, 0, &plain), -1);
	assert_int_equal(plain.len, 0);
	buf_release(&sealed);
	buf_release(&plain);
}

static void password_wrap_unwrap(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf blob = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_wrap_password_limits(key, "correct horse battery", FAST_OPS, FAST_MEM, &blob), 0);
	assert_int_equal(blob.len, VAULT_PASSWORD_BLOB_BYTES);
	assert_null(memmem(blob.s, blob.len, key, VAULT_KEY_BYTES));
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "correct horse battery", got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);
	/* Made with low limits: the server should reseal at the next login. */
	assert_true(vault_password_needs_rewrap(blob.s, blob.len));
	buf_release(&blob);
}

static void password_wrap_at_production_limits(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf blob = BUF_INIT;
	(void)state;

	assert_true(VAULT_PWHASH_OPSLIMIT >= crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_true(VAULT_PWHASH_MEMLIMIT >= crypto_pwhash_MEMLIMIT_INTERACTIVE);
	vault_new_key(key);
	assert_int_equal(vault_wrap_password(key, "a long enough passphrase", &blob), 0);
	assert_false(vault_password_needs_rewrap(blob.s, blob.len));
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "a long enough passphrase", got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);
	buf_release(&blob);
}

static void wrong_password_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf blob = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_wrap_password_limits(key, "correct horse battery", FAST_OPS, FAST_MEM, &blob), 0);
	memset(got, 0xaa, sizeof got);
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "correct horse batterY", got), -1);
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "", got), -1);
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, NULL, got), -1);
	/* A failed unwrap leaves no key material behind. */
	unsigned char zero[VAULT_KEY_BYTES] = { 0 };
	assert_memory_equal(got, zero, VAULT_KEY_BYTES);
	buf_release(&blob);
}

static void password_blob_tampering_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf blob = BUF_INIT;
	(void)state;

	vault_new_key(key);
	assert_int_equal(vault_wrap_password_limits(key, "pw pw pw pw pw", FAST_OPS, FAST_MEM, &blob), 0);
	/* One flipped bit per byte, header included. A flipped limit either stays
	 * small (argon2 runs and the tag check fails) or leaves the accepted
	 * bounds (refused before any argon2 run). */
	for (size_t i = 0; i < blob.len; i++) {
		blob.s[i] ^= (char)0x80;
		assert_int_equal(vault_unwrap_password(blob.s, blob.len, "pw pw pw pw pw", got), -1);
		blob.s[i] ^= (char)0x80;
	}
	/* The limits are bound: a blob claiming other (valid) limits fails. */
	blob.s[2] = 2; /* opslimit 1 -> 2 */
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "pw pw pw pw pw", got), -1);
	blob.s[2] = (char)FAST_OPS;
	for (size_t n = 0; n < blob.len; n++)
		assert_int_equal(vault_unwrap_password(blob.s, n, "pw pw pw pw pw", got), -1);
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, "pw pw pw pw pw", got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);
	buf_release(&blob);
}

static void password_change_reseals(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf oldblob = BUF_INIT, newblob = BUF_INIT, sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	/* Sign-up: a data key sealed under the first password; a record sealed. */
	vault_new_key(key);
	assert_int_equal(vault_wrap_password_limits(key, "first password here", FAST_OPS, FAST_MEM, &oldblob), 0);
	assert_int_equal(vault_seal(key, "journal:1", secret, strlen(secret), &sealed), 0);

	/* Change: open with the old password, seal under the new one. */
	assert_int_equal(vault_unwrap_password(oldblob.s, oldblob.len, "first password here", got), 0);
	assert_int_equal(vault_wrap_password_limits(got, "second password now", FAST_OPS, FAST_MEM, &newblob), 0);
	buf_release(&oldblob); /* the server replaces the stored blob */

	/* The new password opens the same key, so old records still open. */
	memset(got, 0, sizeof got);
	assert_int_equal(vault_unwrap_password(newblob.s, newblob.len, "second password now", got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);
	assert_int_equal(vault_open(got, "journal:1", sealed.s, sealed.len, &plain), 0);
	assert_string_equal(plain.s, secret);
	/* The old password no longer opens anything. */
	assert_int_equal(vault_unwrap_password(newblob.s, newblob.len, "first password here", got), -1);

	buf_release(&newblob);
	buf_release(&sealed);
	buf_release(&plain);
}

static void recovery_code_shape_and_uniqueness(void **state)
{
	char a[VAULT_RECOVERY_CODE_SIZE], b[VAULT_RECOVERY_CODE_SIZE];
	(void)state;

	vault_recovery_code(a);
	vault_recovery_code(b);
	assert_int_equal(strlen(a), VAULT_RECOVERY_CODE_SIZE - 1);
	for (size_t i = 0; a[i]; i++) {
		if (i % (VAULT_RECOVERY_GROUP + 1) == VAULT_RECOVERY_GROUP)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]));
	}
	assert_string_not_equal(a, b);
}

static void recovery_round_trip_as_typed(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	char code[VAULT_RECOVERY_CODE_SIZE], typed[3 * VAULT_RECOVERY_CODE_SIZE];
	struct buf blob = BUF_INIT;
	size_t j;
	(void)state;

	vault_new_key(key);
	vault_recovery_code(code);
	assert_int_equal(vault_wrap_recovery(key, code, &blob), 0);
	assert_int_equal(blob.len, VAULT_RECOVERY_BLOB_BYTES);

	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, code, got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);

	/* Lowercase, spaces instead of dashes. */
	j = 0;
	for (size_t i = 0; code[i]; i++) {
		char c = code[i];
		typed[j++] = c == '-' ? ' ' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	typed[j] = '\0';
	memset(got, 0, sizeof got);
	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, typed, got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);

	/* All run together, with a stray space and dashes, 0 typed as O and 1 as
	 * l or I, with spaces around. */
	j = 0;
	typed[j++] = ' ';
	for (size_t i = 0; code[i]; i++) {
		char c = code[i];
		if (c == '-')
			continue;
		typed[j++] = c == '0' ? 'o' : c == '1' ? (i % 2 ? 'l' : 'I') : c;
		if (i == 3)
			typed[j++] = ' ';
		if (i == 7)
			typed[j++] = '-';
	}
	typed[j++] = ' ';
	typed[j] = '\0';
	memset(got, 0, sizeof got);
	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, typed, got), 0);
	assert_memory_equal(got, key, VAULT_KEY_BYTES);
	buf_release(&blob);
}

static void recovery_normalise_rules(void **state)
{
	char out[VAULT_RECOVERY_SYMBOLS + 1];
	(void)state;

	assert_int_equal(vault_recovery_normalise("abcde-fghjk-mnpqr-stvwx-yz0o1-iLl23", out), 0);
	assert_string_equal(out, "ABCDEFGHJKMNPQRSTVWXYZ00111123");
	assert_int_equal(vault_recovery_normalise("ABCDE-FGHJK-MNPQR-STVWX-YZ012-3456", out), -1); /* 29 */
	assert_int_equal(vault_recovery_normalise("ABCDE-FGHJK-MNPQR-STVWX-YZ012-345678", out), -1); /* 31 */
	assert_int_equal(vault_recovery_normalise("ABCDE-FGHJK-MNPQR-STVWX-YZ012-3456U", out), -1); /* U */
	assert_int_equal(vault_recovery_normalise("ABCDE-FGHJK-MNPQR-STVWX-YZ012-3456!", out), -1);
	assert_int_equal(vault_recovery_normalise("ABCDE-FGHJK-MNPQR-STVWX-YZ012-3456\xc3\xa9", out), -1);
	assert_int_equal(vault_recovery_normalise("", out), -1);
	assert_int_equal(vault_recovery_normalise(NULL, out), -1);
}

static void recovery_code_off_by_one_character_fails(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	char code[VAULT_RECOVERY_CODE_SIZE], other[VAULT_RECOVERY_CODE_SIZE];
	struct buf blob = BUF_INIT;
	(void)state;

	vault_new_key(key);
	vault_recovery_code(code);
	assert_int_equal(vault_wrap_recovery(key, code, &blob), 0);
	for (size_t i = 0; code[i]; i++) {
		if (code[i] == '-')
			continue;
		memcpy(other, code, sizeof other);
		other[i] = code[i] == 'Z' ? 'Y' : code[i] == '9' ? 'A' : (char)(code[i] + 1);
		if (other[i] == 'I' || other[i] == 'L' || other[i] == 'O' || other[i] == 'U')
			other[i]++;
		assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, other, got), -1);
	}
	/* A different code altogether, and garbage. */
	vault_recovery_code(other);
	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, other, got), -1);
	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, "not a code", got), -1);
	/* Tampered or truncated blob. */
	for (size_t i = 0; i < blob.len; i++) {
		blob.s[i] ^= 4;
		assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, code, got), -1);
		blob.s[i] ^= 4;
	}
	for (size_t n = 0; n < blob.len; n++)
		assert_int_equal(vault_unwrap_recovery(blob.s, n, code, got), -1);
	/* A password blob is not a recovery blob, and vice versa. */
	assert_int_equal(vault_unwrap_password(blob.s, blob.len, code, got), -1);
	assert_int_equal(vault_unwrap_recovery(blob.s, blob.len, code, got), 0);
	buf_release(&blob);
}

static void recovery_after_operator_reset(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	char code[VAULT_RECOVERY_CODE_SIZE];
	struct buf pwblob = BUF_INIT, rcblob = BUF_INIT, sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	vault_new_key(key);
	vault_recovery_code(code);
	assert_int_equal(vault_wrap_password_limits(key, "forgotten password", FAST_OPS, FAST_MEM, &pwblob), 0);
	assert_int_equal(vault_wrap_recovery(key, code, &rcblob), 0);
	assert_int_equal(vault_seal(key, "journal:9", secret, strlen(secret), &sealed), 0);
	/* The operator sets a new password; it cannot open the old blob. */
	assert_int_equal(vault_unwrap_password(pwblob.s, pwblob.len, "operator's temporary", got), -1);
	/* The user's recovery code restores the key and the records. */
	assert_int_equal(vault_unwrap_recovery(rcblob.s, rcblob.len, code, got), 0);
	buf_reset(&pwblob);
	assert_int_equal(vault_wrap_password_limits(got, "a brand new password", FAST_OPS, FAST_MEM, &pwblob), 0);
	assert_int_equal(vault_unwrap_password(pwblob.s, pwblob.len, "a brand new password", got), 0);
	assert_int_equal(vault_open(got, "journal:9", sealed.s, sealed.len, &plain), 0);
	assert_string_equal(plain.s, secret);
	buf_release(&pwblob);
	buf_release(&rcblob);
	buf_release(&sealed);
	buf_release(&plain);
}

static void couple_key_sealed_for_each_partner(void **state)
{
	unsigned char a[VAULT_KEY_BYTES], b[VAULT_KEY_BYTES], c[VAULT_KEY_BYTES];
	unsigned char couple[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES];
	struct buf for_a = BUF_INIT, for_b = BUF_INIT;
	(void)state;

	vault_new_key(a);
	vault_new_key(b);
	vault_new_key(c);
	vault_new_key(couple);
	assert_int_equal(vault_wrap_key(a, couple, &for_a), 0);
	assert_int_equal(vault_wrap_key(b, couple, &for_b), 0);
	assert_int_equal(for_a.len, VAULT_KEYWRAP_BLOB_BYTES);
	assert_int_equal(vault_unwrap_key(a, for_a.s, for_a.len, got), 0);
	assert_memory_equal(got, couple, VAULT_KEY_BYTES);
	assert_int_equal(vault_unwrap_key(b, for_b.s, for_b.len, got), 0);
	assert_memory_equal(got, couple, VAULT_KEY_BYTES);
	/* A's copy does not open with B's key, nor with anyone else's. */
	assert_int_equal(vault_unwrap_key(b, for_a.s, for_a.len, got), -1);
	assert_int_equal(vault_unwrap_key(c, for_a.s, for_a.len, got), -1);
	for (size_t i = 0; i < for_a.len; i++) {
		for_a.s[i] ^= 1;
		assert_int_equal(vault_unwrap_key(a, for_a.s, for_a.len, got), -1);
		for_a.s[i] ^= 1;
	}
	for (size_t n = 0; n < for_a.len; n++)
		assert_int_equal(vault_unwrap_key(a, for_a.s, n, got), -1);
	buf_release(&for_a);
	buf_release(&for_b);
}

/* Garbage of every length up to a few hundred bytes, random and patterned,
 * never crashes an opener and never opens. */
static void garbage_never_opens(void **state)
{
	unsigned char key[VAULT_KEY_BYTES], got[VAULT_KEY_BYTES], junk[400];
	struct buf out = BUF_INIT;
	char code[VAULT_RECOVERY_CODE_SIZE];
	(void)state;

	vault_new_key(key);
	vault_recovery_code(code);
	for (int round = 0; round < 3; round++) {
		if (round == 0)
			randombytes_buf(junk, sizeof junk);
		else
			memset(junk, round == 1 ? 0 : 0xff, sizeof junk);
		if (round == 0) { /* plausible headers with random bodies */
			junk[0] = 1;
			junk[1] = 3;
		}
		for (size_t n = 0; n <= sizeof junk; n++) {
			/* Separate heap copies so ASan sees any over-read. */
			unsigned char *p = n ? xmalloc(n) : NULL;
			if (n)
				memcpy(p, junk, n);
			assert_int_equal(vault_open(key, "x", p, n, &out), -1);
			assert_int_equal(vault_unwrap_key(key, p, n, got), -1);
			assert_int_equal(vault_unwrap_recovery(p, n, code, got), -1);
			assert_int_equal(vault_unwrap_password(p, n, "pw", got), -1);
			free(p);
		}
	}
	/* A random body with a valid-looking password header and low limits. */
	junk[0] = 1;
	junk[1] = 1;
	memset(junk + 2, 0, 16);
	junk[2] = (unsigned char)FAST_OPS;
	junk[10 + 1] = (unsigned char)(FAST_MEM >> 8);
	assert_int_equal(vault_unwrap_password(junk, VAULT_PASSWORD_BLOB_BYTES, "pw", got), -1);
	assert_true(vault_password_needs_rewrap(junk, 3));
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

/* A record's text is padded to its bucket: texts of different lengths in
 * one bucket give blobs of one size, and each opens to exactly its text. */
static void row_texts_are_padded_to_buckets(void **state)
{
	(void)state;
	unsigned char key[VAULT_KEY_BYTES];
	vault_new_key(key);
	struct buf a = BUF_INIT, b = BUF_INIT, o = BUF_INIT;
	assert_int_equal(vault_seal_row(key, "journal", 7, "text", "ok", &a), 0);
	assert_int_equal(vault_seal_row(key, "journal", 7, "text",
					"a much longer entry, still inside the first bucket", &b), 0);
	assert_int_equal(a.len, VAULT_PAD_FLOOR + VAULT_SEAL_OVERHEAD);
	assert_int_equal(a.len, b.len);
	assert_int_equal(vault_open_row(key, "journal", 7, "text", a.s, a.len, &o), 0);
	assert_string_equal(o.s, "ok");
	assert_int_equal(o.len, 2);
	buf_reset(&o);
	assert_int_equal(vault_open_row(key, "journal", 7, "text", b.s, b.len, &o), 0);
	assert_string_equal(o.s, "a much longer entry, still inside the first bucket");
	/* 64 bytes fill the first bucket with no room for padding: the next one */
	char t64[65];
	memset(t64, 'x', 64);
	t64[64] = '\0';
	assert_int_equal(vault_seal_row(key, "journal", 7, "text", t64, &a), 0);
	assert_int_equal(a.len, 128 + VAULT_SEAL_OVERHEAD);
	assert_int_equal(vault_pad_bucket(0), 64);
	assert_int_equal(vault_pad_bucket(63), 64);
	assert_int_equal(vault_pad_bucket(64), 128);
	assert_int_equal(vault_pad_bucket(1000), 1024);
	/* another record's identity does not open it */
	buf_reset(&o);
	assert_int_equal(vault_open_row(key, "journal", 8, "text", a.s, a.len, &o), -1);
	assert_int_equal(o.len, 0);
	buf_release(&a);
	buf_release(&b);
	buf_release(&o);
}

/* A blob sealed before padding (the text alone, bound to the identity)
 * still opens, to the same text. */
static void row_texts_from_before_padding_open(void **state)
{
	(void)state;
	unsigned char key[VAULT_KEY_BYTES];
	vault_new_key(key);
	struct buf old = BUF_INIT, o = BUF_INIT;
	assert_int_equal(vault_seal(key, "checkin:42:need", "more walks", 10, &old), 0);
	assert_int_equal(vault_open_row(key, "checkin", 42, "need", old.s, old.len, &o), 0);
	assert_string_equal(o.s, "more walks");
	buf_reset(&o);
	assert_int_equal(vault_open_row(key, "checkin", 42, "increased", old.s, old.len, &o), -1);
	buf_release(&old);
	buf_release(&o);
}

/* Numbers sealed for a record open to the same numbers, only there, and
 * every set of them makes a blob of one size. */
static void row_numbers_round_trip(void **state)
{
	(void)state;
	unsigned char key[VAULT_KEY_BYTES];
	vault_new_key(key);
	struct buf a = BUF_INIT, b = BUF_INIT;
	const int in[4] = { 7, 3, 9, 2 };
	int out[4] = { 0 }, small[1] = { 1 };
	assert_int_equal(vault_seal_ints(key, "checkin", 5, "scores", in, 4, &a), 0);
	assert_int_equal(vault_seal_ints(key, "checkin", 5, "scores", small, 1, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_null(memmem(a.s, a.len, "7,3,9,2", 7));
	assert_int_equal(vault_open_ints(key, "checkin", 5, "scores", a.s, a.len, out, 4), 0);
	assert_memory_equal(out, in, sizeof(in));
	int keep[4] = { -5, -5, -5, -5 };
	assert_int_equal(vault_open_ints(key, "checkin", 6, "scores", a.s, a.len, keep, 4), -1);
	assert_int_equal(vault_open_ints(key, "checkin", 5, "scores", a.s, a.len, keep, 3), -1);
	assert_int_equal(vault_open_ints(NULL, "checkin", 5, "scores", a.s, a.len, keep, 4), -1);
	assert_int_equal(keep[0], -5);
	buf_release(&a);
	buf_release(&b);
}

static void keys_in_guarded_memory(void **state)
{
	unsigned char *k = vault_key_alloc();
	struct buf sealed = BUF_INIT, plain = BUF_INIT;
	(void)state;

	assert_non_null(k);
	vault_new_key(k);
	assert_int_equal(vault_seal(k, "m:1", "x", 1, &sealed), 0);
	assert_int_equal(vault_open(k, "m:1", sealed.s, sealed.len, &plain), 0);
	assert_string_equal(plain.s, "x");
	vault_key_free(k);
	vault_key_free(NULL);
	buf_release(&sealed);
	buf_release(&plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seal_open_round_trip),
		cmocka_unit_test(seal_appends_and_open_failure_leaves_out_alone),
		cmocka_unit_test(open_with_wrong_key_fails),
		cmocka_unit_test(open_with_wrong_associated_data_fails),
		cmocka_unit_test(any_flipped_bit_fails),
		cmocka_unit_test(truncated_or_extended_input_fails),
		cmocka_unit_test(password_wrap_unwrap),
		cmocka_unit_test(password_wrap_at_production_limits),
		cmocka_unit_test(wrong_password_fails),
		cmocka_unit_test(password_blob_tampering_fails),
		cmocka_unit_test(password_change_reseals),
		cmocka_unit_test(recovery_code_shape_and_uniqueness),
		cmocka_unit_test(recovery_round_trip_as_typed),
		cmocka_unit_test(recovery_normalise_rules),
		cmocka_unit_test(recovery_code_off_by_one_character_fails),
		cmocka_unit_test(recovery_after_operator_reset),
		cmocka_unit_test(couple_key_sealed_for_each_partner),
		cmocka_unit_test(garbage_never_opens),
		cmocka_unit_test(keys_in_guarded_memory),
		cmocka_unit_test(row_texts_are_padded_to_buckets),
		cmocka_unit_test(row_texts_from_before_padding_open),
		cmocka_unit_test(row_numbers_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
