/* server.c: libmicrohttpd glue. Gathers a request (headers, query, cookies,
 * a bounded body) into a struct req, runs http_dispatch, and sends the
 * response with the headers every response carries.
 *
 * libmicrohttpd calls the access handler several times per request: once
 * with the headers, once per chunk of body, and once more at the end. We
 * queue the response only on a later call, never the first: in 0.9.75 a
 * response queued on the first call loses keep-alive. */
#include "server.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/utf8.h"
#include "../db/db.h"
#include "conntrack.h"
#include "defer.h"
#include "form.h"
#include "router.h"

struct conn {
	struct req r;
	struct buf body;
	bool too_large;
	bool bad;
	int refuse;               /* 414 or 431: answered once the request is in */
	size_t header_bytes;
	bool answered;            /* a response is queued already (early 413) */
	bool deferred;            /* a slow job ran while suspended: dispatch again */
	bool written;             /* the write pool dispatched it: send what it built */
	bool waiting;             /* held by the timer (req_wait): dispatch anew */
	struct MHD_Connection *conn;
};

/* Called on a worker thread once a deferred job has run. */
static void resume_conn(void *ctx)
{
	struct conn *cn = ctx;
	MHD_resume_connection(cn->conn);
}

/* ---- writes off the serving threads ----
 * A request that changes something (POST, PUT, PATCH, DELETE) is
 * dispatched whole on the write pool while its connection is suspended:
 * its commit waits for the disk there, in a batch with the other writes
 * in flight (db_write_end), and the serving thread goes on with reads.
 * Everything the dispatch keeps per thread (the read scope, the reader
 * connection, the statement cache, the memo's write count) begins and
 * ends inside it, on the worker. Once resumed, the serving thread only
 * sends the response the worker built; when the handler asked for slow
 * work (req_defer: password hashing) it hands the job to the hashing pool,
 * and once that has run the rest goes to the write pool again; when the
 * handler waits its turn (req_wait) the timer holds the connection and the
 * request is dispatched anew after it. So a serving thread never waits for
 * the disk, nor for memory the kernel is still mapping for a password
 * hash (a login's session keys are locked pages; mapping them waits while
 * the hashing worker maps its 64 MiB). */
static bool changes_something(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH") ||
	       !strcmp(method, "DELETE");
}

static void write_job(void *arg)
{
	struct conn *cn = arg;
	http_dispatch(&cn->r);
	cn->written = true; /* read by the serving thread after the resume */
}

/* Dispatches a request as it arrived: a read on this thread, a change on
 * the write pool while the connection is suspended (true: the pool has it
 * and will resume the connection). Answers 503 when the pool is full. */
static bool dispatch_fresh(struct app *app, struct conn *cn, struct MHD_Connection *c)
{
	struct req *r = &cn->r;
	if (!changes_something(r->method) || !app->writes) {
		http_dispatch(r);
		return false;
	}
	cn->conn = c;
	MHD_suspend_connection(c);
	if (defer_submit(app->writes, write_job, cn, resume_conn, cn) == 0)
		return true;
	MHD_resume_connection(c);
	req_header(r, "Retry-After", "2");
	req_error(r, 503, "busy", "A lot is being saved right now. Please try again in a moment.", NULL);
	return false;
}

/* Suspends the connection before it is handed to the timer or the
 * password pool (either resumes it); *why says which, on the resume. */
static void hold(struct conn *cn, struct MHD_Connection *c, bool *why)
{
	cn->conn = c;
	*why = true;
	MHD_suspend_connection(c);
}

/* The timer or the pool refused it (full, or stopping): 503 instead. */
static void hold_refused(struct conn *cn, struct MHD_Connection *c, bool *why)
{
	MHD_resume_connection(c);
	*why = false;
	req_reset_for_redispatch(&cn->r);
	req_header(&cn->r, "Retry-After", "2");
	req_error(&cn->r, 503, "busy", "Many people are signing in right now. Please try again in a moment.", NULL);
}

