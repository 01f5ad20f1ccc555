/* password.c: argon2id password hashes (libsodium crypto_pwhash_str) over
 * the NFC form of the password (libunistring), and the new-password policy:
 * the compiled-in list of the 10,000 most common passwords, our own list of
 * well-known long phrases, and the zxcvbn strength estimate (libzxcvbn).
 * See password.h. */
#include "auth/password.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>
#include <zxcvbn.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "http/assets.h"

#define COMMON_ASSET "content/common-passwords.txt"
#define PHRASES_ASSET "content/common-passphrases.txt"

char *password_nfc(const char *pw)
{
	size_t len, outlen = 0;
	bool ascii = true;
	if (!pw)
		return NULL;
	len = strlen(pw);
	for (size_t i = 0; i < len && ascii; i++)
		ascii = (unsigned char)pw[i] < 0x80;
	if (ascii || !utf8_valid(pw, len))
		return NULL;
	uint8_t *out = u8_normalize(UNINORM_NFC, (const uint8_t *)pw, len, NULL, &outlen);
	if (!out)
		return NULL;
	if (outlen == len && !memcmp(out, pw, len)) {
		sodium_memzero(out, outlen);
		free(out);
		return NULL;
	}
	char *s = xmalloc(outlen + 1);
	memcpy(s, out, outlen);
	s[outlen] = '\0';
	sodium_memzero(out, outlen);
	free(out);
	return s;
}

void password_nfc_free(char *nfc)
{
	if (nfc) {
		sodium_memzero(nfc, strlen(nfc));
		free(nfc);
	}
}

int password_hash_limits(const char *pw, char out[crypto_pwhash_STRBYTES], unsigned long long opslimit,
			 size_t memlimit)
{
	if (!pw || !out || opslimit < crypto_pwhash_OPSLIMIT_MIN || memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return -1;
	char *nfc = password_nfc(pw);
	const char *use = nfc ? nfc : pw;
	int rc = crypto_pwhash_str_alg(out, use, strlen(use), opslimit, memlimit,
				       crypto_pwhash_ALG_ARGON2ID13) != 0 ? -1 : 0;
	password_nfc_free(nfc);
	return rc;
}

int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	return password_hash_limits(pw, out, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT);
}

int password_check(const char *hash, const char *pw)
{
	if (!hash || !pw || strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return 0;
	char *nfc = password_nfc(pw);
	int m = 0;
	if (nfc && crypto_pwhash_str_verify(hash, nfc, strlen(nfc)) == 0)
		m = 1;
	else if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0)
		m = nfc ? 2 : 1;
	password_nfc_free(nfc);
	return m;
}

int password_verify(const char *hash, const char *pw)
{
	return password_check(hash, pw) ? 0 : -1;
}

bool password_needs_rehash(const char *hash)
{
	if (!hash || strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return true;
	return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}

/* The common-password list: pointers into the asset's bytes (which live for
 * the whole run), sorted case-insensitively for bsearch. Built once; the
 * array stays reachable from `common` until exit, so leak checkers do not
 * count it. */
struct entry {
	const char *s;
	size_t n;
};

static struct entry *common;
static size_t ncommon;
static size_t common_maxlen;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	for (size_t i = 0; i < n; i++) {
		unsigned char cx = lower((unsigned char)x->s[i]), cy = lower((unsigned char)y->s[i]);
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Reads the lines of an asset that is compiled in (what names it for the
 * message when it is not) into a sorted array: take turns each line,
 * without its newline, into an entry, or returns false to leave it out. */
static void list_load(const char *asset, const char *what, bool (*take)(const char *line, size_t n, struct entry *e),
		      struct entry **list, size_t *nlist)
{
	const struct asset *a = asset_find(asset);
	const char *p, *end;
	size_t lines = 0;

	if (!a)
		die("%s (%s) is not compiled in", what, asset);
	p = (const char *)a->data;
	end = p + a->len;
	for (const char *q = p; q < end; q++)
		lines += *q == '\n';
	*list = xcalloc(lines + 1, sizeof **list);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if (take(p, (size_t)(e - p), &(*list)[*nlist]))
			(*nlist)++;
		p = e + 1;
	}
	qsort(*list, *nlist, sizeof **list, entry_cmp);
}

/* A common password is its line as it stands, without a trailing CR. */
static bool take_common(const char *line, size_t n, struct entry *e)
{
	if (n && line[n - 1] == '\r')
		n--;
	if (!n)
		return false;
	*e = (struct entry){ line, n };
	if (n > common_maxlen)
		common_maxlen = n;
	return true;
}

static void common_load(void)
{
	list_load(COMMON_ASSET, "the common-password list", take_common, &common, &ncommon);
}

bool password_is_common(const char *pw, size_t len)
{
	struct entry key = { pw, len };
	pthread_once(&common_once, common_load);
	if (!pw || len == 0 || len > common_maxlen)
		return false;
	return bsearch(&key, common, ncommon, sizeof *common, entry_cmp) != NULL;
}

/* Our list of well-known long phrases, each kept in its folded form (ASCII
 * letters and digits only, lowercased), sorted for bsearch. Built once and
 * kept until exit, like the common list. */
static struct entry *phrases;
static size_t nphrases;
static pthread_once_t phrases_once = PTHREAD_ONCE_INIT;

/* Folds s[0..n) into out (at most cap-1 bytes, NUL-terminated): ASCII
 * letters lowercased and digits kept, everything else dropped, so
 * "Correct-Horse Battery" and "correcthorsebattery" compare equal. */
static size_t fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < cap; i++) {
		unsigned char c = lower((unsigned char)s[i]);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[j++] = (char)c;
	}
	out[j] = '\0';
	return j;
}

