/* vault.c: data keys, their sealing under a password, a recovery code or
 * another key, and record sealing (vault_seal / vault_open). See vault.h.
 *
 * Blob layouts (all integers little-endian). Every wrapping blob binds its
 * own header (version, algorithm, limits, salt) as associated data, with a
 * domain string per kind, so no header byte can change without the open
 * failing and no kind of blob can stand in for another:
 *
 *   password: 01 01 ops:u64 mem:u64 salt[16] nonce[24] ct[32+16]   (106)
 *   recovery: 01 02 salt[16] nonce[24] ct[32+16]                   (90)
 *   key:      01 03 nonce[24] ct[32+16]                            (74)
 *   record:   nonce[24] ct[n+16]          (ad = the record's identity)
 */
#include "auth/vault.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VAULT_VERSION 1u
#define ALG_PASSWORD 1u /* argon2id13 -> XChaCha20-Poly1305 */
#define ALG_RECOVERY 2u /* keyed BLAKE2b -> XChaCha20-Poly1305 */
#define ALG_KEYWRAP 3u  /* XChaCha20-Poly1305 under a key */

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SALT_BYTES crypto_pwhash_SALTBYTES /* 16, also BLAKE2b's minimum key */
#define WRAPPED_BYTES (VAULT_KEY_BYTES + TAG_BYTES)

#define PW_HEADER (2u + 8u + 8u + SALT_BYTES)
#define RC_HEADER (2u + SALT_BYTES)
#define KW_HEADER 2u

_Static_assert(PW_HEADER + NONCE_BYTES + WRAPPED_BYTES == VAULT_PASSWORD_BLOB_BYTES, "password blob size");
_Static_assert(RC_HEADER + NONCE_BYTES + WRAPPED_BYTES == VAULT_RECOVERY_BLOB_BYTES, "recovery blob size");
_Static_assert(KW_HEADER + NONCE_BYTES + WRAPPED_BYTES == VAULT_KEYWRAP_BLOB_BYTES, "keywrap blob size");
_Static_assert(crypto_box_SEALBYTES + VAULT_KEY_BYTES == VAULT_BOXED_KEY_BYTES, "boxed key size");
_Static_assert(crypto_box_PUBLICKEYBYTES == VAULT_BOX_PUBLIC_BYTES && crypto_box_SECRETKEYBYTES == VAULT_BOX_SECRET_BYTES, "box key sizes");
_Static_assert(SALT_BYTES >= crypto_generichash_KEYBYTES_MIN, "salt usable as a BLAKE2b key");
_Static_assert(VAULT_RECOVERY_SYMBOLS * 5 >= 128, "recovery code entropy");
_Static_assert(VAULT_RECOVERY_CODE_SIZE ==
		       VAULT_RECOVERY_SYMBOLS + VAULT_RECOVERY_SYMBOLS / VAULT_RECOVERY_GROUP,
	       "recovery code size: symbols, dashes between groups, NUL");

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Domain strings, prefixed to the associated data of each kind of blob. */
static const char dom_password[] = "troth-vault/password";
static const char dom_recovery[] = "troth-vault/recovery";
static const char dom_keywrap[] = "troth-vault/key";
static const char dom_recovery_kdf[] = "troth-vault/recovery-kdf";

int vault_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void vault_new_key(unsigned char key[VAULT_KEY_BYTES])
{
	randombytes_buf(key, VAULT_KEY_BYTES);
}