static const char *const CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; "
			       "frame-ancestors 'none'; form-action 'self'";

void http_finish_headers(struct req *r)
{
	req_header(r, "Content-Security-Policy", CSP);
	req_header(r, "X-Content-Type-Options", "nosniff");
	req_header(r, "Referrer-Policy", "no-referrer");
	req_header(r, "X-Frame-Options", "DENY");
	if (!r->static_asset)
		req_header(r, "Cache-Control", "no-store");
}

/* ---- libmicrohttpd's own answers ----
 *
 * libmicrohttpd answers some requests itself, before our handler runs: a
 * request line it cannot parse (400), a request line or headers larger
 * than the connection's memory (414, 431), an HTTP version it does not
 * speak (505). It builds those responses inside the library and gives no
 * hook to add headers, but it queues them through its exported
 * MHD_queue_response. We define that function here: the dynamic linker
 * binds the library's own calls to it too, and it adds our headers to any
 * response that lacks them (ours always have them), then hands over to
 * the library's MHD_queue_response. tests/serve checks this against the
 * real server, so a libmicrohttpd built so that its calls cannot be
 * redirected fails the tests instead of silently dropping the headers. */
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
static queue_fn real_queue;
static pthread_once_t real_queue_once = PTHREAD_ONCE_INIT;

static void find_real_queue(void)
{
	void *f = dlsym(RTLD_NEXT, "MHD_queue_response");
	memcpy(&real_queue, &f, sizeof(real_queue));
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
				   struct MHD_Response *response)
{
	pthread_once(&real_queue_once, find_real_queue);
	if (!real_queue)
		return MHD_NO;
	if (response && !MHD_get_response_header(response, "Content-Security-Policy")) {
		MHD_add_response_header(response, "Content-Security-Policy", CSP);
		MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(response, "X-Frame-Options", "DENY");
		MHD_add_response_header(response, "Cache-Control", "no-store");
		if (!MHD_get_response_header(response, "Content-Type"))
			MHD_add_response_header(response, "Content-Type", "text/html; charset=utf-8");
	}
	return real_queue(connection, status_code, response);
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct req *r = cls;
	const char *v = value ? value : "";
	if (kind == MHD_HEADER_KIND) {
		((struct conn *)cls)->header_bytes += strlen(key) + strlen(v) + 4;
		kv_add(&r->arena, &r->headers, arena_strdup(&r->arena, key),
		       arena_strdup(&r->arena, v));
	} else if (kind == MHD_GET_ARGUMENT_KIND) {
		/* raw (see no_unescape): decoded here, once, by our own decoder */
		char *k = url_decode(&r->arena, key, strlen(key), 1);
		char *val = url_decode(&r->arena, v, strlen(v), 1);
		if (!k || !val)
			((struct conn *)cls)->bad = true;
		else
			kv_add(&r->arena, &r->query, k, val);
	}
	return MHD_YES;
}

/* libmicrohttpd would percent-decode the path and the query itself; we keep
 * them raw so that decoding happens exactly once, segment by segment, in
 * the router and form parser (a %2F inside a parameter stays inside it). */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void client_addr(struct MHD_Connection *c, struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  text, sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  text, sizeof(text));
	}
	r->client_addr = arena_strdup(&r->arena, text);
}

static void free_body(void *p)
{
	free(p);
}

static enum MHD_Result send_req(struct MHD_Connection *c, struct req *r)
{
	size_t len;
	http_finish_headers(r);
	if (!r->content_type)
		r->content_type = "text/plain; charset=utf-8";
	char *body = buf_detach(&r->out, &len);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer_with_free_callback(len, body, free_body);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	for (size_t i = 0; i < r->resp_headers.n; i++)
		MHD_add_response_header(resp, r->resp_headers.v[i].key, r->resp_headers.v[i].val);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
		    (double)(now.tv_nsec - r->started.tv_nsec) / 1e6;
	log_request(r->method, r->route ? r->route : "-", r->status, ms);
	return ret;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	struct app *app = cls;
	struct conn *cn = *con_cls;
	(void)version;

