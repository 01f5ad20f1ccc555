/* test_store.c: no silent loss when the store goes away under a running
 * server. Deleting the database files, or leaving an empty file in their
 * place, must turn every write into 503 with nothing acknowledged, and
 * /healthz must say so; a file put back is not mistaken for the one
 * opened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apiclient.h"


static int write_n(long long n)
{
	json_t *j;
	int st = api(&T, "POST", "/api/v1/_test/records", NULL, &j, "{s:I}", "n", (json_int_t)n);
	json_decref(j);
	return st;
}

static int health(void)
{
	json_t *j;
	int st = api(&T, "GET", "/healthz", NULL, &j, NULL);
	json_decref(j);
	return st;
}

static void remove_files(void)
{
	char p[160];
	static const char *const SUFFIX[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", T.path, SUFFIX[i]);
		unlink(p);
	}
}

static void deleted_files_refuse_writes(void **state)
{
	(void)state;
	assert_int_equal(write_n(1), 201);
	assert_int_equal(health(), 200);
	remove_files();
	for (int i = 2; i <= 11; i++)
		assert_int_equal(write_n(i), 503);
	assert_int_equal(health(), 503);
}

static void an_empty_file_in_its_place_refuses_writes(void **state)
{
	(void)state;
	assert_int_equal(write_n(1), 201);
	remove_files();
	int fd = open(T.path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_n(2), 503);
	assert_int_equal(health(), 503);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(deleted_files_refuse_writes, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(an_empty_file_in_its_place_refuses_writes, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
