/* password.c: argon2id password hashes (libsodium crypto_pwhash_str) and the
 * new-password policy, including the lookup in the compiled-in list of the
 * 10,000 most common passwords. See password.h. */
#include "auth/password.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "http/assets.h"

#define COMMON_ASSET "content/common-passwords.txt"

int password_hash_limits(const char *pw, char out[crypto_pwhash_STRBYTES], unsigned long long opslimit,
			 size_t memlimit)
{
	if (!pw || !out || opslimit < crypto_pwhash_OPSLIMIT_MIN || memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	return 0;
}

int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	return password_hash_limits(pw, out, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT);
}

int password_verify(const char *hash, const char *pw)
{
	if (!hash || !pw || strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : -1;
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

static void common_load(void)
{
	const struct asset *a = asset_find(COMMON_ASSET);
	const char *p, *end;
	size_t lines = 0;

	if (!a)
		die("the common-password list (%s) is not compiled in", COMMON_ASSET);
	p = (const char *)a->data;
	end = p + a->len;
	for (const char *q = p; q < end; q++)
		lines += *q == '\n';
	common = xcalloc(lines + 1, sizeof *common);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			common[ncommon].s = p;
			common[ncommon].n = n;
			if (n > common_maxlen)
				common_maxlen = n;
			ncommon++;
		}
		p = e + 1;
	}
	qsort(common, ncommon, sizeof *common, entry_cmp);
}

bool password_is_common(const char *pw, size_t len)
{
	struct entry key = { pw, len };
	pthread_once(&common_once, common_load);
	if (!pw || len == 0 || len > common_maxlen)
		return false;
	return bsearch(&key, common, ncommon, sizeof *common, entry_cmp) != NULL;
}

const char *password_check_policy(const char *pw, size_t len)
{
	size_t chars;
	if (!pw || !utf8_valid(pw, len) || memchr(pw, '\0', len))
		return "That password has characters we can't read. Please type it again.";
	chars = utf8_count(pw, len);
	if (chars < PASSWORD_MIN_CHARS)
		return "Please use at least 12 characters. A few ordinary words in a row work well.";
	if (chars > PASSWORD_MAX_CHARS)
		return "Please use at most 128 characters.";
	if (password_is_common(pw, len))
		return "That password is on a list of passwords that are often guessed. Please choose another.";
	return NULL;
}