	if (!cn) {
		cn = xcalloc(1, sizeof(*cn));
		*con_cls = cn;
		req_init(&cn->r, app, "", "/");
		conntrack_headers_done(c);
		cn->r.method = arena_strdup(&cn->r.arena, method);
		if (strlen(url) > REQ_PATH_MAX)
			cn->refuse = 414;
		cn->r.path = arena_strdup(&cn->r.arena, url);
		cn->r.is_api = !strncmp(url, "/api/", 5);
		cn->r.tls = app->cfg.tls;
		buf_init(&cn->body, 0);
		MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &cn->r);
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, cn);
		const char *cl = kv_geti(&cn->r.headers, "Content-Length");
		client_addr(c, &cn->r);
		if (!cn->refuse && cn->header_bytes > REQ_HEADERS_MAX)
			cn->refuse = 431;
		if (cl && strtoull(cl, NULL, 10) > REQ_BODY_MAX) {
			/* Answer before the body arrives; libmicrohttpd then closes
			 * the connection instead of reading 64 KiB+ we would drop. */
			cn->too_large = true;
			req_error(&cn->r, 413, "body_too_large",
				  "That was more than we can take in one go (64 KiB).", NULL);
			cn->answered = true;
			return send_req(c, &cn->r);
		}
		return MHD_YES;
	}

	if (cn->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cn->too_large && cn->body.len + *upload_data_size <= REQ_BODY_MAX)
			buf_add(&cn->body, upload_data, *upload_data_size);
		else
			cn->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}

	struct req *r = &cn->r;
	if (cn->waiting) {
		/* its wait is over: dispatched again as it first was */
		cn->waiting = false;
		r->waited_ms += r->wait_ms;
		req_reset_for_redispatch(r);
		r->defer_done = false;
		if (dispatch_fresh(app, cn, c))
			return MHD_YES;
	} else if (cn->written) {
		cn->written = false; /* built on the write pool: sent below */
	} else if (cn->deferred) {
		/* its slow job has run: the rest is dispatched as the request
		 * first was (a login's session, a sign-up's account are made on
		 * the write pool, not on this thread) */
		cn->deferred = false;
		req_reset_for_redispatch(r);
		r->defer_done = true;
		if (dispatch_fresh(app, cn, c))
			return MHD_YES;
	} else if (cn->refuse == 414) {
		req_error(r, 414, "uri_too_long", "That address is too long for us to read.", NULL);
	} else if (cn->refuse == 431) {
		req_error(r, 431, "headers_too_large",
			  "The request carried more headers than we can read. Clearing this site's "
			  "cookies may help.", NULL);
	} else if (cn->too_large) {
		req_error(r, 413, "body_too_large", "That was more than we can take in one go (64 KiB).", NULL);
	} else if (cn->bad || !url_decode(&r->arena, r->path, strlen(r->path), 0)) {
		req_error(r, 400, "bad_request", "The address could not be read.", NULL);
	} else {
		const char *ck = kv_geti(&r->headers, "Cookie");
		if (ck)
			cookie_parse(&r->arena, ck, &r->cookies);
		r->body = cn->body.s;
		r->body_len = cn->body.len;
		if (dispatch_fresh(app, cn, c))
			return MHD_YES;
	}
	if (r->wait_ms) {
		hold(cn, c, &cn->waiting);
		if (defer_timer_add(app->timer, r->wait_ms, resume_conn, cn) == 0)
			return MHD_YES;
		hold_refused(cn, c, &cn->waiting);
	}
	if (r->defer_fn && !r->defer_done) {
		hold(cn, c, &cn->deferred);
		if (defer_submit(app->pool, r->defer_fn, r->defer_arg, resume_conn, cn) == 0)
			return MHD_YES;
		hold_refused(cn, c, &cn->deferred);
	}
	/* HEAD: the whole response is queued, so that Content-Length is the
	 * real one; libmicrohttpd sends the headers alone */
	return send_req(c, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;
	(void)cls;
	(void)toe;
	conntrack_request_done(c);
	if (!cn)
		return;
	req_release(&cn->r);
	buf_release(&cn->body);
	free(cn);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	log_v(fmt, ap);
}

