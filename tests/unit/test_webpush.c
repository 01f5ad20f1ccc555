/* test_webpush.c: the Web Push primitives against the RFCs: the RFC 8291
 * appendix A message byte for byte, a fresh message that the RFC's user
 * agent key opens, the VAPID JWT's ES256 signature (raw r||s) verified
 * with the public key, and the origin that becomes its aud. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "base/webpush.h"

/* RFC 8291, appendix A */
static const char PLAIN[] = "When I grow up, I want to be a watermelon";
static const char AS_PRIV[] = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
static const char AS_PUB[] = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
static const char UA_PUB[] = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
static const char AUTH[] = "BTBZMqHH6r4Tts7J_aSIgg";
static const char SALT[] = "DGv6ra1nlYgDCS1FRnbzlw";
static const char BODY[] =
	"DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
	"mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
	"pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

static void unb64(uint8_t *out, size_t size, const char *text)
{
	assert_int_equal(webpush_unb64(out, size, text), (long)size);
}

static void rfc8291_vector(void **state)
{
	(void)state;
	uint8_t as_priv[32], as_pub[65], ua_pub[65], auth[16], salt[16];
	unb64(as_priv, 32, AS_PRIV);
	unb64(as_pub, 65, AS_PUB);
	unb64(ua_pub, 65, UA_PUB);
	unb64(auth, 16, AUTH);
	unb64(salt, 16, SALT);
	struct buf body = BUF_INIT, text = BUF_INIT;
	assert_int_equal(webpush_encrypt_with(&body, (const uint8_t *)PLAIN, strlen(PLAIN), ua_pub, auth,
					      as_priv, as_pub, salt), 0);
	webpush_b64(&text, (const uint8_t *)body.s, body.len);
	assert_string_equal(text.s, BODY);
	buf_release(&body);
	buf_release(&text);
}

static void keys_are_checked(void **state)
{
	(void)state;
	uint8_t priv[32], pub[65], bad[65];
	assert_int_equal(webpush_keygen(priv, pub), 0);
	assert_int_equal(pub[0], 4);
	assert_true(webpush_pub_valid(pub, 65));
	memcpy(bad, pub, 65);
	bad[64] ^= 1; /* off the curve */
	assert_false(webpush_pub_valid(bad, 65));
	assert_false(webpush_pub_valid(pub, 64));
	uint8_t auth[16] = { 0 };
	struct buf body = BUF_INIT;
	assert_int_equal(webpush_encrypt(&body, (const uint8_t *)"x", 1, bad, auth), -1);
	/* a plaintext too long for one record is refused */
	static uint8_t big[WEBPUSH_MAX_PLAIN + 1];
	assert_int_equal(webpush_encrypt(&body, big, sizeof big, pub, auth), -1);
	assert_int_equal(webpush_encrypt(&body, big, sizeof big - 1, pub, auth), 0);
	assert_int_equal(body.len, WEBPUSH_HEADER_SIZE + WEBPUSH_MAX_PLAIN + 1 + 16);
	buf_release(&body);
}

static void fresh_messages_differ(void **state)
{
	(void)state;
	uint8_t ua_pub[65], auth[16];
	unb64(ua_pub, 65, UA_PUB);
	unb64(auth, 16, AUTH);
	struct buf a = BUF_INIT, b = BUF_INIT;
	assert_int_equal(webpush_encrypt(&a, (const uint8_t *)PLAIN, strlen(PLAIN), ua_pub, auth), 0);
	assert_int_equal(webpush_encrypt(&b, (const uint8_t *)PLAIN, strlen(PLAIN), ua_pub, auth), 0);
	assert_int_equal(a.len, WEBPUSH_HEADER_SIZE + strlen(PLAIN) + 1 + 16);
	assert_int_equal(a.len, b.len);
	/* a new salt and a new sender key each time */
	assert_memory_not_equal(a.s, b.s, WEBPUSH_SALT_SIZE);
	assert_memory_not_equal(a.s + 21, b.s + 21, WEBPUSH_PUB_SIZE);
	assert_null(memmem(a.s, a.len, "watermelon", 10));
	buf_release(&a);
	buf_release(&b);
}

/* The JWT's three parts; the signature checked with OpenSSL's verifier. */
static void vapid_jwt_verifies(void **state)
{
	(void)state;
	uint8_t priv[32], pub[65];
	assert_int_equal(webpush_keygen(priv, pub), 0);
	struct buf jwt = BUF_INIT;
	assert_int_equal(webpush_vapid_jwt(&jwt, "https://push.example.net", 1700000000,
					   "mailto:push@example.org", priv, pub), 0);
	char *dot1 = strchr(jwt.s, '.');
	assert_non_null(dot1);
	char *dot2 = strchr(dot1 + 1, '.');
	assert_non_null(dot2);
	uint8_t part[256];
	*dot1 = '\0';
	long n = webpush_unb64(part, sizeof part - 1, jwt.s);
	assert_true(n > 0);
	part[n] = '\0';
	assert_string_equal((char *)part, "{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
	*dot1 = '.';
	*dot2 = '\0';
	n = webpush_unb64(part, sizeof part - 1, dot1 + 1);
	assert_true(n > 0);
	part[n] = '\0';
	assert_string_equal((char *)part,
			    "{\"aud\":\"https://push.example.net\",\"exp\":1700000000,\"sub\":\"mailto:push@example.org\"}");
	uint8_t raw[64];
	assert_int_equal(webpush_unb64(raw, sizeof raw, dot2 + 1), 64);

	/* verify: raw r||s back to DER, the public key from its point */
	ECDSA_SIG *sig = ECDSA_SIG_new();
	ECDSA_SIG_set0(sig, BN_bin2bn(raw, 32, NULL), BN_bin2bn(raw + 32, 32, NULL));
	unsigned char *der = NULL;
	int derlen = i2d_ECDSA_SIG(sig, &der);
	assert_true(derlen > 0);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
	OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, 65);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;
	assert_true(EVP_PKEY_fromdata_init(pctx) > 0);
	assert_true(EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params) > 0);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	assert_true(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0);
	assert_int_equal(EVP_DigestVerify(md, der, (size_t)derlen, (const uint8_t *)jwt.s, (size_t)(dot2 - jwt.s)), 1);
	/* and a changed claim does not verify */
	jwt.s[5] ^= 1;
	EVP_MD_CTX_free(md);
	md = EVP_MD_CTX_new();
	assert_true(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0);
	assert_int_not_equal(EVP_DigestVerify(md, der, (size_t)derlen, (const uint8_t *)jwt.s, (size_t)(dot2 - jwt.s)), 1);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	buf_release(&jwt);
}

