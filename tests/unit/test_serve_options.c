/* test_serve_options.c: `troth serve` options from a config file, the
 * environment and flags, in that order of strength; listen addresses; the
 * errors a person sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve_options.h"

static char conf[64];

static int write_conf(void **state)
{
	(void)state;
	snprintf(conf, sizeof(conf), "/tmp/troth-conf-XXXXXX");
	int fd = mkstemp(conf);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int remove_conf(void **state)
{
	(void)state;
	unlink(conf);
	return 0;
}

static void put_conf(const char *text)
{
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Parses argv (NULL-terminated) with env; returns what serve_options_parse
 * returned, with the error in err. */
static int parse(struct serve_options *o, char **env, char *err, const char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	err[0] = '\0';
	return serve_options_parse(o, argc, (char **)argv, env, err, 512);
}

static void defaults_without_any_source(void **state)
{
	(void)state;
	struct serve_options o;
	char err[512];
	char *env[] = { NULL };
	assert_int_equal(parse(&o, env, err, (const char *[]){ "serve", NULL }), 0);
	assert_string_equal(o.cfg.db_path, "troth.db");
	assert_string_equal(o.cfg.listen_host, "127.0.0.1");
	assert_int_equal(o.cfg.port, 8080);
	assert_int_equal(o.limits.idle_seconds, 30 * 60);
	assert_false(o.cfg.tls);
	assert_false(o.log_json);
	serve_options_free(&o);
}

static void flags_over_environment_over_file(void **state)
{
	(void)state;
	struct serve_options o;
	char err[512];
	char cfgvar[128];
	put_conf("# a comment\n\ndb = /var/lib/troth/file.db\nlisten = 127.0.0.1:7000\n"
		 "threads = 3\nidle-minutes = 10\ntls = yes\ntrusted-proxy = 10.0.0.1, 10.0.0.2\n");
	snprintf(cfgvar, sizeof(cfgvar), "TROTH_CONFIG=%s", conf);
	char *env[] = { cfgvar, "TROTH_LISTEN=127.0.0.1:7001", "TROTH_THREADS=5", "PATH=/bin", NULL };
	assert_int_equal(parse(&o, env, err, (const char *[]){ "serve", "--threads", "7", NULL }), 0);
	assert_string_equal(o.cfg.db_path, "/var/lib/troth/file.db"); /* the file only */
	assert_int_equal(o.cfg.port, 7001);                            /* env over file */
	assert_int_equal(o.cfg.threads, 7);                            /* flag over env */
	assert_int_equal(o.cfg.write_threads, 16);                     /* the default */
	assert_int_equal(o.limits.idle_seconds, 600);
	assert_true(o.cfg.tls);
	assert_int_equal(o.cfg.n_trusted_proxies, 2);
	assert_string_equal(o.cfg.trusted_proxy[1], "10.0.0.2");
	serve_options_free(&o);

	/* a list named by a stronger place replaces the weaker one's */
	char *env2[] = { cfgvar, "TROTH_TRUSTED_PROXY=192.0.2.9", NULL };
	assert_int_equal(parse(&o, env2, err, (const char *[]){ "serve", NULL }), 0);
	assert_int_equal(o.cfg.n_trusted_proxies, 1);
	assert_string_equal(o.cfg.trusted_proxy[0], "192.0.2.9");
	serve_options_free(&o);
	assert_int_equal(parse(&o, env2, err,
			       (const char *[]){ "serve", "--trusted-proxy", "::1", "--trusted-proxy",
						 "198.51.100.1", NULL }), 0);
	assert_int_equal(o.cfg.n_trusted_proxies, 2);
	assert_string_equal(o.cfg.trusted_proxy[0], "::1");
	serve_options_free(&o);

	/* --config names the file too, and wins over TROTH_CONFIG */
	char *env3[] = { "TROTH_CONFIG=/nonexistent/troth.conf", NULL };
	assert_int_equal(parse(&o, env3, err, (const char *[]){ "serve", "--config", conf, NULL }), 0);
	assert_int_equal(o.cfg.port, 7000);
	serve_options_free(&o);

	char *env4[] = { "TROTH_WRITE_THREADS=24", NULL };
	assert_int_equal(parse(&o, env4, err, (const char *[]){ "serve", NULL }), 0);
	assert_int_equal(o.cfg.write_threads, 24);
	serve_options_free(&o);
}

