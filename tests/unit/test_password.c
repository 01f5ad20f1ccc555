/* test_password.c: passwords as a user meets them: the right password logs
 * in and a wrong one does not; hashes made with lower limits are flagged for
 * rehash; the policy takes 12 to 128 characters counted as characters (not
 * bytes), with no composition rules, refuses passwords from the bundled
 * common-password list in any letter case, well-known phrases, and what the
 * zxcvbn estimate finds easy to guess, saying why; a password typed in
 * another Unicode form (NFD) is the same password. Links the real asset table (in
 * meson, libtroth's generated assets.c), so the list under test is the one
 * that ships. Hashing at the production limits happens once; the rest use
 * libsodium's minimum limits to stay fast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"
#include "auth/vault.h"
#include "http/assets.h"

#define FAST_OPS ((unsigned long long)crypto_pwhash_OPSLIMIT_MIN)
#define FAST_MEM ((size_t)crypto_pwhash_MEMLIMIT_MIN)

static int setup(void **state)
{
	(void)state;
	return vault_init();
}

static const char *check(const char *pw)
{
	return password_check_policy(pw, strlen(pw));
}

static void hash_and_verify(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	(void)state;

	assert_true(PASSWORD_OPSLIMIT >= crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_true(PASSWORD_MEMLIMIT >= crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_int_equal(password_hash("river stones and tea", h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_null(strstr(h, "river")); /* only the hash is stored */
	assert_int_equal(password_verify(h, "river stones and tea"), 0);
	assert_false(password_needs_rehash(h));
}

static void wrong_password_fails_verify(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	(void)state;

	assert_int_equal(password_hash_limits("river stones and tea", h, FAST_OPS, FAST_MEM), 0);
	assert_int_equal(password_verify(h, "river stones and tea"), 0);
	assert_int_equal(password_verify(h, "River stones and tea"), -1);
	assert_int_equal(password_verify(h, "river stones and te"), -1);
	assert_int_equal(password_verify(h, "river stones and tea "), -1);
	assert_int_equal(password_verify(h, ""), -1);
	assert_int_equal(password_verify(h, NULL), -1);
}

static void same_password_hashes_differently(void **state)
{
	char a[crypto_pwhash_STRBYTES], b[crypto_pwhash_STRBYTES];
	(void)state;

	assert_int_equal(password_hash_limits("the same password", a, FAST_OPS, FAST_MEM), 0);
	assert_int_equal(password_hash_limits("the same password", b, FAST_OPS, FAST_MEM), 0);
	assert_string_not_equal(a, b); /* random salt */
	assert_int_equal(password_verify(a, "the same password"), 0);
	assert_int_equal(password_verify(b, "the same password"), 0);
}

static void malformed_hash_never_verifies(void **state)
{
	char big[crypto_pwhash_STRBYTES + 10];
	(void)state;

	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(password_verify("", "x"), -1);
	assert_int_equal(password_verify("$argon2id$", "x"), -1);
	assert_int_equal(password_verify("$argon2id$v=19$m=8,t=1,p=1$$", ""), -1);
	assert_int_equal(password_verify("plaintext-password", "plaintext-password"), -1);
	assert_int_equal(password_verify(big, "x"), -1);
	assert_int_equal(password_verify(NULL, "x"), -1);
	assert_true(password_needs_rehash("garbage"));
	assert_true(password_needs_rehash(NULL));
}

static void low_limit_hash_needs_rehash(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	(void)state;

	assert_int_equal(password_hash_limits("an older password", h, FAST_OPS, FAST_MEM), 0);
	assert_true(password_needs_rehash(h));
	assert_int_equal(password_hash_limits("too weak", h, 0, FAST_MEM), -1);
}

static void policy_length_in_characters(void **state)
{
	char pw[200];
	(void)state;

	/* Not on the list (checked below), so only length decides. */
	memset(pw, 0, sizeof pw);
	memcpy(pw, "mossy garden", 12);
	assert_null(check(pw));                      /* 12: accepted */
	pw[11] = '\0';
	assert_non_null(check(pw));                  /* 11: refused */
	assert_string_equal(check(pw),
		"Please use at least 12 characters. A few ordinary words in a row work well.");
	assert_non_null(check(""));

	/* 128 varied characters (not one letter repeated, which is easy to guess) */
	const char *words = "river stones and tea by the window while the kettle hums ";
	for (size_t i = 0; i < 129; i++)
		pw[i] = words[(i * 7) % strlen(words)];
	pw[128] = '\0';
	assert_null(check(pw));                      /* 128: accepted */
	pw[128] = 'q';
	pw[129] = '\0';
	assert_string_equal(check(pw), "Please use at most 128 characters."); /* 129 */

	/* No composition rules: all lowercase, all digits, spaces are fine. */
	assert_null(check("all lowercase words"));
	assert_null(check("739201584663"));
}