static void origins(void **state)
{
	(void)state;
	char o[64];
	assert_int_equal(webpush_origin("https://fcm.googleapis.com/fcm/send/abc", o, sizeof o), 0);
	assert_string_equal(o, "https://fcm.googleapis.com");
	assert_int_equal(webpush_origin("http://127.0.0.1:9000/push/1?x", o, sizeof o), 0);
	assert_string_equal(o, "http://127.0.0.1:9000");
	assert_int_equal(webpush_origin("https://u@evil.example/x", o, sizeof o), -1);
	assert_int_equal(webpush_origin("ftp://example.org/x", o, sizeof o), -1);
	assert_int_equal(webpush_origin("https:///x", o, sizeof o), -1);
	assert_int_equal(webpush_origin("https://a-very-long-host-name-that-does-not-fit.example.org/", o, 16), -1);
}

static bool public_v4(const char *a)
{
	struct sockaddr_in s = { .sin_family = AF_INET };
	assert_int_equal(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return webpush_address_public((const struct sockaddr *)&s);
}

static bool public_v6(const char *a)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6 };
	assert_int_equal(inet_pton(AF_INET6, a, &s.sin6_addr), 1);
	return webpush_address_public((const struct sockaddr *)&s);
}

/* A partner chooses the endpoint: the server posts only to public
 * addresses, so it cannot be pointed into its own network. */
static void only_public_addresses(void **state)
{
	(void)state;
	static const char *const INWARD[] = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
					      "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
					      "224.0.0.1", "255.255.255.255", "198.18.0.1", NULL };
	for (size_t i = 0; INWARD[i]; i++)
		if (public_v4(INWARD[i]))
			fail_msg("%s counted as public", INWARD[i]);
	assert_true(public_v4("142.250.74.74"));
	assert_true(public_v4("172.32.0.1"));
	assert_true(public_v4("100.128.0.1"));
	assert_false(public_v6("::1"));
	assert_false(public_v6("::"));
	assert_false(public_v6("fe80::1"));
	assert_false(public_v6("fd00::1"));
	assert_false(public_v6("ff02::1"));
	assert_false(public_v6("::ffff:127.0.0.1"));
	assert_false(public_v6("::ffff:10.0.0.1"));
	assert_true(public_v6("2a00:1450:4001:80b::200a"));
	assert_true(public_v6("::ffff:142.250.74.74"));
}

/* A send that may not go local never connects to a listener on 127.0.0.1;
 * one that may does. */
static void a_send_never_goes_inward(void **state)
{
	(void)state;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	char endpoint[64];
	snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d/push/x", ntohs(a.sin_port));
	uint8_t ua_priv[WEBPUSH_PRIV_SIZE], ua_pub[WEBPUSH_PUB_SIZE], auth[WEBPUSH_AUTH_SIZE] = { 1 };
	uint8_t vpriv[WEBPUSH_PRIV_SIZE], vpub[WEBPUSH_PUB_SIZE];
	assert_int_equal(webpush_keygen(ua_priv, ua_pub), 0);
	assert_int_equal(webpush_keygen(vpriv, vpub), 0);
	struct webpush_msg m = { .endpoint = endpoint, .ua_pub = ua_pub, .auth = auth, .vapid_priv = vpriv,
				 .vapid_pub = vpub, .subject = "mailto:a@example.org", .plain = "{}", .plain_len = 2,
				 .ttl = 60, .urgency = "normal", .now = 1800000000, .timeout_ms = 300 };
	long ra;
	assert_int_equal(webpush_send(&m, &ra), 0);
	int c = accept(l, NULL, NULL);
	assert_int_equal(c, -1);
	/* allowed: it connects (and, with nobody answering, times out) */
	m.local_ok = true;
	assert_int_equal(webpush_send(&m, &ra), 0);
	c = accept(l, NULL, NULL);
	assert_true(c >= 0);
	close(c);
	close(l);
}

static void base64url(void **state)
{
	(void)state;
	uint8_t b[4];
	assert_int_equal(webpush_unb64(b, sizeof b, "_-8"), 2);
	assert_int_equal(b[0], 0xff);
	assert_int_equal(b[1], 0xef);
	assert_int_equal(webpush_unb64(b, sizeof b, "_-8="), 2);
	assert_int_equal(webpush_unb64(b, sizeof b, "ab+/"), -1); /* not the URL alphabet */
	assert_int_equal(webpush_unb64(b, sizeof b, "AAAAAAAA"), -1); /* too long */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8291_vector),
		cmocka_unit_test(keys_are_checked),
		cmocka_unit_test(fresh_messages_differ),
		cmocka_unit_test(vapid_jwt_verifies),
		cmocka_unit_test(origins),
		cmocka_unit_test(base64url),
		cmocka_unit_test(only_public_addresses),
		cmocka_unit_test(a_send_never_goes_inward),
	};
	webpush_library_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
