/* serve_options.c: the table of `troth serve` options and the three places
 * they come from (see serve_options.h). */
#include "serve_options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A setter checks one value and stores it; it returns 0, or -1 when the
 * value is not one the option takes (the table's `takes` says what is). */
typedef int setter(struct serve_options *o, const char *v);

struct option {
	const char *key;    /* --key, TROTH_KEY, `key =` in the file */
	const char *value;  /* the value's name in the help, NULL for a switch */
	setter *set;
	const char *takes;  /* what a valid value is, for the error */
	const char *help;
	bool repeat;        /* may be given more than once */
};

static int parse_count(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	if (!v[0] || v[0] == '-' || v[0] == '+')
		return -1;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || *end || !n || n > max)
		return -1;
	*out = n;
	return 0;
}

/* A count from 1 to max, stored times scale. */
static int count(const char *v, unsigned long max, unsigned scale, unsigned *out)
{
	unsigned long n;
	if (parse_count(v, max, &n) < 0)
		return -1;
	*out = (unsigned)n * scale;
	return 0;
}

static int seconds(const char *v, unsigned long max, int unit, int *out)
{
	unsigned long n;
	if (parse_count(v, max, &n) < 0)
		return -1;
	*out = (int)n * unit;
	return 0;
}

/* A switch: from the command line it has no value (v is NULL); from the
 * environment or the file it says yes or no. */
static int parse_switch(const char *v, bool *out)
{
	static const char *yes[] = { "1", "yes", "true", "on" }, *no[] = { "0", "no", "false", "off" };
	if (!v) {
		*out = true;
		return 0;
	}
	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i]))
			return *out = true, 0;
		if (!strcmp(v, no[i]))
			return *out = false, 0;
	}
	return -1;
}

static int set_db(struct serve_options *o, const char *v)
{
	if (!v[0])
		return -1;
	o->cfg.db_path = v;
	return 0;
}

static int set_init(struct serve_options *o, const char *v)
{
	return parse_switch(v, &o->init);
}

static int set_listen(struct serve_options *o, const char *v)
{
	return serve_parse_listen(v, &o->cfg, o->listen_host, sizeof(o->listen_host));
}

static int set_threads(struct serve_options *o, const char *v)
{
	return count(v, 256, 1, &o->cfg.threads);
}

static int set_write_threads(struct serve_options *o, const char *v)
{
	return count(v, 256, 1, &o->cfg.write_threads);
}

static int set_exit_url(struct serve_options *o, const char *v)
{
	if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7))
		return -1;
	o->cfg.exit_url = v;
	return 0;
}

static int set_push_contact(struct serve_options *o, const char *v)
{
	size_t n = strlen(v);
	if ((strncmp(v, "mailto:", 7) && strncmp(v, "https://", 8)) || n < 9 || n >= sizeof(o->cfg.push_contact))
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f || v[i] == '"' || v[i] == '\\')
			return -1;
	memcpy(o->cfg.push_contact, v, n + 1);
	return 0;
}

static int set_push_every(struct serve_options *o, const char *v)
{
	unsigned long n;
	if (!strcmp(v, "off")) {
		o->cfg.push_every = 0;
		return 0;
	}
	if (parse_count(v, 3600, &n) < 0 || n < 10)
		return -1;
	o->cfg.push_every = (unsigned)n;
	return 0;
}

static int set_tls(struct serve_options *o, const char *v)
{
	return parse_switch(v, &o->cfg.tls);
}

static int set_content(struct serve_options *o, const char *v)
{
	if (!v[0])
		return -1;
	o->content = v;
	return 0;
}

static int set_idle(struct serve_options *o, const char *v)
{
	return seconds(v, 1440, 60, &o->limits.idle_seconds);
}

static int set_max_hours(struct serve_options *o, const char *v)
{
	return seconds(v, 168, 3600, &o->limits.absolute_seconds);
}

static int set_public_url(struct serve_options *o, const char *v)
{
	return app_set_public_url(&o->cfg, v);
}

static int set_trusted_proxy(struct serve_options *o, const char *v)
{
	return app_add_trusted_proxy(&o->cfg, v);
}

static int set_max_conns(struct serve_options *o, const char *v)
{
	return count(v, 1024, 1, &o->cfg.max_conns_per_address);
}