/* A phrase is its line folded; "#" starts a comment line. */
static bool take_phrase(const char *line, size_t n, struct entry *e)
{
	if (!n || *line == '#')
		return false;
	char *f = xmalloc(n + 1);
	size_t fn = fold(line, n, f, n + 1);
	if (!fn) {
		free(f);
		return false;
	}
	*e = (struct entry){ f, fn };
	return true;
}

static void phrases_load(void)
{
	list_load(PHRASES_ASSET, "the list of common phrases", take_phrase, &phrases, &nphrases);
}

bool password_is_common_phrase(const char *pw, size_t len)
{
	char f[4 * PASSWORD_MAX_CHARS + 1];
	pthread_once(&phrases_once, phrases_load);
	if (!pw)
		return false;
	struct entry key = { f, fold(pw, len, f, sizeof f) };
	return key.n && bsearch(&key, phrases, nphrases, sizeof *phrases, entry_cmp) != NULL;
}

const char *password_weakness(const char *pw)
{
	ZxcMatch_t *info = NULL;
	double bits = ZxcvbnMatch(pw, NULL, &info);
	const ZxcMatch_t *main_part = NULL;
	for (const ZxcMatch_t *m = info; m; m = m->Next)
		if ((m->Type & ~MULTIPLE_MATCH) != BRUTE_MATCH && (!main_part || m->Length > main_part->Length))
			main_part = m;
	/* a part repeated over and over is a pattern, whatever the part is */
	int type = !main_part ? BRUTE_MATCH
		   : (main_part->Type & MULTIPLE_MATCH) ? REPEATS_MATCH
		   : (int)main_part->Type;
	ZxcvbnFreeInfo(info);
	if (bits >= PASSWORD_MIN_BITS)
		return NULL;
	switch (type) {
	case SEQUENCE_MATCH:
	case REPEATS_MATCH:
	case SPATIAL_MATCH:
		return "This one is easy to guess: it is a common pattern. A few unrelated words work well.";
	case DATE_MATCH:
	case YEAR_MATCH:
		return "This one is easy to guess: it leans on a date or a year. A few unrelated words work well.";
	case DICTIONARY_MATCH:
	case DICT_LEET_MATCH:
		return "This one is easy to guess: it is made of very common words or passwords. "
		       "A few unrelated words work well.";
	default:
		return "This one is easy to guess. A few unrelated words work well.";
	}
}

const char *password_check_policy(const char *pw, size_t len)
{
	size_t chars;
	const char *why;
	if (!pw || !utf8_valid(pw, len) || memchr(pw, '\0', len))
		return "That password has characters we can't read. Please type it again.";
	char *nfc = password_nfc(pw);
	const char *p = nfc ? nfc : pw;
	size_t n = nfc ? strlen(nfc) : len;
	chars = utf8_count(p, n);
	if (chars < PASSWORD_MIN_CHARS)
		why = "Please use at least 12 characters. A few ordinary words in a row work well.";
	else if (chars > PASSWORD_MAX_CHARS)
		why = "Please use at most 128 characters.";
	else if (password_is_common(p, n))
		why = "That password is on a list of passwords that are often guessed. Please choose another.";
	else if (password_is_common_phrase(p, n))
		why = "This one is easy to guess: it is a well-known phrase. A few unrelated words work well.";
	else
		why = password_weakness(p);
	password_nfc_free(nfc);
	return why;
}
