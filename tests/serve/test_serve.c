/* test_serve.c: starts the real `troth serve` on a free loopback port and
 * talks HTTP/1.1 to it over a socket: two requests on one kept-alive
 * connection, the security headers, an oversize body refused with 413,
 * a malformed path refused with 400, a second server on the same port
 * refused at start, logins from one address all let in when more arrive
 * at once than may be checked together, and a clean stop on SIGTERM.
 * argv[1] is the path of the troth binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "unit/scratch.h"

static const char *troth_bin;
static char dir[64], dbpath[128];
static pid_t pid;
static int port;

static int start(void **state)
{
	int out[2];
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/troth-serve-XXXXXX");
	if (!mkdtemp(dir) || pipe(out) < 0)
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", dir);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		execl(troth_bin, troth_bin, "serve", "--db", dbpath, "--listen", "127.0.0.1:0",
		      "--threads", "2", "--init", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	FILE *f = fdopen(out[0], "r");
	char line[256] = "";
	if (!fgets(line, sizeof(line), f))
		return -1;
	fclose(f);
	const char *p = strstr(line, "127.0.0.1:");
	if (!p)
		return -1;
	port = atoi(p + 10);
	return port > 0 ? 0 : -1;
}

static int stop(void **state)
{
	(void)state;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	scratch_remove(dir, dbpath);
	return 0;
}

static int dial(void)
{
	struct sockaddr_in sa = { 0 };
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Reads one response (headers + Content-Length body) into out. */
static void read_response(int fd, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (;;) {
		ssize_t n = recv(fd, out + len, cap - 1 - len, 0);
		assert_true(n > 0);
		len += (size_t)n;
		out[len] = '\0';
		char *end = strstr(out, "\r\n\r\n");
		if (!end)
			continue;
		const char *cl = strcasestr(out, "Content-Length:");
		size_t want = (size_t)(end + 4 - out) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		if (len >= want)
			return;
	}
}

/* Sends req on a fresh connection and reads one answer into out (cap
 * bytes); closes the connection. */
static void answer_to(const char *req, char *out, size_t cap)
{
	int fd = dial();
	send(fd, req, strlen(req), 0);
	read_response(fd, out, cap);
	close(fd);
}

/* Sends req (len bytes) on a fresh connection while reading the answer, so
 * that a server which answers before reading everything (and then closes)
 * is still heard. Returns the bytes of the response read into out. */
static size_t exchange(const char *req, size_t len, char *out, size_t cap)
{
	int fd = dial();
	size_t sent = 0, got = 0;
	bool can_send = true;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	out[0] = '\0';
	for (int rounds = 0; rounds < 1000; rounds++) {
		struct pollfd p = { fd, POLLIN | (can_send && sent < len ? POLLOUT : 0), 0 };
		if (poll(&p, 1, 10000) <= 0)
			break;
		if ((p.revents & POLLOUT) && can_send && sent < len) {
			ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else
				can_send = false;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(fd, out + got, cap - 1 - got, 0);
			if (n <= 0)
				break;
			got += (size_t)n;
			out[got] = '\0';
			char *end = strstr(out, "\r\n\r\n");
			const char *cl = strcasestr(out, "Content-Length:");
			if (end && cl && got >= (size_t)(end + 4 - out) + strtoul(cl + 15, NULL, 10))
				break;
		}
	}
	close(fd);
	return got;
}

/* A request made of line, then filler bytes of 'a' where the request line
 * says %s (or a header of filler bytes), then the end of the headers. */
static char *build_request(const char *fmt, size_t filler)
{
	char *fill = malloc(filler + 1);
	memset(fill, 'a', filler);
	fill[filler] = '\0';
	size_t cap = strlen(fmt) + filler + 1;
	char *req = malloc(cap);
	snprintf(req, cap, fmt, fill);
	free(fill);
	return req;
}