static int set_log_format(struct serve_options *o, const char *v)
{
	if (!strcmp(v, "plain"))
		o->log_json = false;
	else if (!strcmp(v, "json"))
		o->log_json = true;
	else
		return -1;
	return 0;
}

static int set_backup_dir(struct serve_options *o, const char *v)
{
	if (!v[0])
		return -1;
	o->backup_dir = v;
	return 0;
}

static int set_backup_every(struct serve_options *o, const char *v)
{
	return count(v, 24 * 366, 1, &o->backup_hours);
}

static int set_backup_keep(struct serve_options *o, const char *v)
{
	return count(v, 1000, 1, &o->backup_keep);
}

static const struct option options[] = {
	{ "db", "PATH", set_db, "a path", "The database (default troth.db). It must exist: see troth init.", false },
	{ "init", NULL, set_init, "yes or no",
	  "Make a new database at the --db path when there is none (or the file is empty).", false },
	{ "listen", "ADDR", set_listen, "HOST:PORT, [IPv6]:PORT, localhost:PORT or unix:/PATH",
	  "Where to listen (default 127.0.0.1:8080): an IPv4 address and port, [::1]:8080,\n"
	  "localhost:8080 (127.0.0.1), or unix:/run/troth/troth.sock for a reverse proxy on\n"
	  "this machine.", false },
	{ "threads", "N", set_threads, "a number from 1 to 256",
	  "Serve with N threads (default one per CPU core).", false },
	{ "write-threads", "N", set_write_threads, "a number from 1 to 256",
	  "Run the requests that change something on N threads of their own (default 16):\n"
	  "up to N writes share one commit to disk, and reads never wait for one.", false },
	{ "exit-url", "URL", set_exit_url, "an http(s) URL", "Where the quick exit goes.", false },
	{ "tls", NULL, set_tls, "yes or no", "People reach troth over HTTPS (through a proxy).", false },
	{ "content", "FILE", set_content, "a path",
	  "Serve an adapted roadmap (see content/roadmap.txt for the format).", false },
	{ "idle-minutes", "N", set_idle, "1 to 1440",
	  "End a session after N quiet minutes (default 30).", false },
	{ "max-hours", "N", set_max_hours, "1 to 168", "End every session after N hours (default 12).", false },
	{ "public-url", "URL", set_public_url, "http(s)://HOST[:PORT][/PATH]",
	  "The address people use, such as https://example.org/: calendar and invite\n"
	  "links start with it (default http://ADDR:PORT/).", false },
	{ "trusted-proxy", "ADDR", set_trusted_proxy, "an IP address (at most 8)",
	  "Believe X-Forwarded-For and X-Forwarded-Proto from the reverse proxy at ADDR\n"
	  "(repeat it, or separate addresses with commas or spaces, for more proxies).", true },
	{ "max-conns-per-address", "N", set_max_conns, "1 to 1024",
	  "Let one client address hold N connections (default 64); behind a reverse\n"
	  "proxy, at least the proxy's own limit.", false },
	{ "backup-dir", "DIR", set_backup_dir, "a directory",
	  "Take a backup into DIR at start and every --backup-every hours, each checked\n"
	  "like troth backup and named troth-YYYYMMDDTHHMMSSZ.db (UTC).", false },
	{ "backup-every", "HOURS", set_backup_every, "1 to 8784", "Hours between backups (default 24).", false },
	{ "backup-keep", "N", set_backup_keep, "1 to 1000",
	  "Keep the newest N backups in DIR, removing older ones (default 7).", false },
	{ "push-contact", "URL", set_push_contact, "a mailto: or https: URL",
	  "How push services can reach whoever runs troth, sent with each reminder\n"
	  "(VAPID); default the public URL when it is https.", false },
	{ "push-every", "SECONDS", set_push_every, "10 to 3600, or off",
	  "Look for reminders to send every SECONDS (default 60); off sends none.", false },
	{ "log-format", "FORMAT", set_log_format, "plain or json",
	  "plain (default) or json: one JSON object a line, with the method, the route,\n"
	  "the status and the duration; never a request's content.", false },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static const struct option *find_option(const char *key, size_t len)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strlen(options[i].key) == len && !strncmp(options[i].key, key, len))
			return &options[i];
	return NULL;
}