static void bad_values_say_where_and_what(void **state)
{
	(void)state;
	struct serve_options o;
	char err[512];
	char cfgvar[128];
	char *none[] = { NULL };
	assert_int_equal(parse(&o, none, err, (const char *[]){ "serve", "--threads", "0", NULL }), -1);
	assert_non_null(strstr(err, "--threads takes a number from 1 to 256, not '0'"));
	serve_options_free(&o);
	assert_int_equal(parse(&o, none, err, (const char *[]){ "serve", "--threads", NULL }), -1);
	assert_non_null(strstr(err, "--threads needs a value"));
	serve_options_free(&o);
	assert_int_equal(parse(&o, none, err, (const char *[]){ "serve", "--write-threads", "257", NULL }), -1);
	assert_non_null(strstr(err, "--write-threads takes a number from 1 to 256, not '257'"));
	serve_options_free(&o);
	assert_int_equal(parse(&o, none, err, (const char *[]){ "serve", "--colour", NULL }), -1);
	assert_non_null(strstr(err, "unknown option '--colour'"));
	serve_options_free(&o);
	char *env[] = { "TROTH_MAX_HOURS=999", NULL };
	assert_int_equal(parse(&o, env, err, (const char *[]){ "serve", NULL }), -1);
	assert_non_null(strstr(err, "TROTH_MAX_HOURS takes 1 to 168, not '999'"));
	serve_options_free(&o);

	snprintf(cfgvar, sizeof(cfgvar), "TROTH_CONFIG=%s", conf);
	char *envc[] = { cfgvar, NULL };
	char want[256];
	put_conf("db = x.db\n\n# fine so far\ncolour = blue\n");
	assert_int_equal(parse(&o, envc, err, (const char *[]){ "serve", NULL }), -1);
	snprintf(want, sizeof(want), "%s:4: there is no option 'colour'", conf);
	assert_non_null(strstr(err, want));
	serve_options_free(&o);
	put_conf("listen 127.0.0.1:80\n");
	assert_int_equal(parse(&o, envc, err, (const char *[]){ "serve", NULL }), -1);
	assert_non_null(strstr(err, "a line is `key = value`"));
	serve_options_free(&o);
	put_conf("db = a.db\ndb = b.db\n");
	assert_int_equal(parse(&o, envc, err, (const char *[]){ "serve", NULL }), -1);
	assert_non_null(strstr(err, "'db' is set twice"));
	serve_options_free(&o);
	put_conf("tls = perhaps\n");
	assert_int_equal(parse(&o, envc, err, (const char *[]){ "serve", NULL }), -1);
	snprintf(want, sizeof(want), "%s:1 takes yes or no, not 'perhaps'", conf);
	assert_non_null(strstr(err, want));
	serve_options_free(&o);
	char *missing[] = { "TROTH_CONFIG=/nonexistent/troth.conf", NULL };
	assert_int_equal(parse(&o, missing, err, (const char *[]){ "serve", NULL }), -1);
	assert_non_null(strstr(err, "cannot read the config file /nonexistent/troth.conf"));
	serve_options_free(&o);
}

static void listen_takes_ipv4_ipv6_localhost_and_unix(void **state)
{
	(void)state;
	struct app_config cfg;
	char host[64];
	app_config_defaults(&cfg);
	assert_int_equal(serve_parse_listen("192.0.2.1:8443", &cfg, host, sizeof(host)), 0);
	assert_string_equal(cfg.listen_host, "192.0.2.1");
	assert_int_equal(cfg.port, 8443);
	assert_int_equal(serve_parse_listen("[::1]:8080", &cfg, host, sizeof(host)), 0);
	assert_string_equal(cfg.listen_host, "[::1]");
	assert_int_equal(cfg.port, 8080);
	assert_int_equal(serve_parse_listen("localhost:9000", &cfg, host, sizeof(host)), 0);
	assert_string_equal(cfg.listen_host, "127.0.0.1");
	assert_int_equal(cfg.port, 9000);
	assert_string_equal(cfg.listen_unix, "");
	assert_int_equal(serve_parse_listen("unix:/run/troth/troth.sock", &cfg, host, sizeof(host)), 0);
	assert_string_equal(cfg.listen_unix, "/run/troth/troth.sock");
	const char *bad[] = { "8080", ":8080", "example.org:80", "[::1]", "[::1]:", "[nonsense]:80",
			      "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x", "unix:relative.sock",
			      "::1:8080", NULL };
	for (size_t i = 0; bad[i]; i++) {
		print_message("listen %s\n", bad[i]);
		assert_int_equal(serve_parse_listen(bad[i], &cfg, host, sizeof(host)), -1);
	}
}

static void help_names_every_place(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	serve_options_help(f);
	fclose(f);
	const char *want[] = { "--config FILE", "--db PATH  (TROTH_DB, db =)",
			       "--max-conns-per-address N  (TROTH_MAX_CONNS_PER_ADDRESS, max-conns-per-address =)",
			       "--log-format FORMAT", "unix:/run/troth/troth.sock", NULL };
	for (size_t i = 0; want[i]; i++)
		assert_non_null(strstr(text, want[i]));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_without_any_source),
		cmocka_unit_test_setup_teardown(flags_over_environment_over_file, write_conf, remove_conf),
		cmocka_unit_test_setup_teardown(bad_values_say_where_and_what, write_conf, remove_conf),
		cmocka_unit_test(listen_takes_ipv4_ipv6_localhost_and_unix),
		cmocka_unit_test(help_names_every_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