static void policy_counts_code_points_not_bytes(void **state)
{
	/* "é" is 2 bytes, "雪" 3 bytes, "🌊" 4 bytes: count characters. */
	const char *e11 = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"; /* 11 chars, 22 bytes */
	/* snow, forest, river, sea, mountain, field, flower, bird, wind, moon, star, sky */
	const char *kanji12 = "\xe9\x9b\xaa\xe6\xa3\xae\xe5\xb7\x9d\xe6\xb5\xb7\xe5\xb1\xb1\xe7\x94\xb0"
			      "\xe8\x8a\xb1\xe9\xb3\xa5\xe9\xa2\xa8\xe6\x9c\x88\xe6\x98\x9f\xe7\xa9\xba";
	/* wave, tree, leaf, moon */
	const char *emoji[] = { "\xf0\x9f\x8c\x8a", "\xf0\x9f\x8c\xb2", "\xf0\x9f\x8d\x83", "\xf0\x9f\x8c\x99" };
	char waves[4 * 130 + 1];
	(void)state;

	assert_non_null(check(e11));
	assert_null(check(kanji12)); /* 12 chars, 36 bytes */
	for (int i = 0; i < 130; i++)
		memcpy(waves + 4 * i, emoji[(i + i / 4) % 4], 4);
	assert_null(password_check_policy(waves, 4 * 128)); /* 128 chars, 512 bytes */
	assert_non_null(password_check_policy(waves, 4 * 129)); /* 129 chars */
}

static void policy_refuses_bad_bytes(void **state)
{
	(void)state;
	assert_non_null(password_check_policy("abcdefghijk\xff", 12));       /* not UTF-8 */
	assert_non_null(password_check_policy("abcdef\0ghijklm", 14));      /* a NUL inside */
	assert_non_null(password_check_policy("\xed\xa0\x80" "abcdefghijkl", 15)); /* surrogate */
	assert_non_null(password_check_policy(NULL, 0));
}

static void policy_refuses_common_passwords(void **state)
{
	const char *msg;
	(void)state;

	/* Entries of 12+ characters really in content/common-passwords.txt. */
	msg = check("qwerty123456");
	assert_non_null(msg);
	assert_string_equal(msg,
		"That password is on a list of passwords that are often guessed. Please choose another.");
	assert_non_null(check("leavemealone"));
	assert_non_null(check("LeaveMeAlone")); /* any letter case */
	assert_non_null(check("FINALFANTASY"));
	assert_non_null(check("1qaz2wsx3edc"));
	assert_non_null(check("123456789qwerty")); /* 15 characters */
	/* Near misses are not on the list, but the estimate still finds them
	 * easy to guess. */
	assert_false(password_is_common("qwerty1234567", 13));
	assert_non_null(check("qwerty1234567"));
	assert_non_null(check("leavemealone!"));
	assert_non_null(check(" leavemealone"));
}

static void policy_says_why_an_easy_password_is_easy(void **state)
{
	const char *msg;
	(void)state;

	/* 12 characters and not on the list of 10,000, yet easy to guess */
	assert_false(password_is_common("password1234", 12));
	assert_false(password_is_common("123456789012", 12));
	msg = check("password1234");
	assert_non_null(msg);
	assert_string_equal(msg, "This one is easy to guess: it is made of very common words or passwords. "
				 "A few unrelated words work well.");
	msg = check("123456789012");
	assert_non_null(msg);
	assert_string_equal(msg, "This one is easy to guess: it is a common pattern. A few unrelated words work well.");
	assert_non_null(strstr(check("abcdefghijklmn"), "common pattern"));
	assert_non_null(strstr(check("aaaaaaaaaaaaaaa"), "common pattern"));
	assert_non_null(check("iloveyou1234"));
	assert_non_null(check("Password1234!"));
	/* well-known long phrases, however they are spaced or capitalised */
	msg = check("correct horse battery staple");
	assert_non_null(msg);
	assert_string_equal(msg, "This one is easy to guess: it is a well-known phrase. A few unrelated words work well.");
	assert_non_null(check("Correct-Horse-Battery-Staple"));
	assert_non_null(check("I love you to the moon and back"));
	assert_true(password_is_common_phrase("the quick brown fox jumps over the lazy dog", 43));
	assert_false(password_is_common_phrase("the quick brown fox jumps over the lazy cat", 43));
	/* strong passphrases pass */
	assert_null(check("river stones and tea"));
	assert_null(check("my kitchen table is blue"));
	assert_null(check("quiet-river-morning-tea"));
	assert_null(password_weakness("sam has a long passphrase"));
}