static void put_u64(unsigned char *p, unsigned long long v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long get_u64(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ad = domain || header, into adbuf (which must be large enough). */
static size_t make_ad(unsigned char *adbuf, const char *domain, const unsigned char *header,
		      size_t hlen)
{
	size_t dlen = strlen(domain);
	memcpy(adbuf, domain, dlen);
	memcpy(adbuf + dlen, header, hlen);
	return dlen + hlen;
}

/* Appends header || nonce || seal(wkey, key, ad = domain || header) to out. */
static void wrap_with(const unsigned char wkey[VAULT_KEY_BYTES], const unsigned char key[VAULT_KEY_BYTES],
		      const char *domain, const unsigned char *header, size_t hlen, struct buf *out)
{
	unsigned char blob[VAULT_PASSWORD_BLOB_BYTES]; /* the largest kind */
	unsigned char adbuf[64 + PW_HEADER];
	size_t adlen = make_ad(adbuf, domain, header, hlen);
	unsigned long long clen = 0;

	memcpy(blob, header, hlen);
	randombytes_buf(blob + hlen, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + hlen + NONCE_BYTES, &clen, key, VAULT_KEY_BYTES,
						   adbuf, adlen, NULL, blob + hlen, wkey);
	buf_add(out, blob, hlen + NONCE_BYTES + (size_t)clen);
	sodium_memzero(blob, sizeof blob);
}

/* Opens a blob of exactly hlen + NONCE_BYTES + WRAPPED_BYTES bytes (checked
 * by the caller) into key. Returns 0 or -1 (key zeroed). */
static int unwrap_with(const unsigned char wkey[VAULT_KEY_BYTES], const unsigned char *blob, size_t hlen,
		       const char *domain, unsigned char key[VAULT_KEY_BYTES])
{
	unsigned char adbuf[64 + PW_HEADER];
	size_t adlen = make_ad(adbuf, domain, blob, hlen);
	unsigned long long mlen = 0;

	if (crypto_aead_xchacha20poly1305_ietf_decrypt(key, &mlen, NULL, blob + hlen + NONCE_BYTES,
						       WRAPPED_BYTES, adbuf, adlen, blob + hlen, wkey) != 0 ||
	    mlen != VAULT_KEY_BYTES) {
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	return 0;
}

static bool limits_ok(unsigned long long ops, unsigned long long mem)
{
	return ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= VAULT_PWHASH_OPSLIMIT_CAP &&
	       mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= VAULT_PWHASH_MEMLIMIT_CAP;
}

static int pw_derive(unsigned char wkey[VAULT_KEY_BYTES], const char *password, const unsigned char *salt,
		     unsigned long long ops, size_t mem)
{
	return crypto_pwhash(wkey, VAULT_KEY_BYTES, password, strlen(password), salt, ops, mem,
			     crypto_pwhash_ALG_ARGON2ID13);
}

int vault_wrap_password_limits(const unsigned char key[VAULT_KEY_BYTES], const char *password,
			       unsigned long long opslimit, size_t memlimit, struct buf *out)
{
	unsigned char header[PW_HEADER];
	unsigned char wkey[VAULT_KEY_BYTES];

	if (!key || !password || !out || !limits_ok(opslimit, memlimit))
		return -1;
	header[0] = VAULT_VERSION;
	header[1] = ALG_PASSWORD;
	put_u64(header + 2, opslimit);
	put_u64(header + 10, memlimit);
	randombytes_buf(header + 18, SALT_BYTES);
	if (pw_derive(wkey, password, header + 18, opslimit, memlimit) != 0) {
		sodium_memzero(wkey, sizeof wkey);
		return -1;
	}
	wrap_with(wkey, key, dom_password, header, sizeof header, out);
	sodium_memzero(wkey, sizeof wkey);
	return 0;
}

int vault_wrap_password(const unsigned char key[VAULT_KEY_BYTES], const char *password, struct buf *out)
{
	return vault_wrap_password_limits(key, password, VAULT_PWHASH_OPSLIMIT, VAULT_PWHASH_MEMLIMIT, out);
}

/* Checks a password blob's shape; on success sets its limits. */
static bool pw_blob_ok(const unsigned char *b, size_t n, unsigned long long *ops, unsigned long long *mem)
{
	if (!b || n != VAULT_PASSWORD_BLOB_BYTES || b[0] != VAULT_VERSION || b[1] != ALG_PASSWORD)
		return false;
	*ops = get_u64(b + 2);
	*mem = get_u64(b + 10);
	return limits_ok(*ops, *mem);
}

int vault_unwrap_password(const void *blob, size_t n, const char *password, unsigned char key[VAULT_KEY_BYTES])
{
	const unsigned char *b = blob;
	unsigned long long ops, mem;
	unsigned char wkey[VAULT_KEY_BYTES];
	int rc;

	if (!key)
		return -1;
	if (!password || !pw_blob_ok(b, n, &ops, &mem)) {
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	if (pw_derive(wkey, password, b + 18, ops, (size_t)mem) != 0) {
		sodium_memzero(wkey, sizeof wkey);
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	rc = unwrap_with(wkey, b, PW_HEADER, dom_password, key);
	sodium_memzero(wkey, sizeof wkey);
	return rc;
}

bool vault_password_needs_rewrap(const void *blob, size_t n)
{
	unsigned long long ops, mem;
	if (!pw_blob_ok(blob, n, &ops, &mem))
		return true;
	return ops < VAULT_PWHASH_OPSLIMIT || mem < VAULT_PWHASH_MEMLIMIT;
}

void vault_recovery_code(char out[VAULT_RECOVERY_CODE_SIZE])
{
	size_t j = 0;
	for (size_t i = 0; i < VAULT_RECOVERY_SYMBOLS; i++) {
		if (i && i % VAULT_RECOVERY_GROUP == 0)
			out[j++] = '-';
		out[j++] = crockford[randombytes_uniform(32)];
	}
	out[j] = '\0';
}

int vault_recovery_normalise(const char *code, char out[VAULT_RECOVERY_SYMBOLS + 1])
{
	size_t k = 0;
	if (!code)
		return -1;
	for (const char *p = code; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || !strchr(crockford, c) || k == VAULT_RECOVERY_SYMBOLS) {
			sodium_memzero(out, VAULT_RECOVERY_SYMBOLS + 1);
			return -1;
		}
		out[k++] = c;
	}
	out[k] = '\0';
	if (k != VAULT_RECOVERY_SYMBOLS) {
		sodium_memzero(out, VAULT_RECOVERY_SYMBOLS + 1);
		return -1;
	}
	return 0;
}

/* The wrapping key for a recovery code. The code carries 150 random bits, so
 * no one can guess it whatever the hash costs: a slow, memory-hard KDF like
 * argon2 only protects low-entropy secrets such as passwords. One keyed
 * BLAKE2b (crypto_generichash, the blob's random salt as key, a domain
 * string, then the canonical code) is enough, and keeps recovery instant. */
static int rc_derive(unsigned char wkey[VAULT_KEY_BYTES], const char *code, const unsigned char *salt)
{
	char canon[VAULT_RECOVERY_SYMBOLS + 1];
	crypto_generichash_state st;

	if (vault_recovery_normalise(code, canon) != 0)
		return -1;
	crypto_generichash_init(&st, salt, SALT_BYTES, VAULT_KEY_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)dom_recovery_kdf, sizeof dom_recovery_kdf);
	crypto_generichash_update(&st, (const unsigned char *)canon, VAULT_RECOVERY_SYMBOLS);
	crypto_generichash_final(&st, wkey, VAULT_KEY_BYTES);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(canon, sizeof canon);
	return 0;
}

int vault_wrap_recovery(const unsigned char key[VAULT_KEY_BYTES], const char *code, struct buf *out)
{
	unsigned char header[RC_HEADER];
	unsigned char wkey[VAULT_KEY_BYTES];

	if (!key || !out)
		return -1;
	header[0] = VAULT_VERSION;
	header[1] = ALG_RECOVERY;
	randombytes_buf(header + 2, SALT_BYTES);
	if (rc_derive(wkey, code, header + 2) != 0)
		return -1;
	wrap_with(wkey, key, dom_recovery, header, sizeof header, out);
	sodium_memzero(wkey, sizeof wkey);
	return 0;
}

int vault_unwrap_recovery(const void *blob, size_t n, const char *code, unsigned char key[VAULT_KEY_BYTES])
{
	const unsigned char *b = blob;
	unsigned char wkey[VAULT_KEY_BYTES];
	int rc;

	if (!key)
		return -1;
	if (!b || n != VAULT_RECOVERY_BLOB_BYTES || b[0] != VAULT_VERSION || b[1] != ALG_RECOVERY ||
	    rc_derive(wkey, code, b + 2) != 0) {
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	rc = unwrap_with(wkey, b, RC_HEADER, dom_recovery, key);
	sodium_memzero(wkey, sizeof wkey);
	return rc;
}

int vault_wrap_key(const unsigned char kek[VAULT_KEY_BYTES], const unsigned char key[VAULT_KEY_BYTES],
		   struct buf *out)
{
	const unsigned char header[KW_HEADER] = { VAULT_VERSION, ALG_KEYWRAP };
	if (!kek || !key || !out)
		return -1;
	wrap_with(kek, key, dom_keywrap, header, sizeof header, out);
	return 0;
}

int vault_unwrap_key(const unsigned char kek[VAULT_KEY_BYTES], const void *blob, size_t n,
		     unsigned char key[VAULT_KEY_BYTES])
{
	const unsigned char *b = blob;
	if (!key)
		return -1;
	if (!kek || !b || n != VAULT_KEYWRAP_BLOB_BYTES || b[0] != VAULT_VERSION || b[1] != ALG_KEYWRAP) {
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	return unwrap_with(kek, b, KW_HEADER, dom_keywrap, key);
}

int vault_seal(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *plain, size_t n,
	       struct buf *out)
{
	unsigned char *dst;
	unsigned long long clen = 0;
	size_t adlen = ad ? strlen(ad) : 0;

	if (!key || !out || (n && !plain) || n > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    n > ((size_t)-1) / 4)
		return -1;
	buf_grow(out, n + VAULT_SEAL_OVERHEAD);
	dst = (unsigned char *)out->s + out->len;
	randombytes_buf(dst, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(dst + NONCE_BYTES, &clen, plain, n,
						   (const unsigned char *)ad, adlen, NULL, dst, key);
	out->len += NONCE_BYTES + (size_t)clen;
	out->s[out->len] = '\0';
	return 0;
}

int vault_open(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *sealed, size_t n,
	       struct buf *out)
{
	const unsigned char *src = sealed;
	unsigned char *dst;
	unsigned long long mlen = 0;
	size_t adlen = ad ? strlen(ad) : 0;

	if (!key || !out || !src || n < VAULT_SEAL_OVERHEAD)
		return -1;
	buf_grow(out, n - VAULT_SEAL_OVERHEAD);
	dst = (unsigned char *)out->s + out->len;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(dst, &mlen, NULL, src + NONCE_BYTES, n - NONCE_BYTES,
						       (const unsigned char *)ad, adlen, src, key) != 0) {
		out->s[out->len] = '\0';
		return -1;
	}
	out->len += (size_t)mlen;
	out->s[out->len] = '\0';
	return 0;
}

unsigned char *vault_key_alloc(void)
{
	return sodium_malloc(VAULT_KEY_BYTES);
}

void vault_key_free(unsigned char *key)
{
	sodium_free(key);
}

/* The associated data of a record's field: "<kind>:<id>:<field>" for a
 * blob sealed as the text itself (the first format, still opened), and
 * "padded:<kind>:<id>:<field>" for a blob whose plaintext is padded to its
 * bucket. The tag binds the associated data, so only the right reading
 * opens a blob: the prefix is the format marker. -1 when it does not fit. */
static int row_ad(char ad[136], bool padded, const char *kind, long long id, const char *field)
{
	int n = snprintf(ad, 136, "%s%s:%lld:%s", padded ? "padded:" : "", kind, id, field);
	return n > 0 && n < 136 ? 0 : -1;
}

size_t vault_pad_bucket(size_t n)
{
	size_t b = VAULT_PAD_FLOOR;
	while (b <= n && b <= ((size_t)-1) / 4)
		b *= 2;
	return b;
}

int vault_seal_row(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		   const char *field, const char *text, struct buf *out)
{
	char ad[136];
	buf_reset(out);
	if (!text || !*text)
		return 0;
	size_t n = strlen(text), padded_len = 0;
	if (row_ad(ad, true, kind, id, field) < 0 || n > ((size_t)-1) / 8)
		return -1;
	/* ISO/IEC 7816-4 padding (libsodium's sodium_pad) up to the bucket:
	 * at least one byte is added, so the bucket is always above n. */
	size_t bucket = vault_pad_bucket(n);
	struct buf p = BUF_INIT;
	buf_grow(&p, bucket);
	memcpy(p.s, text, n);
	int rc = sodium_pad(&padded_len, (unsigned char *)p.s, n, bucket, bucket) != 0 ? -1
		 : vault_seal(key, ad, p.s, padded_len, out);
	sodium_memzero(p.s, bucket);
	buf_release(&p);
	return rc;
}

int vault_open_row(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		   const char *field, const void *blob, size_t n, struct buf *out)
{
	char ad[136];
	size_t start = out ? out->len : 0, plain = 0;
	if (!out || row_ad(ad, true, kind, id, field) < 0)
		return -1;
	if (vault_open(key, ad, blob, n, out) == 0) {
		unsigned char *p = (unsigned char *)out->s + start;
		size_t padded_len = out->len - start;
		if (sodium_unpad(&plain, p, padded_len, padded_len ? padded_len : 1) != 0) {
			sodium_memzero(p, padded_len);
			out->len = start;
			out->s[start] = '\0';
			return -1;
		}
		sodium_memzero(p + plain, padded_len - plain);
		out->len = start + plain;
		out->s[out->len] = '\0';
		return 0;
	}
	/* a blob from before padding: the text as it was */
	if (row_ad(ad, false, kind, id, field) < 0)
		return -1;
	return vault_open(key, ad, blob, n, out);
}

int vault_seal_ints(const unsigned char key[VAULT_KEY_BYTES], const char *kind, long long id,
		    const char *field, const int *v, size_t count, struct buf *out)
{
	char text[VAULT_INTS_MAX * 12 + 1];
	size_t len = 0;
	buf_reset(out);
	if (count > VAULT_INTS_MAX)
		return -1;
	if (!count)
		return 0;
	text[0] = '\0';
	for (size_t i = 0; i < count; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%d", i ? "," : "", v[i]);
	int rc = vault_seal_row(key, kind, id, field, text, out);
	sodium_memzero(text, sizeof(text));
	return rc;
}

int vault_open_ints(const unsigned char *key, const char *kind, long long id, const char *field,
		    const void *blob, size_t n, int *v, size_t count)
{
	struct buf b = BUF_INIT;
	int rc = -1;
	if (key && blob && n && count <= VAULT_INTS_MAX &&
	    vault_open_row(key, kind, id, field, blob, n, &b) == 0) {
		int tmp[VAULT_INTS_MAX];
		const char *s = b.s;
		size_t i = 0;
		for (; i < count; i++) {
			char *end;
			long x = strtol(s, &end, 10);
			if (end == s || x < -1000000 || x > 1000000 || (*end != (i + 1 < count ? ',' : '\0')))
				break;
			tmp[i] = (int)x;
			s = end + (*end ? 1 : 0);
		}
		if (i == count) {
			memcpy(v, tmp, count * sizeof(*v));
			rc = 0;
		}
		sodium_memzero(tmp, sizeof(tmp));
	}
	if (b.s)
		sodium_memzero(b.s, b.len);
	buf_release(&b);
	return rc;
}

const char *vault_open_text(struct arena *a, const unsigned char *key, const char *kind,
			    long long id, const char *field, const void *blob, size_t n)
{
	struct buf b = BUF_INIT;
	if (!blob || !n || !key || vault_open_row(key, kind, id, field, blob, n, &b) < 0) {
		buf_release(&b);
		return NULL;
	}
	char *s = arena_strndup(a, b.s, b.len);
	sodium_memzero(b.s, b.len);
	buf_release(&b);
	return s;
}

int vault_store_row(sqlite3 *w, const char *update, const unsigned char key[VAULT_KEY_BYTES],
		    const char *kind, long long id, const char *field, const char *text)
{
	struct buf sealed = BUF_INIT;
	int rc = vault_seal_row(key, kind, id, field, text, &sealed) < 0
		 ? SQLITE_TOOBIG : db_run(w, update, "iB", id, &sealed);
	buf_release(&sealed);
	return rc;
}

const char *vault_open_col(struct arena *a, const unsigned char *key, const char *kind, long long id,
			   const char *field, sqlite3_stmt *st, int col)
{
	return vault_open_text(a, key, kind, id, field, sqlite3_column_blob(st, col),
			       (size_t)sqlite3_column_bytes(st, col));
}

int vault_store_new_row(sqlite3 *w, int rc, long long id, const char *update,
			const unsigned char key[VAULT_KEY_BYTES], const char *kind, const char *field,
			const char *text, long long *id_out)
{
	if (rc == SQLITE_ROW)
		rc = SQLITE_OK; /* the new row's id */
	if (rc == SQLITE_OK && text && *text)
		rc = vault_store_row(w, update, key, kind, id, field, text);
	if (rc == SQLITE_OK)
		*id_out = id;
	return rc;
}

void vault_box_keypair(unsigned char pk[VAULT_BOX_PUBLIC_BYTES], unsigned char sk[VAULT_BOX_SECRET_BYTES])
{
	crypto_box_keypair(pk, sk);
}

int vault_box_key(const unsigned char pk[VAULT_BOX_PUBLIC_BYTES], const unsigned char key[VAULT_KEY_BYTES],
		  struct buf *out)
{
	unsigned char sealed[VAULT_BOXED_KEY_BYTES];
	if (!pk || !key || !out || crypto_box_seal(sealed, key, VAULT_KEY_BYTES, pk) != 0)
		return -1;
	buf_add(out, sealed, sizeof sealed);
	return 0;
}

int vault_unbox_key(const unsigned char pk[VAULT_BOX_PUBLIC_BYTES], const unsigned char sk[VAULT_BOX_SECRET_BYTES],
		    const void *blob, size_t n, unsigned char key[VAULT_KEY_BYTES])
{
	if (!key)
		return -1;
	if (!pk || !sk || !blob || n != VAULT_BOXED_KEY_BYTES ||
	    crypto_box_seal_open(key, blob, n, pk, sk) != 0) {
		sodium_memzero(key, VAULT_KEY_BYTES);
		return -1;
	}
	return 0;
}
