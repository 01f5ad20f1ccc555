/* webpush.c: VAPID, aes128gcm and one delivery (see webpush.h). Every
 * primitive is OpenSSL's: P-256 keys and ECDH through EVP_PKEY, HKDF
 * through EVP_KDF, AES-128-GCM through EVP_CIPHER, ECDSA through
 * EVP_DigestSign; the one thing done here is the layout the RFCs give. */
#include "webpush.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <curl/curl.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <sodium.h>

/* ---- keys ---- */

/* An EVP_PKEY for P-256 from raw bytes: the public point always, the
 * private scalar when priv is not NULL. NULL when they are not a key. */
static EVP_PKEY *key_from_raw(const uint8_t *priv, const uint8_t *pub)
{
	EVP_PKEY *key = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *d = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	if (!bld)
		return NULL;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, WEBPUSH_PUB_SIZE))
		goto out;
	if (priv) {
		d = BN_bin2bn(priv, WEBPUSH_PRIV_SIZE, NULL);
		if (!d || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d))
			goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		key = NULL;
		goto out;
	}
	/* the point must be on the curve (and match the scalar) */
	EVP_PKEY_CTX_free(ctx);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!ctx || (priv ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx)) <= 0) {
		EVP_PKEY_free(key);
		key = NULL;
	}
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

static int key_to_raw(EVP_PKEY *key, uint8_t *priv, uint8_t pub[WEBPUSH_PUB_SIZE])
{
	size_t n = 0;
	BIGNUM *d = NULL;
	int ok = EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pub, WEBPUSH_PUB_SIZE, &n) &&
		 n == WEBPUSH_PUB_SIZE && pub[0] == 4;
	if (ok && priv)
		ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) &&
		     BN_bn2binpad(d, priv, WEBPUSH_PRIV_SIZE) == WEBPUSH_PRIV_SIZE;
	BN_clear_free(d);
	return ok ? 0 : -1;
}

int webpush_keygen(uint8_t priv[WEBPUSH_PRIV_SIZE], uint8_t pub[WEBPUSH_PUB_SIZE])
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!key)
		return -1;
	/* the uncompressed form, which Web Push's keys use */
	EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed");
	int rc = key_to_raw(key, priv, pub);
	EVP_PKEY_free(key);
	return rc;
}

int webpush_pub_valid(const uint8_t *pub, size_t n)
{
	if (n != WEBPUSH_PUB_SIZE || pub[0] != 4)
		return 0;
	EVP_PKEY *key = key_from_raw(NULL, pub);
	EVP_PKEY_free(key);
	return key != NULL;
}

/* ---- base64url ---- */