static void the_same_password_in_another_unicode_form_matches(void **state)
{
	char h[crypto_pwhash_STRBYTES], old[crypto_pwhash_STRBYTES];
	/* "café au lait soir": é composed (NFC) and as e + combining acute (NFD) */
	const char *nfc = "caf\xc3\xa9 au lait soir";
	const char *nfd = "cafe\xcc\x81 au lait soir";
	(void)state;

	assert_string_not_equal(nfc, nfd);
	char *n = password_nfc(nfd);
	assert_non_null(n);
	assert_string_equal(n, nfc);
	password_nfc_free(n);
	assert_null(password_nfc(nfc));             /* already NFC */
	assert_null(password_nfc("plain ascii words")); /* ASCII is always NFC */

	assert_int_equal(password_hash_limits(nfc, h, FAST_OPS, FAST_MEM), 0);
	assert_int_equal(password_check(h, nfc), 1);
	assert_int_equal(password_check(h, nfd), 1);
	assert_int_equal(password_verify(h, nfd), 0);
	assert_int_equal(password_check(h, "cafe au lait soir"), 0);

	/* a hash of the raw NFD bytes, as stored before: matches, flagged 2 */
	assert_int_equal(crypto_pwhash_str_alg(old, nfd, strlen(nfd), FAST_OPS, FAST_MEM,
					       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(password_check(old, nfd), 2);
	assert_int_equal(password_check(old, nfc), 0); /* the NFC bytes never made it */
	/* and an ASCII password's old hash is unaffected */
	assert_int_equal(crypto_pwhash_str_alg(old, "plain ascii words", 17, FAST_OPS, FAST_MEM,
					       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(password_check(old, "plain ascii words"), 1);
	/* the policy counts characters of the NFC form */
	assert_null(check(nfd));
}

static void common_list_is_loaded(void **state)
{
	const struct asset *a = asset_find("content/common-passwords.txt");
	(void)state;

	assert_non_null(a);
	/* The top of the list and a short entry: found (case-insensitively),
	 * even though the policy refuses them for length first. */
	assert_true(password_is_common("123456", 6));
	assert_true(password_is_common("password", 8));
	assert_true(password_is_common("PassWord", 8));
	assert_true(password_is_common("dragon", 6));
	/* The last line of the file. */
	const char *end = (const char *)a->data + a->len - 1; /* the final '\n' */
	const char *start = end;
	while (start > (const char *)a->data && start[-1] != '\n')
		start--;
	assert_true(password_is_common(start, (size_t)(end - start)));
	assert_false(password_is_common("troth is calm", 13));
	assert_false(password_is_common("", 0));
	assert_false(password_is_common("passwort1", 9));
	assert_false(password_is_common("password1\n", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_and_verify),
		cmocka_unit_test(wrong_password_fails_verify),
		cmocka_unit_test(same_password_hashes_differently),
		cmocka_unit_test(malformed_hash_never_verifies),
		cmocka_unit_test(low_limit_hash_needs_rehash),
		cmocka_unit_test(policy_length_in_characters),
		cmocka_unit_test(policy_counts_code_points_not_bytes),
		cmocka_unit_test(policy_refuses_bad_bytes),
		cmocka_unit_test(policy_refuses_common_passwords),
		cmocka_unit_test(common_list_is_loaded),
		cmocka_unit_test(policy_says_why_an_easy_password_is_easy),
		cmocka_unit_test(the_same_password_in_another_unicode_form_matches),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
