/* harness_http.c: see harness_http.h. */
#include "harness_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth/auth.h"
#include "auth/vault.h"
#include "base/log.h"
#include "http/defer.h"
#include "http/form.h"
#include "http/router.h"
#include "http/server.h"

/* Copies the store at from into the new file to (SQLite's backup, so a
 * store in WAL mode comes whole). */
static int copy_store(const char *from, const char *to)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
		rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
		if (b)
			sqlite3_backup_finish(b);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc == SQLITE_OK ? 0 : -1;
}

int thttp_snapshot(struct thttp *t, const char *path)
{
	return copy_store(t->path, path);
}

void thttp_open(struct thttp *t)
{
	thttp_open_from(t, NULL);
}

void thttp_open_from(struct thttp *t, const char *template_path)
{
	char err[256];
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/troth-test-XXXXXX");
	if (!mkdtemp(t->dir))
		die("mkdtemp failed");
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	if (template_path && copy_store(template_path, t->path) < 0)
		die("copying the store %s failed", template_path);
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
	for (;;) {
		if (r->wait_ms) {
			/* a request waiting its turn is dispatched again as the
			 * server's timer would do it, without the wait */
			r->waited_ms += r->wait_ms;
			req_reset_for_redispatch(r);
			r->defer_done = false;
			http_dispatch(r);
		} else if (r->defer_fn && !r->defer_done) {
			/* a deferred job runs inline here, as the pool would run it */
			void (*fn)(void *) = r->defer_fn;
			fn(r->defer_arg);
			req_reset_for_redispatch(r);
			r->defer_done = true;
			http_dispatch(r);
		} else {
			break;
		}
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
