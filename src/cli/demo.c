/* demo.c: `troth demo [--db PATH] [--scenario NAME] [--couples N [--years Y]]`
 * (recovering, stalled, unsafe, healing, rug_sweeping, both_broke): makes
 * (once) a demo operator and couple in a new database, with the records of
 * one scenario (recovering unless told), and prints how to log in; with
 * --couples, adds N generated couples with Y years of records each, for
 * measuring a full store. The data itself is
 * features/demo.c's. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/demo.h"

static void print_logins(void)
{
	printf("\nLog in at http://127.0.0.1:8080/ (after `troth serve`, or with `make demo`):\n\n");
	for (size_t i = 0; i < sizeof(demo_accounts) / sizeof(demo_accounts[0]); i++) {
		const struct demo_account *a = &demo_accounts[i];
		printf("  %-9s password %-19s %s\n", a->username, a->password,
		       !a->role ? "(the operator)"
		       : !strcmp(a->role, "hurt") ? "(Sam, the partner who was hurt)"
						  : "(Alex, the partner who broke trust)");
	}
	printf("  %-9s password %-19s %s\n", demo_therapist.username, demo_therapist.password,
	       "(Robin, their counsellor: sees what each shares)");
	printf("\nThese passwords are public. Use a demo database only for trying troth.\n");
}

int cli_demo(int argc, char **argv)
{
	const char *path = "troth.db";
	struct db db;
	const char *scenario = "recovering";
	char msg[256];
	long couples = 0, years = 2;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--scenario") && i + 1 < argc)
			scenario = argv[++i];
		else if (!strcmp(argv[i], "--couples") && i + 1 < argc) {
			couples = strtol(argv[++i], &end, 10);
			if (*end || couples < 1 || couples > 100000)
				return cli_usage("demo", CLI_DEMO_USAGE, "%s is a number from 1 to 100000", "--couples");
		} else if (!strcmp(argv[i], "--years") && i + 1 < argc) {
			years = strtol(argv[++i], &end, 10);
			if (*end || years < 1 || years > 20)
				return cli_usage("demo", CLI_DEMO_USAGE, "%s is a number from 1 to 20", "--years");
		} else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--scenario") || !strcmp(argv[i], "--couples") ||
			   !strcmp(argv[i], "--years"))
			return cli_usage("demo", CLI_DEMO_USAGE, "%s needs a value", argv[i]);
		else
			return cli_usage("demo", CLI_DEMO_USAGE, "unknown option '%s'", argv[i]);
	}
	int sc = demo_scenario_parse(scenario);
	if (sc < 0)
		return cli_usage("demo", CLI_DEMO_USAGE,
				 "unknown scenario '%s' (the scenarios are recovering, stalled, unsafe, healing, rug_sweeping and both_broke)", scenario);
	if (cli_open_db("demo", &db, path, true))
		return 1;
	enum demo_result r = demo_create_scenario(&db, sc, msg, sizeof(msg));
	enum demo_result g = DEMO_CREATED;
	if (couples && (r == DEMO_CREATED || r == DEMO_EXISTS))
		g = demo_generate(&db, (int)couples, (int)years, msg, sizeof(msg));
	db_close(&db);
	if (g == DEMO_NOT_EMPTY) {
		fprintf(stderr, "troth demo: %s has generated couples already; nothing was added.\n", path);
		return 1;
	}
	if (g == DEMO_FAILED) {
		fprintf(stderr, "troth demo: %s.\n", msg);
		return 1;
	}
	if (couples)
		printf("%ld generated couples with %ld years of records each are in %s: gen1a and gen1b to "
		       "gen%lda and gen%ldb, password %s.\n", couples, years, path, couples, couples,
		       DEMO_GENERATED_PASSWORD);
	switch (r) {
	case DEMO_CREATED:
		printf("The demo is ready in %s: an operator, and Sam and Alex as a couple\n"
		       "(time zone %s, scenario %s).\n", path, DEMO_TIMEZONE, scenario);
		print_logins();
		return 0;
	case DEMO_EXISTS:
		printf("The demo accounts are in %s already; nothing has changed.\n", path);
		print_logins();
		return 0;
	case DEMO_NOT_EMPTY:
		fprintf(stderr,
			"troth demo: %s has other accounts already, so the demo leaves it alone.\n"
			"The demo passwords are public; it only ever fills a new database.\n"
			"Try: troth demo --db demo.db\n", path);
		return 1;
	case DEMO_FAILED:
		break;
	}
	fprintf(stderr, "troth demo: %s.\n", msg);
	return 1;
}
