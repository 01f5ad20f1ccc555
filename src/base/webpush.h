/* webpush.h: Web Push as a sender speaks it, on OpenSSL and libcurl, with
 * nothing of the product in it:
 *   - a VAPID key pair (P-256) and the ES256 JWT that proves it (RFC 8292,
 *     the signature in JOSE's raw r||s form);
 *   - message encryption with aes128gcm (RFC 8291 over RFC 8188: ECDH
 *     P-256, HKDF-SHA-256, AES-128-GCM);
 *   - one delivery, an HTTP POST with TTL and Urgency (RFC 8030).
 * Keys travel as raw bytes: a private key is its 32-byte scalar, a public
 * key its 65-byte uncompressed point. */
#ifndef TROTH_WEBPUSH_H
#define TROTH_WEBPUSH_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"

#define WEBPUSH_PRIV_SIZE 32
#define WEBPUSH_PUB_SIZE 65
#define WEBPUSH_AUTH_SIZE 16
#define WEBPUSH_SALT_SIZE 16
/* The aes128gcm header: salt, record size, key id length, key id. */
#define WEBPUSH_HEADER_SIZE (WEBPUSH_SALT_SIZE + 4 + 1 + WEBPUSH_PUB_SIZE)
/* The largest plaintext one record of 4096 bytes carries: the record less
 * the tag and the padding delimiter. */
#define WEBPUSH_MAX_PLAIN (4096 - 16 - 1)

/* A new P-256 key pair. Returns 0, or -1 when OpenSSL fails. */
int webpush_keygen(uint8_t priv[WEBPUSH_PRIV_SIZE], uint8_t pub[WEBPUSH_PUB_SIZE]);

/* True when pub is an uncompressed point on P-256. */
int webpush_pub_valid(const uint8_t *pub, size_t n);

/* The RFC 8291 aes128gcm body of plain (at most WEBPUSH_MAX_PLAIN bytes)
 * for the subscription keys ua_pub and auth, appended to out, made with
 * the sender's key pair as_priv/as_pub and salt. A delivery uses a fresh
 * key pair and salt each time (webpush_encrypt); this form exists for the
 * RFC's test vector. Returns 0 or -1. */
int webpush_encrypt_with(struct buf *out, const uint8_t *plain, size_t n,
			 const uint8_t ua_pub[WEBPUSH_PUB_SIZE], const uint8_t auth[WEBPUSH_AUTH_SIZE],
			 const uint8_t as_priv[WEBPUSH_PRIV_SIZE], const uint8_t as_pub[WEBPUSH_PUB_SIZE],
			 const uint8_t salt[WEBPUSH_SALT_SIZE]);
/* The same with a fresh ephemeral key pair and a random salt. */
int webpush_encrypt(struct buf *out, const uint8_t *plain, size_t n,
		    const uint8_t ua_pub[WEBPUSH_PUB_SIZE], const uint8_t auth[WEBPUSH_AUTH_SIZE]);

/* The VAPID JWT (RFC 8292) for the push service at aud (its origin, as
 * "https://host[:port]"), valid until exp, naming sub (a mailto: or https:
 * URL), signed ES256 with priv/pub, appended to out as text. Returns 0 or
 * -1. */
int webpush_vapid_jwt(struct buf *out, const char *aud, time_t exp, const char *sub,
		      const uint8_t priv[WEBPUSH_PRIV_SIZE], const uint8_t pub[WEBPUSH_PUB_SIZE]);

/* The origin of an endpoint URL ("scheme://host[:port]"), written into out.
 * Returns 0, or -1 when the URL is not http(s)://host... or too long. */
int webpush_origin(const char *endpoint, char *out, size_t size);

/* base64url without padding, as Web Push writes keys: appended to out. */
void webpush_b64(struct buf *out, const uint8_t *bin, size_t n);
/* Decodes base64url (with or without padding) into bin (size bytes at most).
 * Returns the length, or -1 when it is not base64url or too long. */
long webpush_unb64(uint8_t *bin, size_t size, const char *text);

struct webpush_msg {
	const char *endpoint;
	const uint8_t *ua_pub;    /* WEBPUSH_PUB_SIZE */
	const uint8_t *auth;      /* WEBPUSH_AUTH_SIZE */
	const uint8_t *vapid_priv, *vapid_pub;
	const char *subject;      /* the VAPID sub claim */
	const char *plain;        /* the payload, already short */
	size_t plain_len;
	unsigned ttl;             /* seconds the push service may keep it */
	const char *urgency;      /* "very-low", "low", "normal" or "high" */
	time_t now;               /* the JWT expires twelve hours after it */
	long timeout_ms;
	bool local_ok;            /* may connect to loopback and private addresses */
};

/* Whether a push service at this address may be posted to when local
 * addresses are not allowed: a public unicast address, not loopback,
 * private, shared (CGNAT), link-local, multicast or reserved. A partner
 * chooses the endpoint, so without this they could make the server post
 * into its own network. */
bool webpush_address_public(const struct sockaddr *sa);

/* Sends one message. Returns the push service's HTTP status (201 when it
 * took it), or 0 when no answer came (no connection, a timeout, a bad
 * endpoint). *retry_after is the Retry-After seconds it gave (0 when
 * none). */
int webpush_send(const struct webpush_msg *m, long *retry_after);

/* Sets libcurl up once per process, before any thread sends. */
void webpush_library_init(void);

#endif