void webpush_b64(struct buf *out, const uint8_t *bin, size_t n)
{
	size_t size = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *text = xmalloc(size);
	sodium_bin2base64(text, size, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_adds(out, text);
	free(text);
}

long webpush_unb64(uint8_t *bin, size_t size, const char *text)
{
	size_t n = strlen(text);
	while (n > 0 && text[n - 1] == '=')
		n--;
	size_t len = 0;
	const char *end = NULL;
	if (sodium_base642bin(bin, size, text, n, NULL, &len, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != text + n)
		return -1;
	return (long)len;
}

/* ---- aes128gcm (RFC 8291, RFC 8188) ---- */

static int hkdf(uint8_t *out, size_t outlen, const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
		size_t ikmlen, const uint8_t *info, size_t infolen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[5];
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen);
	p[4] = OSSL_PARAM_construct_end();
	int ok = ctx && EVP_KDF_derive(ctx, out, outlen, p) > 0;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

static int ecdh(uint8_t secret[32], EVP_PKEY *mine, EVP_PKEY *peer)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	size_t n = 32;
	int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
		 EVP_PKEY_derive(ctx, secret, &n) > 0 && n == 32;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int aes128gcm(uint8_t *out, const uint8_t key[16], const uint8_t iv[12], const uint8_t *in,
		     size_t n)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0, fin = 0;
	int ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, key, iv) > 0 &&
		 EVP_EncryptUpdate(ctx, out, &len, in, (int)n) > 0 &&
		 EVP_EncryptFinal_ex(ctx, out + len, &fin) > 0 && (size_t)(len + fin) == n &&
		 EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out + n) > 0;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int webpush_encrypt_with(struct buf *out, const uint8_t *plain, size_t n,
			 const uint8_t ua_pub[WEBPUSH_PUB_SIZE], const uint8_t auth[WEBPUSH_AUTH_SIZE],
			 const uint8_t as_priv[WEBPUSH_PRIV_SIZE], const uint8_t as_pub[WEBPUSH_PUB_SIZE],
			 const uint8_t salt[WEBPUSH_SALT_SIZE])
{
	if (n > WEBPUSH_MAX_PLAIN)
		return -1;
	EVP_PKEY *mine = key_from_raw(as_priv, as_pub);
	EVP_PKEY *peer = key_from_raw(NULL, ua_pub);
	uint8_t secret[32], ikm[32], cek[16], nonce[12];
	uint8_t info[14 + 2 * WEBPUSH_PUB_SIZE];
	int rc = -1;
	uint8_t *rec = NULL;
	if (!mine || !peer || ecdh(secret, mine, peer) != 0)
		goto out;
	/* IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0 ua_public as_public, 32) */
	memcpy(info, "WebPush: info", 14); /* with its NUL */
	memcpy(info + 14, ua_pub, WEBPUSH_PUB_SIZE);
	memcpy(info + 14 + WEBPUSH_PUB_SIZE, as_pub, WEBPUSH_PUB_SIZE);
	if (hkdf(ikm, sizeof ikm, auth, WEBPUSH_AUTH_SIZE, secret, sizeof secret, info, sizeof info) != 0)
		goto out;
	static const char cek_info[] = "Content-Encoding: aes128gcm"; /* sizeof counts the NUL */
	static const char nonce_info[] = "Content-Encoding: nonce";
	if (hkdf(cek, sizeof cek, salt, WEBPUSH_SALT_SIZE, ikm, sizeof ikm, (const uint8_t *)cek_info,
		 sizeof cek_info) != 0 ||
	    hkdf(nonce, sizeof nonce, salt, WEBPUSH_SALT_SIZE, ikm, sizeof ikm, (const uint8_t *)nonce_info,
		 sizeof nonce_info) != 0)
		goto out;
	/* one record: the plaintext, then 0x02 (the last record's delimiter) */
	rec = xmalloc(n + 1 + 16);
	memcpy(rec, plain, n);
	rec[n] = 2;
	uint8_t *sealed = xmalloc(n + 1 + 16);
	if (aes128gcm(sealed, cek, nonce, rec, n + 1) != 0) {
		free(sealed);
		goto out;
	}
	static const uint8_t rs[4] = { 0, 0, 0x10, 0 }; /* 4096 */
	uint8_t idlen = WEBPUSH_PUB_SIZE;
	buf_add(out, salt, WEBPUSH_SALT_SIZE);
	buf_add(out, rs, 4);
	buf_add(out, &idlen, 1);
	buf_add(out, as_pub, WEBPUSH_PUB_SIZE);
	buf_add(out, sealed, n + 1 + 16);
	free(sealed);
	rc = 0;
out:
	OPENSSL_cleanse(secret, sizeof secret);
	OPENSSL_cleanse(ikm, sizeof ikm);
	OPENSSL_cleanse(cek, sizeof cek);
	free(rec);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	return rc;
}

int webpush_encrypt(struct buf *out, const uint8_t *plain, size_t n,
		    const uint8_t ua_pub[WEBPUSH_PUB_SIZE], const uint8_t auth[WEBPUSH_AUTH_SIZE])
{
	uint8_t priv[WEBPUSH_PRIV_SIZE], pub[WEBPUSH_PUB_SIZE], salt[WEBPUSH_SALT_SIZE];
	if (webpush_keygen(priv, pub) != 0 || RAND_bytes(salt, sizeof salt) != 1)
		return -1;
	int rc = webpush_encrypt_with(out, plain, n, ua_pub, auth, priv, pub, salt);
	OPENSSL_cleanse(priv, sizeof priv);
	return rc;
}

/* ---- VAPID (RFC 8292) ---- */

static void json_string(struct buf *out, const char *s)
{
	buf_addch(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_addf(out, "\\%c", c);
		else if (c < 0x20)
			buf_addf(out, "\\u%04x", c);
		else
			buf_addch(out, (char)c);
	}
	buf_addch(out, '"');
}

int webpush_vapid_jwt(struct buf *out, const char *aud, time_t exp, const char *sub,
		      const uint8_t priv[WEBPUSH_PRIV_SIZE], const uint8_t pub[WEBPUSH_PUB_SIZE])
{
	static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}";
	struct buf claims = BUF_INIT, input = BUF_INIT;
	buf_adds(&claims, "{\"aud\":");
	json_string(&claims, aud);
	buf_addf(&claims, ",\"exp\":%lld,\"sub\":", (long long)exp);
	json_string(&claims, sub);
	buf_addch(&claims, '}');
	webpush_b64(&input, (const uint8_t *)header, sizeof header - 1);
	buf_addch(&input, '.');
	webpush_b64(&input, (const uint8_t *)claims.s, claims.len);

	EVP_PKEY *key = key_from_raw(priv, pub);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80];
	size_t derlen = sizeof der;
	ECDSA_SIG *sig = NULL;
	uint8_t raw[64];
	int rc = -1;
	if (!key || !md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) <= 0 ||
	    EVP_DigestSign(md, der, &derlen, (const uint8_t *)input.s, input.len) <= 0)
		goto out;
	/* JOSE wants r||s, 32 bytes each; OpenSSL signs in DER */
	const uint8_t *p = der;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32) != 32 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32) != 32)
		goto out;
	buf_add(out, input.s, input.len);
	buf_addch(out, '.');
	webpush_b64(out, raw, sizeof raw);
	rc = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	buf_release(&claims);
	buf_release(&input);
	return rc;
}

