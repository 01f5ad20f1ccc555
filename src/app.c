/* app.c: the configuration defaults and the public URL. */
#include "app.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"

void app_config_defaults(struct app_config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->db_path = "troth.db";
	cfg->listen_host = "127.0.0.1";
	cfg->port = 8080;
	cfg->threads = cores > 0 && cores < 64 ? (unsigned)cores : 2;
	cfg->write_threads = 16;
	cfg->exit_url = APP_DEFAULT_EXIT_URL;
	cfg->tls = false;
	cfg->conn_limit = 1024;
	cfg->conn_timeout = 30;
	cfg->public_url[0] = '\0';
	cfg->n_trusted_proxies = 0;
	cfg->max_conns_per_address = 64;
	cfg->header_timeout = 10;
	cfg->push_contact[0] = '\0';
	cfg->push_every = 60;
}

int app_add_trusted_proxy(struct app_config *cfg, const char *addr)
{
	unsigned char bin[16];
	char *out = cfg->trusted_proxy[cfg->n_trusted_proxies];
	if (cfg->n_trusted_proxies >= APP_MAX_PROXIES)
		return -1;
	if (inet_pton(AF_INET, addr, bin) == 1)
		inet_ntop(AF_INET, bin, out, sizeof(cfg->trusted_proxy[0]));
	else if (inet_pton(AF_INET6, addr, bin) == 1)
		inet_ntop(AF_INET6, bin, out, sizeof(cfg->trusted_proxy[0]));
	else
		return -1;
	cfg->n_trusted_proxies++;
	return 0;
}

bool app_is_trusted_proxy(const struct app_config *cfg, const char *addr)
{
	/* on a Unix socket the peer is a process of this machine that may
	 * open the socket: the reverse proxy (its address is "") */
	if (cfg->listen_unix[0] && !addr[0])
		return true;
	for (unsigned i = 0; i < cfg->n_trusted_proxies; i++)
		if (!strcmp(cfg->trusted_proxy[i], addr))
			return true;
	return false;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the host at s (a DNS name or IPv4 address, or an IPv6 address
 * in brackets), or 0 when there is none. */
static size_t host_len(const char *s)
{
	size_t n = 0;
	if (s[0] == '[') {
		for (n = 1; s[n] && s[n] != ']'; n++)
			if (!strchr("0123456789abcdefABCDEF:.", s[n]))
				return 0;
		return s[n] == ']' && n > 2 ? n + 1 : 0;
	}
	for (size_t label = 0; is_alnum(s[n]) || s[n] == '-' || s[n] == '.'; n++) {
		if (s[n] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (++label > 63) {
			return 0;
		}
	}
	if (n == 0 || n > 253 || s[0] == '-' || s[n - 1] == '-' || s[n - 1] == '.')
		return 0;
	return n;
}

int app_set_public_url(struct app_config *cfg, const char *url)
{
	const char *p = url;
	if (!strncmp(p, "https://", 8))
		p += 8;
	else if (!strncmp(p, "http://", 7))
		p += 7;
	else
		return -1;
	size_t h = host_len(p);
	if (!h)
		return -1;
	p += h;
	if (*p == ':') {
		char *end;
		if (p[1] < '0' || p[1] > '9')
			return -1;
		unsigned long port = strtoul(p + 1, &end, 10);
		if (port < 1 || port > 65535 || end - p > 6)
			return -1;
		p = end;
	}
	if (*p && *p != '/')
		return -1;
	for (const char *q = p; *q; q++)
		if (!is_alnum(*q) && !strchr("-._~/", *q))
			return -1;
	/* no empty, "." or ".." segment inside the prefix */
	for (const char *seg = p; *seg == '/'; ) {
		const char *next = strchr(seg + 1, '/');
		size_t n = next ? (size_t)(next - seg - 1) : strlen(seg + 1);
		if ((n == 0 && next && next[1]) || (n == 1 && seg[1] == '.') ||
		    (n == 2 && seg[1] == '.' && seg[2] == '.'))
			return -1;
		if (!next)
			break;
		seg = next;
	}
	size_t len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	if (len >= sizeof(cfg->public_url))
		return -1;
	memcpy(cfg->public_url, url, len);
	cfg->public_url[len] = '\0';
	return 0;
}

const char *app_url(struct arena *arena, const struct app_config *cfg, const char *path)
{
	if (cfg->public_url[0])
		return arena_printf(arena, "%s%s", cfg->public_url, path);
	return arena_printf(arena, "http://%s:%u%s", cfg->listen_host, (unsigned)cfg->port, path);
}