/* Opens the listening socket ourselves, so that a port already taken is a
 * clear error at start. SO_REUSEADDR only lets a restart bind while old
 * connections linger in TIME_WAIT; on Linux it never lets a second
 * listener share the port (SO_REUSEPORT would, and would split the
 * connections between the two processes). Returns the socket or -1 with
 * errno set. */
static int open_listener(const struct sockaddr *sa, socklen_t len)
{
	int one = 1;
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if ((sa->sa_family != AF_UNIX && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, sa, len) < 0 || listen(fd, 128) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* A Unix socket left behind by a server that is gone is removed; one a
 * live server answers on is "address in use". */
static void remove_stale_socket(const struct sockaddr_un *sun)
{
	struct stat st;
	if (lstat(sun->sun_path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0 && errno == ECONNREFUSED)
		unlink(sun->sun_path);
	close(fd);
}

/* Where troth listens, as people read it: 127.0.0.1:8080, [::1]:8080,
 * unix:/run/troth/troth.sock. */
static const char *listen_text(const struct app_config *cfg, char *out, size_t n)
{
	if (cfg->listen_unix[0])
		snprintf(out, n, "unix:%s", cfg->listen_unix);
	else
		snprintf(out, n, "%s:%u", cfg->listen_host, (unsigned)cfg->port);
	return out;
}

/* The listening socket for cfg (an IPv4 or IPv6 address and port, or a
 * Unix socket), with the port chosen written back for :0. Returns the
 * socket, or -1 after saying why on stderr. */
static int listen_on(struct app_config *cfg)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
	} a;
	socklen_t len;
	char where[160];
	memset(&a, 0, sizeof(a));
	if (cfg->listen_unix[0]) {
		a.un.sun_family = AF_UNIX;
		snprintf(a.un.sun_path, sizeof(a.un.sun_path), "%s", cfg->listen_unix);
		len = sizeof(a.un);
		remove_stale_socket(&a.un);
	} else if (cfg->listen_host[0] == '[') {
		char host[64];
		size_t hl = strlen(cfg->listen_host);
		snprintf(host, sizeof(host), "%.*s", (int)(hl - 2), cfg->listen_host + 1);
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons(cfg->port);
		len = sizeof(a.in6);
		if (hl < 3 || inet_pton(AF_INET6, host, &a.in6.sin6_addr) != 1)
			goto not_an_address;
	} else {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons(cfg->port);
		len = sizeof(a.in);
		if (inet_pton(AF_INET, cfg->listen_host, &a.in.sin_addr) != 1)
			goto not_an_address;
	}
	int fd = open_listener(&a.sa, len);
	if (fd < 0) {
		if (errno == EADDRINUSE)
			fprintf(stderr, "troth serve: cannot listen on %s: address in use "
				"(another server is already listening there)\n", listen_text(cfg, where, sizeof(where)));
		else
			fprintf(stderr, "troth serve: cannot listen on %s: %s\n",
				listen_text(cfg, where, sizeof(where)), strerror(errno));
		return -1;
	}
	/* the reverse proxy's user reaches the socket through the group */
	if (a.sa.sa_family == AF_UNIX && chmod(a.un.sun_path, 0660) < 0) {
		fprintf(stderr, "troth serve: cannot set the mode of %s: %s\n", a.un.sun_path, strerror(errno));
		close(fd);
		return -1;
	}
	if (a.sa.sa_family != AF_UNIX && getsockname(fd, &a.sa, &len) == 0)
		cfg->port = ntohs(a.sa.sa_family == AF_INET ? a.in.sin_port : a.in6.sin6_port);
	return fd;
not_an_address:
	fprintf(stderr, "troth serve: cannot listen on '%s': not an IP address\n", cfg->listen_host);
	return -1;
}

/* Waits up to tenths tenths of a second for the daemon's connections to
 * close. */
static void wait_for_connections(struct MHD_Daemon *d, int tenths)
{
	for (int i = 0; i < tenths; i++) {
		const union MHD_DaemonInfo *ci =
			MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!ci || ci->num_connections == 0)
			break;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* The stop signals server_run waits for. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void server_block_stop_signals(void)
{
	sigset_t set;
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int server_run(struct app *app)
{
	sigset_t set;
	int sig;
	char where[160];

	int lfd = listen_on(&app->cfg);
	if (lfd < 0)
		return -1;

	/* Block the stop signals before the pool threads start so they inherit
	 * the mask and only this thread receives them. */
	server_block_stop_signals();
	stop_signals(&set);
	signal(SIGPIPE, SIG_IGN);

	struct conntrack *track = conntrack_new(app->cfg.conn_limit, app->cfg.max_conns_per_address,
						app->cfg.header_timeout);
	if (!track) {
		fprintf(stderr, "troth serve: out of memory\n");
		close(lfd);
		return -1;
	}
	app->pool = defer_pool_new_background(defer_pool_size(app->cfg.threads), 64);
	app->writes = defer_pool_new(app->cfg.write_threads, SERVER_WRITE_QUEUE);
	app->timer = defer_timer_new((unsigned)app->cfg.conn_limit);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
			MHD_ALLOW_SUSPEND_RESUME, app->cfg.port,
		NULL, NULL, access_handler, app,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, lfd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.conn_limit,
		/* the per-address share is kept by conntrack, which makes room
		 * by closing a slow-header connection; libmicrohttpd's own limit
		 * is only a backstop for the moment those take to close */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(app->cfg.max_conns_per_address * 2 + 8),
		MHD_OPTION_NOTIFY_CONNECTION, conntrack_notify, track,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.conn_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "troth serve: cannot start the web server on %s\n",
			listen_text(&app->cfg, where, sizeof(where)));
		close(lfd);
		conntrack_free(track);
		defer_pool_free(app->pool);
		defer_pool_free(app->writes);
		defer_timer_free(app->timer);
		app->pool = NULL;
		app->writes = NULL;
		app->timer = NULL;
		return -1;
	}
	if (app->cfg.listen_unix[0])
		printf("troth: serving on %s\n", listen_text(&app->cfg, where, sizeof(where)));
	else
		printf("troth: serving http://%s/\n", listen_text(&app->cfg, where, sizeof(where)));
	fflush(stdout);

	sigwait(&set, &sig);
	log_msg("stopping on signal %d: finishing requests in flight", sig);
	/* from here on the listening socket is ours to close */
	MHD_quiesce_daemon(d);
	wait_for_connections(d, 50);
	/* Writes still queued are committed and answered while the daemon can
	 * still send (each job resumes its connection); a write that arrives
	 * after this is refused with 503. Then the same for password work. A
	 * suspended connection is never left for MHD_stop_daemon. */
	defer_timer_stop(app->timer);
	defer_pool_stop(app->writes);
	defer_pool_stop(app->pool);
	wait_for_connections(d, 10);
	MHD_stop_daemon(d);
	close(lfd);
	if (app->cfg.listen_unix[0])
		unlink(app->cfg.listen_unix);
	conntrack_free(track);
	defer_pool_free(app->writes);
	defer_pool_free(app->pool);
	defer_timer_free(app->timer);
	app->writes = NULL;
	app->pool = NULL;
	app->timer = NULL;
	return 0;
}
