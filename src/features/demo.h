/* demo.h: the demo data behind `troth demo` and `make demo`: an operator
 * and a couple, Sam (hurt) and Alex (accountable), made through the same
 * flows a real sign-up uses, then filled with records by demo_populate.
 *
 * The demo passwords are public (they are printed and documented): a demo
 * database is for trying troth, never for real use. */
#ifndef TROTH_DEMO_H
#define TROTH_DEMO_H

#include <time.h>

#include "auth/vault.h"
#include "db/db.h"

#define DEMO_TIMEZONE "America/New_York"

struct demo_account {
	const char *username, *display_name, *password, *role; /* role NULL: no couple */
};

/* The three demo accounts, in the order they are made: the operator, the
 * hurt partner, the accountable partner. */
extern const struct demo_account demo_accounts[3];
/* The demo counsellor (an account of the kind "therapist", no couple),
 * with access to the demo couple. */
extern const struct demo_account demo_therapist;

/* What a record maker needs: who is who, and the keys to seal text with
 * (private text under the author's data key, shared text under the couple
 * key, through vault_seal). Wiped by demo_create when it returns. */
struct demo_ctx {
	struct db *db;
	time_t now;
	long long couple_id;
	long long hurt_id, accountable_id;
	unsigned char hurt_key[VAULT_KEY_BYTES];
	unsigned char accountable_key[VAULT_KEY_BYTES];
	unsigned char couple_key[VAULT_KEY_BYTES];
};

enum demo_result {
	DEMO_CREATED,    /* the accounts, the couple and the records are there now */
	DEMO_EXISTS,     /* all three accounts were there already: nothing changed */
	DEMO_NOT_EMPTY,  /* the database has other accounts: nothing changed (the demo
			  * passwords are public, so the demo never joins real accounts) */
	DEMO_FAILED,     /* a step failed; msg says which (earlier steps stay) */
};

/* The stories `troth demo --scenario` can tell for the insights, each
 * over about 18 months: RECOVERING is the default demo, slowly getting
 * better; STALLED has flat or falling check-ins, triggers that do not
 * lessen, promises broken as a pattern and no roadmap progress; UNSAFE adds
 * to a hard course Sam's safety check answered with fear, information that
 * came out after the full disclosure, and contact despite no contact.
 * HEALING and RUG_SWEEPING (ten months on) look alike on the surface,
 * but in HEALING the talks about the betrayal go on, less often, while
 * Sam's scores rise, and in RUG_SWEEPING they stop while Sam's scores stay
 * low; in BOTH_BROKE (a year on) each partner broke the other's trust
 * (both roles "both") and Alex's scores slid below where they started. */
enum demo_scenario { DEMO_RECOVERING = 0, DEMO_STALLED, DEMO_UNSAFE, DEMO_HEALING, DEMO_RUG_SWEEPING, DEMO_BOTH_BROKE };

/* The scenario named name ("recovering", "stalled", "unsafe", "healing",
 * "rug_sweeping", "both_broke"); -1 for any other name. */
int demo_scenario_parse(const char *name);

/* demo_create with the records of scenario sc (an enum demo_scenario). */
enum demo_result demo_create_scenario(struct db *db, int sc, char *msg, size_t msglen);

/* Makes the demo accounts and couple in db, which must have no accounts yet
 * (idempotent: DEMO_EXISTS when the three demo accounts are there). On
 * DEMO_FAILED, msg holds a sentence for the person. Slow: six argon2id runs
 * (about a second). */
enum demo_result demo_create(struct db *db, char *msg, size_t msglen);

/* The password of every generated account (public, like the demo's). */
#define DEMO_GENERATED_PASSWORD "generated-pass"

/* Adds `couples` couples to a store that holds the demo (demo_create), for
 * measuring a store of many couples: partners "gen<i>a" (hurt) and
 * "gen<i>b" (accountable), i from 1, signed up with the operator's codes,
 * with `years` years of records each made by the rooms' store functions:
 * both partners' weekly and daily check-ins, triggers, promises and their
 * outcomes, wins and setbacks. One argon2id run serves every account (the
 * same password, hash and data key: a store for measuring, never for
 * use). DEMO_NOT_EMPTY when gen1a is there already; DEMO_FAILED with msg. */
enum demo_result demo_generate(struct db *db, int couples, int years, char *msg, size_t msglen);

/* Fills the demo couple with records: one maker per record kind, each
 * returning 0 or an SQLite error. Later features add their maker here. */
int demo_populate(struct demo_ctx *ctx);

#endif