static int apply(struct serve_options *o, const struct option *opt, const char *v, const char *where,
		 char *err, size_t errlen)
{
	if (opt->set(o, v) == 0)
		return 0;
	if (v)
		snprintf(err, errlen, "%s takes %s, not '%s'", where, opt->takes, v);
	else
		snprintf(err, errlen, "%s needs a value (%s)", where, opt->takes);
	return -1;
}

/* A repeatable option takes a list: "a, b c". Each item is applied; the
 * list is cut in place (v is writable: the file's text or a copy). */
static int apply_list(struct serve_options *o, const struct option *opt, char *v, const char *where,
		      char *err, size_t errlen)
{
	char *save = NULL;
	int any = 0;
	for (char *t = strtok_r(v, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		if (apply(o, opt, t, where, err, errlen) < 0)
			return -1;
		any = 1;
	}
	if (!any)
		return apply(o, opt, "", where, err, errlen);
	return 0;
}

/* Forgets what a lower place said for a repeatable option, so the place
 * that names it last gives the whole list. */
static void reset(struct serve_options *o, const struct option *opt)
{
	if (opt->set == set_trusted_proxy)
		o->cfg.n_trusted_proxies = 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

#define CONFIG_FILE_MAX (64 * 1024)

static int read_file(const char *path, char **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read the config file %s: %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(CONFIG_FILE_MAX + 1);
	size_t n = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!text || bad || n > CONFIG_FILE_MAX || memchr(text, '\0', n)) {
		snprintf(err, errlen, "the config file %s cannot be read as text (at most 64 KiB)", path);
		free(text);
		return -1;
	}
	text[n] = '\0';
	*out = text;
	return 0;
}

static int from_file(struct serve_options *o, char *err, size_t errlen)
{
	if (read_file(o->config_path, &o->file_text, err, errlen) < 0)
		return -1;
	bool seen[NOPTIONS] = { false };
	char where[300];
	int lineno = 0;
	char *save = NULL;
	/* strtok_r would skip empty lines and so miscount: walk by hand */
	for (char *line = o->file_text; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		char *s = trim(line);
		if (!s[0] || s[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", o->config_path, lineno);
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s: a line is `key = value`, not '%s'", where, s);
			return -1;
		}
		*eq = '\0';
		char *key = trim(s), *v = trim(eq + 1);
		const struct option *opt = find_option(key, strlen(key));
		if (!opt) {
			snprintf(err, errlen, "%s: there is no option '%s' (see troth help serve)", where, key);
			return -1;
		}
		size_t k = (size_t)(opt - options);
		if (seen[k] && !opt->repeat) {
			snprintf(err, errlen, "%s: '%s' is set twice", where, key);
			return -1;
		}
		seen[k] = true;
		if ((opt->repeat ? apply_list(o, opt, v, where, err, errlen)
				 : apply(o, opt, v, where, err, errlen)) < 0)
			return -1;
	}
	return 0;
}

/* TROTH_MAX_CONNS_PER_ADDRESS for max-conns-per-address. */
static void env_name(const char *key, char *out, size_t n)
{
	size_t i = snprintf(out, n, "TROTH_");
	for (; *key && i + 1 < n; key++)
		out[i++] = *key == '-' ? '_' : (char)(*key >= 'a' && *key <= 'z' ? *key - 32 : *key);
	out[i] = '\0';
}

static const char *env_get(char **env, const char *name)
{
	size_t len = strlen(name);
	for (char **e = env; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static int from_env(struct serve_options *o, char **env, char *err, size_t errlen)
{
	char name[64];
	for (size_t i = 0; i < NOPTIONS; i++) {
		env_name(options[i].key, name, sizeof(name));
		const char *v = env_get(env, name);
		if (!v)
			continue;
		if (!options[i].repeat) {
			if (apply(o, &options[i], v, name, err, errlen) < 0)
				return -1;
			continue;
		}
		char copy[1024];
		if (strlen(v) >= sizeof(copy)) {
			snprintf(err, errlen, "%s is too long", name);
			return -1;
		}
		snprintf(copy, sizeof(copy), "%s", v);
		reset(o, &options[i]);
		if (apply_list(o, &options[i], copy, name, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int from_argv(struct serve_options *o, int argc, char **argv, char *err, size_t errlen)
{
	bool named[NOPTIONS] = { false };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--config")) {
			i++; /* read before: see serve_options_parse */
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
			return 0;
		}
		const struct option *opt = strncmp(a, "--", 2) ? NULL : find_option(a + 2, strlen(a + 2));
		if (!opt) {
			snprintf(err, errlen, "unknown option '%s'", a);
			return -1;
		}
		size_t k = (size_t)(opt - options);
		if (opt->repeat && !named[k])
			reset(o, opt);
		named[k] = true;
		const char *v = NULL;
		if (opt->value) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value (%s)", a, opt->takes);
				return -1;
			}
			v = argv[++i];
		}
		if (apply(o, opt, v, a, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int serve_options_parse(struct serve_options *o, int argc, char **argv, char **env, char *err,
			size_t errlen)
{
	memset(o, 0, sizeof(*o));
	app_config_defaults(&o->cfg);
	o->limits.idle_seconds = 30 * 60;
	o->limits.absolute_seconds = 12 * 60 * 60;
	o->backup_hours = 24;
	o->backup_keep = 7;
	o->config_path = env_get(env, "TROTH_CONFIG");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			o->help = true;
			return 0;
		}
		if (!strcmp(argv[i], "--config")) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "--config needs a value (a path)");
				return -1;
			}
			o->config_path = argv[++i];
		}
	}
	if (o->config_path && from_file(o, err, errlen) < 0)
		return -1;
	if (from_env(o, env, err, errlen) < 0)
		return -1;
	return from_argv(o, argc, argv, err, errlen);
}

void serve_options_free(struct serve_options *o)
{
	free(o->file_text);
	o->file_text = NULL;
}

void serve_options_help(FILE *f)
{
	char name[64];
	fprintf(f, "Every option also comes from the environment (TROTH_KEY) or from a config file\n"
		   "(--config FILE or TROTH_CONFIG; lines `key = value`, # for comments); a flag\n"
		   "wins over the environment, the environment over the file.\n\n");
	fprintf(f, "--config FILE\n    Read options from FILE.\n");
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *opt = &options[i];
		env_name(opt->key, name, sizeof(name));
		fprintf(f, "--%s%s%s  (%s, %s =)\n    ", opt->key, opt->value ? " " : "",
			opt->value ? opt->value : "", name, opt->key);
		for (const char *p = opt->help; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fputs("    ", f);
		}
		fputc('\n', f);
	}
}

int serve_parse_listen(const char *s, struct app_config *cfg, char *host, size_t hostlen)
{
	if (!strncmp(s, "unix:", 5)) {
		const char *path = s + 5;
		if (path[0] != '/' || strlen(path) >= sizeof(cfg->listen_unix))
			return -1;
		snprintf(cfg->listen_unix, sizeof(cfg->listen_unix), "%s", path);
		snprintf(host, hostlen, "localhost");
		cfg->listen_host = host;
		cfg->port = 80;
		return 0;
	}
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned char bin[16];
	char addr[64];
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(addr) || (size_t)(colon - s) >= hostlen)
		return -1;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || colon[1] == '-' || colon[1] == '+' || port > 65535)
		return -1;
	size_t len = (size_t)(colon - s);
	if (s[0] == '[') {
		/* [IPv6]:PORT: the brackets stay in the host, as a URL writes it */
		if (len < 3 || s[len - 1] != ']')
			return -1;
		memcpy(addr, s + 1, len - 2);
		addr[len - 2] = '\0';
		if (inet_pton(AF_INET6, addr, bin) != 1)
			return -1;
	} else {
		memcpy(addr, s, len);
		addr[len] = '\0';
		if (!strcmp(addr, "localhost"))
			len = (size_t)snprintf(addr, sizeof(addr), "127.0.0.1");
		else if (inet_pton(AF_INET, addr, bin) != 1)
			return -1;
		s = addr;
	}
	memcpy(host, s, len);
	host[len] = '\0';
	cfg->listen_host = host;
	cfg->port = (unsigned short)port;
	cfg->listen_unix[0] = '\0';
	return 0;
}