static void assert_our_headers(const char *resp, const char *status)
{
	assert_memory_equal(resp, status, strlen(status));
	assert_non_null(strcasestr(resp, "\r\nContent-Security-Policy: default-src 'self'"));
	assert_non_null(strcasestr(resp, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strcasestr(resp, "\r\nCache-Control: no-store\r\n"));
}

/* Requests refused before a handler could run still carry our headers:
 * the ones we refuse ourselves and the ones libmicrohttpd answers alone
 * (larger than a connection's memory, or in an HTTP version it does not
 * speak). */
static void refusals_carry_our_headers(void **state)
{
	(void)state;
	static char resp[65536];
	struct {
		const char *fmt;
		size_t filler;
		const char *status;
	} cases[] = {
		{ "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", 5000, "HTTP/1.1 414" },
		{ "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", 200000, "HTTP/1.1 414" },
		{ "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", 20000, "HTTP/1.1 431" },
		{ "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", 200000, "HTTP/1.1 431" },
		{ "GET /%s HTTP/2.0\r\nHost: x\r\n\r\n", 1, "HTTP/1.1 505" },
		{ "GET /%s HTTP/1.1 x\r\nHost: x\r\n\r\n", 1, "HTTP/1.1 400" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *req = build_request(cases[i].fmt, cases[i].filler);
		size_t got = exchange(req, strlen(req), resp, sizeof(resp));
		free(req);
		if (got == 0 || strncmp(resp, cases[i].status, strlen(cases[i].status)))
			fprintf(stderr, "case %zu: wanted %s, got: %.200s\n", i, cases[i].status, resp);
		assert_our_headers(resp, cases[i].status);
	}
}

static void keep_alive_and_headers(void **state)
{
	(void)state;
	char resp[65536];
	int fd = dial();
	const char *req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	for (int i = 0; i < 2; i++) {
		assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
		read_response(fd, resp, sizeof(resp));
		assert_memory_equal(resp, "HTTP/1.1 200", 12);
		assert_non_null(strstr(resp, "{\"status\":\"ok\",\"db\":\"ok\"}"));
		assert_non_null(strcasestr(resp, "Content-Security-Policy: default-src 'self'"));
		assert_non_null(strcasestr(resp, "X-Content-Type-Options: nosniff"));
		assert_non_null(strcasestr(resp, "Referrer-Policy: no-referrer"));
		assert_non_null(strcasestr(resp, "Cache-Control: no-store"));
		assert_non_null(strcasestr(resp, "Content-Type: application/json; charset=utf-8"));
	}
	close(fd);
}

/* HEAD answers with the headers a GET would get, the real Content-Length
 * among them, and no body: the next response on the connection follows
 * at once. */
static void head_has_the_real_content_length(void **state)
{
	(void)state;
	static char resp[65536];
	int fd = dial();
	const char *get = "GET /static/troth.css HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *head = "HEAD /static/troth.css HTTP/1.1\r\nHost: x\r\n\r\n";
	send(fd, get, strlen(get), 0);
	read_response(fd, resp, sizeof(resp));
	const char *cl = strcasestr(resp, "\r\nContent-Length:");
	assert_non_null(cl);
	unsigned long want = strtoul(cl + 17, NULL, 10);
	assert_true(want > 100);
	/* HEAD then GET, sent together: the GET's answer starts right after
	 * the HEAD's headers */
	char both[256];
	snprintf(both, sizeof(both), "%s%s", head, get);
	send(fd, both, strlen(both), 0);
	size_t len = 0;
	char *second = NULL;
	while (!second || !strstr(second, "\r\n\r\n")) {
		ssize_t n = recv(fd, resp + len, sizeof(resp) - 1 - len, 0);
		assert_true(n > 0);
		len += (size_t)n;
		resp[len] = '\0';
		char *end = strstr(resp, "\r\n\r\n");
		second = end ? end + 4 : NULL;
		if (second && !*second)
			second = NULL;
	}
	assert_memory_equal(resp, "HTTP/1.1 200", 12);
	cl = strcasestr(resp, "\r\nContent-Length:");
	assert_non_null(cl);
	assert_true(cl < second);
	assert_int_equal(strtoul(cl + 17, NULL, 10), want);
	assert_memory_equal(second, "HTTP/1.1 200", 12);
	close(fd);
}

static void oversize_body_is_413(void **state)
{
	(void)state;
	char resp[65536];
	const char *req = "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			  "Content-Length: 70000\r\n\r\n";
	answer_to(req, resp, sizeof(resp));
	assert_memory_equal(resp, "HTTP/1.1 413", 12);
	assert_non_null(strstr(resp, "\"body_too_large\""));
}

static void bad_path_is_400(void **state)
{
	(void)state;
	char resp[65536];
	answer_to("GET /caf%FF HTTP/1.1\r\nHost: x\r\n\r\n", resp, sizeof(resp));
	assert_memory_equal(resp, "HTTP/1.1 400", 12);
}

static void paths_are_decoded_once(void **state)
{
	(void)state;
	char resp[65536];
	int fd = dial();
	/* %25 is a literal %: "troth%2Ecss" is no asset name */
	const char *req = "GET /static/troth%252Ecss HTTP/1.1\r\nHost: x\r\n\r\n";
	send(fd, req, strlen(req), 0);
	read_response(fd, resp, sizeof(resp));
	assert_memory_equal(resp, "HTTP/1.1 404", 12);
	const char *ok = "GET /static/troth%2Ecss HTTP/1.1\r\nHost: x\r\n\r\n";
	send(fd, ok, strlen(ok), 0);
	read_response(fd, resp, sizeof(resp));
	assert_memory_equal(resp, "HTTP/1.1 200", 12);
	close(fd);
}

/* Runs troth serve with the given --listen value and a database of its own,
 * waits at most 10 s for it to exit, and returns its exit status (-1 when
 * it kept running), with what it wrote to stderr in err. */
static int run_second_server(const char *listen, char *err, size_t cap)
{
	int efd[2];
	char db2[160];
	snprintf(db2, sizeof(db2), "%s/second.db", dir);
	assert_int_equal(pipe(efd), 0);
	pid_t p = fork();
	if (p == 0) {
		dup2(efd[1], 2);
		close(efd[0]);
		execl(troth_bin, troth_bin, "serve", "--db", db2, "--listen", listen,
		      "--threads", "1", "--init", (char *)NULL);
		_exit(127);
	}
	close(efd[1]);
	int status = 0, exited = 0;
	for (int i = 0; i < 100 && !exited; i++) {
		if (waitpid(p, &status, WNOHANG) == p)
			exited = 1;
		else
			usleep(100 * 1000);
	}
	if (!exited) {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
	}
	ssize_t n = read(efd[0], err, cap - 1);
	err[n > 0 ? n : 0] = '\0';
	close(efd[0]);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char q[180];
		snprintf(q, sizeof(q), "%s%s", db2, suffix[i]);
		unlink(q);
	}
	return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A second server on a port already served refuses to start, and says why;
 * the first one keeps answering every request. */
static void second_server_on_same_port_refused(void **state)
{
	(void)state;
	char listen[64], err[2048], resp[65536];
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	assert_int_equal(run_second_server(listen, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "address in use"));
	for (int i = 0; i < 10; i++) {
		answer_to("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", resp, sizeof(resp));
		assert_memory_equal(resp, "HTTP/1.1 200", 12);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A connection that has sent a request line and one header, and stops. */
static int slow_open(void)
{
	struct sockaddr_in sa = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	send(fd, start, strlen(start), MSG_NOSIGNAL);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* True when the server closed fd (or it broke). */
static bool slow_closed(int fd)
{
	char b[512];
	ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* One GET /healthz on a new connection; true when it was answered 200
 * within 3 s. */
static bool healthz_answered(void)
{
	struct sockaddr_in sa = { 0 };
	struct timeval tv = { 3, 0 };
	char resp[4096];
	size_t len = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	bool ok = false;
	const char *req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req)) {
		for (;;) {
			ssize_t n = recv(fd, resp + len, sizeof(resp) - 1 - len, 0);
			if (n <= 0)
				break;
			len += (size_t)n;
			resp[len] = '\0';
			if (strstr(resp, "\"status\":\"ok\"")) {
				ok = !strncmp(resp, "HTTP/1.1 200", 12);
				break;
			}
		}
	}
	close(fd);
	return ok;
}

/* One address floods the server with connections that trickle their
 * headers (as slowhttptest -H does), reopening those that are closed; a
 * normal client on the same address still gets its answers. */
static void slow_headers_do_not_starve_others(void **state)
{
	(void)state;
	enum { SLOW = 600, TRIES = 50 };
	static int slow[SLOW];
	for (int i = 0; i < SLOW; i++)
		slow[i] = slow_open();
	usleep(300 * 1000);
	int answered = 0;
	double last_trickle = now_s();
	for (int t = 0; t < TRIES; t++) {
		if (healthz_answered())
			answered++;
		usleep(100 * 1000);
		/* reopen what was closed, 50 at a time (500 a second) */
		for (int i = 0, reopened = 0; i < SLOW && reopened < 50; i++) {
			if (slow[i] >= 0 && !slow_closed(slow[i]))
				continue;
			if (slow[i] >= 0)
				close(slow[i]);
			slow[i] = slow_open();
			reopened++;
		}
		if (now_s() - last_trickle < 1.0)
			continue;
		last_trickle = now_s();
		for (int i = 0; i < SLOW; i++)
			if (slow[i] >= 0)
				send(slow[i], "X-a: b\r\n", 8, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	for (int i = 0; i < SLOW; i++)
		if (slow[i] >= 0)
			close(slow[i]);
	fprintf(stderr, "slow-header flood: %d of %d answered\n", answered, TRIES);
	assert_true(answered * 100 >= TRIES * 95);
}

/* A connection that sends a header line every second, forever, is closed
 * once the header deadline (10 s) has passed: the deadline covers all the
 * headers, not each byte. */
static void the_header_phase_is_bounded(void **state)
{
	(void)state;
	int fd = slow_open();
	assert_true(fd >= 0);
	double start = now_s(), closed_at = 0;
	while (now_s() - start < 20) {
		struct pollfd p = { fd, POLLIN, 0 };
		poll(&p, 1, 1000);
		if (slow_closed(fd)) {
			closed_at = now_s() - start;
			break;
		}
		send(fd, "X-a: b\r\n", 8, MSG_NOSIGNAL);
	}
	close(fd);
	fprintf(stderr, "trickling connection closed after %.1f s\n", closed_at);
	assert_true(closed_at >= 9);
	assert_true(closed_at <= 13);
}

#define WRITERS 24

/* Writes arrive on many connections at once: each is answered 201, and
 * each is there to read back afterwards. */
static void many_writes_at_once_are_all_kept(void **state)
{
	(void)state;
	int fd[WRITERS];
	char req[256], resp[4096];
	for (int i = 0; i < WRITERS; i++) {
		fd[i] = dial();
		int n = snprintf(req, sizeof(req),
				 "POST /api/v1/_test/records HTTP/1.1\r\nHost: x\r\n"
				 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"n\":%d}",
				 (int)snprintf(NULL, 0, "{\"n\":%d}", 1000 + i), 1000 + i);
		assert_int_equal(send(fd[i], req, (size_t)n, 0), n);
	}
	for (int i = 0; i < WRITERS; i++) {
		read_response(fd[i], resp, sizeof(resp));
		assert_non_null(strstr(resp, "HTTP/1.1 201 "));
		close(fd[i]);
	}
	char *list = malloc(65536);
	answer_to("GET /api/v1/_test/records HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", list, 65536);
	for (int i = 0; i < WRITERS; i++) {
		char n[16];
		snprintf(n, sizeof(n), "%d", 1000 + i);
		assert_non_null(strstr(list, n));
	}
	free(list);
}

/* Six logins to one account from one address at once, more than may be
 * checked together (two per account, four per address): each waits its
 * turn and is let in; none is refused. */
#define LOGINS 6
static void logins_at_once_wait_their_turn(void **state)
{
	(void)state;
	char req[512], resp[4096];
	const char *acct = "{\"username\":\"ana\",\"password\":\"a long quiet river at dawn\","
			   "\"display_name\":\"Ana\"}";
	const char *login = "{\"username\":\"ana\",\"password\":\"a long quiet river at dawn\"}";
	snprintf(req, sizeof(req),
		 "POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(acct), acct);
	answer_to(req, resp, sizeof(resp));
	assert_non_null(strstr(resp, "HTTP/1.1 201 "));
	int n = snprintf(req, sizeof(req),
			 "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(login), login);
	int fd[LOGINS];
	for (int i = 0; i < LOGINS; i++) {
		fd[i] = dial();
		assert_int_equal(send(fd[i], req, (size_t)n, 0), n);
	}
	for (int i = 0; i < LOGINS; i++) {
		read_response(fd[i], resp, sizeof(resp));
		assert_non_null(strstr(resp, "HTTP/1.1 201 "));
		assert_non_null(strstr(resp, "\"token\""));
		close(fd[i]);
	}
}

/* The rows of harness_record in the stopped server's database whose n
 * is n. */
static long long stored(sqlite3 *c, int n)
{
	sqlite3_stmt *st = NULL;
	long long count = -1;
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT count(*) FROM harness_record WHERE n = ?1", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int(st, 1, n);
	if (sqlite3_step(st) == SQLITE_ROW)
		count = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return count;
}

/* Writes still in flight when the server is told to stop are each
 * answered, 201 (and then in the database) or 503, never dropped; the
 * store closes after them, cleanly. */
/* Every thread of the server but the main one (the push sender started
 * before the web server among them) blocks SIGINT and SIGTERM, so a stop
 * signal always reaches the main thread's wait and never a thread whose
 * default action would end the process at once, mid-write. (While it
 * waits, the main thread's own mask shows the signals let through.) */
static void every_thread_leaves_the_stop_signals_to_the_server(void **state)
{
	(void)state;
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	assert_non_null(d);
	int threads = 0, blocking = 0;
	const unsigned long long stop = (1ull << (SIGINT - 1)) | (1ull << (SIGTERM - 1));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == (int)pid)
			continue;
		char status[384];
		snprintf(status, sizeof(status), "%s/%s/status", path, e->d_name);
		FILE *f = fopen(status, "r");
		if (!f)
			continue; /* a thread that has just ended */
		threads++;
		unsigned long long blk = 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "SigBlk: %llx", &blk) == 1)
				break;
		fclose(f);
		blocking += (blk & stop) == stop;
	}
	closedir(d);
	assert_true(threads > 2);
	assert_int_equal(blocking, threads);
}

static void sigterm_stops_cleanly(void **state)
{
	(void)state;
	int status = 0;
	int fd[WRITERS];
	char req[256], resp[4096];
	bool kept[WRITERS];
	/* each connection is taken in (answered once) before the writes go:
	 * one still in the kernel's queue at the stop was never the server's */
	for (int i = 0; i < WRITERS; i++) {
		fd[i] = dial();
		const char *hz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
		assert_int_equal(send(fd[i], hz, strlen(hz), 0), (ssize_t)strlen(hz));
		read_response(fd[i], resp, sizeof(resp));
	}
	for (int i = 0; i < WRITERS; i++) {
		int n = snprintf(req, sizeof(req),
				 "POST /api/v1/_test/records HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
				 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"n\":%d}",
				 (int)snprintf(NULL, 0, "{\"n\":%d}", 2000 + i), 2000 + i);
		assert_int_equal(send(fd[i], req, (size_t)n, 0), n);
	}
	assert_int_equal(kill(pid, SIGTERM), 0);
	for (int i = 0; i < WRITERS; i++) {
		read_response(fd[i], resp, sizeof(resp));
		kept[i] = strstr(resp, "HTTP/1.1 201 ") != NULL;
		assert_true(kept[i] || strstr(resp, "HTTP/1.1 503 "));
		close(fd[i]);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	pid = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the database is closed and checkpointed: no WAL left behind */
	char wal[160];
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	assert_int_equal(access(wal, F_OK), -1);
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open_v2(dbpath, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(stored(c, 2000 + i), kept[i] ? 1 : 0);
	sqlite3_close(c);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_serve TROTH_BINARY\n");
		return 2;
	}
	troth_bin = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keep_alive_and_headers),
		cmocka_unit_test(head_has_the_real_content_length),
		cmocka_unit_test(oversize_body_is_413),
		cmocka_unit_test(bad_path_is_400),
		cmocka_unit_test(paths_are_decoded_once),
		cmocka_unit_test(refusals_carry_our_headers),
		cmocka_unit_test(second_server_on_same_port_refused),
		cmocka_unit_test(slow_headers_do_not_starve_others),
		cmocka_unit_test(the_header_phase_is_bounded),
		cmocka_unit_test(many_writes_at_once_are_all_kept),
		cmocka_unit_test(logins_at_once_wait_their_turn),
		cmocka_unit_test(every_thread_leaves_the_stop_signals_to_the_server),
		cmocka_unit_test(sigterm_stops_cleanly),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
