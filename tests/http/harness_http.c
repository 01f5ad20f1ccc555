/* harness_http.c: see harness_http.h. */
#include "harness_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/vault.h"
#include "base/log.h"
#include "http/defer.h"
#include "http/form.h"
#include "http/router.h"
#include "http/server.h"

void thttp_open(struct thttp *t)
{
	char err[256];
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/troth-test-XXXXXX");
	if (!mkdtemp(t->dir))
		die("mkdtemp failed");
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	app_config_defaults(&t->app.cfg);
	t->app.cfg.db_path = t->path;
	t->app.cfg.exit_url = "https://example.org/away";
	log_set_requests(0);
	vault_init();
	auth_install();
	if (db_open(&t->app.db, t->path, true, err, sizeof(err)) < 0)
		die("db_open: %s", err);
}

void thttp_close(struct thttp *t)
{
	char p[160];
	session_shutdown();
	db_close(&t->app.db);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

void thttp_begin(struct thttp *t, struct req *r, const char *method, const char *path,
		 const char *const *headers, const char *body, size_t body_len)
{
	const char *q = strchr(path, '?');
	req_init(r, &t->app, method, path);
	r->path = q ? arena_strndup(&r->arena, path, (size_t)(q - path)) : path;
	r->is_api = !strncmp(r->path, "/api/", 5);
	r->client_addr = t->client_addr ? t->client_addr : "127.0.0.1";
	if (q && form_parse(&r->arena, q + 1, strlen(q + 1), &r->query) < 0)
		die("bad query in test");
	for (size_t i = 0; headers && headers[i]; i += 2)
		kv_add(&r->arena, &r->headers, headers[i], headers[i + 1]);
	const char *ck = kv_geti(&r->headers, "Cookie");
	if (ck)
		cookie_parse(&r->arena, ck, &r->cookies);
	r->body = body;
	r->body_len = body ? (body_len ? body_len : strlen(body)) : 0;
	if (r->body_len > REQ_BODY_MAX)
		req_error(r, 413, "body_too_large", "That was more than we can take in one go (64 KiB).", NULL);
	else
		http_dispatch(r);
}

void thttp_end(struct thttp *t, struct req *r)
{
	(void)t;
	/* a deferred job runs inline here, as the pool would run it */
	if (r->defer_fn && !r->defer_done) {
		void (*fn)(void *) = r->defer_fn;
		fn(r->defer_arg);
		req_reset_for_redispatch(r);
		r->defer_done = true;
		http_dispatch(r);
	}
	http_finish_headers(r);
}

void thttp_do(struct thttp *t, struct req *r, const char *method, const char *path,
	      const char *const *headers, const char *body, size_t body_len)
{
	thttp_begin(t, r, method, path, headers, body, body_len);
	thttp_end(t, r);
}

const char *thttp_header(struct req *r, const char *name)
{
	return kv_geti(&r->resp_headers, name);
}