int webpush_origin(const char *endpoint, char *out, size_t size)
{
	const char *rest;
	if (strncmp(endpoint, "https://", 8) == 0)
		rest = endpoint + 8;
	else if (strncmp(endpoint, "http://", 7) == 0)
		rest = endpoint + 7;
	else
		return -1;
	size_t host = strcspn(rest, "/?#");
	if (host == 0)
		return -1;
	for (size_t i = 0; i < host; i++)
		if (rest[i] == '@' || isspace((unsigned char)rest[i]))
			return -1;
	size_t n = (size_t)(rest - endpoint) + host;
	if (n + 1 > size)
		return -1;
	memcpy(out, endpoint, n);
	out[n] = '\0';
	return 0;
}

/* ---- delivery (RFC 8030) ---- */

void webpush_library_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

static bool v4_public(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} NOT[] = {
		{ 0x00000000, 0xff000000 }, /* 0.0.0.0/8 "this network" */
		{ 0x0a000000, 0xff000000 }, /* 10/8 private */
		{ 0x64400000, 0xffc00000 }, /* 100.64/10 shared (CGNAT) */
		{ 0x7f000000, 0xff000000 }, /* 127/8 loopback */
		{ 0xa9fe0000, 0xffff0000 }, /* 169.254/16 link-local, cloud metadata */
		{ 0xac100000, 0xfff00000 }, /* 172.16/12 private */
		{ 0xc0000000, 0xffffff00 }, /* 192.0.0/24 protocol assignments */
		{ 0xc0a80000, 0xffff0000 }, /* 192.168/16 private */
		{ 0xc6120000, 0xfffe0000 }, /* 198.18/15 benchmarking */
		{ 0xe0000000, 0xe0000000 }, /* 224/3 multicast, reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof(NOT) / sizeof(NOT[0]); i++)
		if ((a & NOT[i].mask) == NOT[i].net)
			return false;
	return true;
}

bool webpush_address_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return v4_public(ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return false;
	const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
	static const uint8_t MAPPED[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (!memcmp(b, MAPPED, 12))
		return v4_public((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	/* global unicast is 2000::/3; everything else (::1, ::, fc00::/7,
	 * fe80::/10, ff00::/8, ...) is not a push service's address */
	return (b[0] & 0xe0) == 0x20;
}

/* libcurl's socket opener: refuses any address that is not public, at
 * every connection, so a name that resolves inward is refused too. */
static curl_socket_t open_public(void *clientp, curlsocktype purpose, struct curl_sockaddr *address)
{
	(void)clientp;
	if (purpose != CURLSOCKTYPE_IPCXN || !webpush_address_public(&address->addr))
		return CURL_SOCKET_BAD;
	return socket(address->family, address->socktype, address->protocol);
}

int webpush_send(const struct webpush_msg *m, long *retry_after)
{
	*retry_after = 0;
	char origin[512];
	if (webpush_origin(m->endpoint, origin, sizeof origin) != 0)
		return 0;
	struct buf body = BUF_INIT, jwt = BUF_INIT, h = BUF_INIT;
	struct curl_slist *hdr = NULL;
	CURL *c = NULL;
	int status = 0;
	if (webpush_encrypt(&body, (const uint8_t *)m->plain, m->plain_len, m->ua_pub, m->auth) != 0 ||
	    webpush_vapid_jwt(&jwt, origin, m->now + 12 * 3600, m->subject, m->vapid_priv, m->vapid_pub) != 0)
		goto out;
	buf_addf(&h, "Authorization: vapid t=%s, k=", jwt.s);
	webpush_b64(&h, m->vapid_pub, WEBPUSH_PUB_SIZE);
	hdr = curl_slist_append(hdr, h.s);
	buf_reset(&h);
	buf_addf(&h, "TTL: %u", m->ttl);
	hdr = curl_slist_append(hdr, h.s);
	buf_reset(&h);
	buf_addf(&h, "Urgency: %s", m->urgency);
	hdr = curl_slist_append(hdr, h.s);
	hdr = curl_slist_append(hdr, "Content-Encoding: aes128gcm");
	hdr = curl_slist_append(hdr, "Content-Type: application/octet-stream");
	hdr = curl_slist_append(hdr, "Expect:");
	c = curl_easy_init();
	if (!c || !hdr)
		goto out;
	if (!m->local_ok)
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_public);
	curl_easy_setopt(c, CURLOPT_URL, m->endpoint);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, m->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, m->timeout_ms);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.s);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body.len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE, 65536L);
	if (curl_easy_perform(c) == CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		status = (int)code;
		curl_off_t ra = 0;
		if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			*retry_after = ra > 86400 ? 86400 : (long)ra;
	}
out:
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	buf_release(&body);
	buf_release(&jwt);
	buf_release(&h);
	return status;
}
