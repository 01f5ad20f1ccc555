/* demo.c: the demo couple behind `troth demo`; see demo.h.
 *
 * The accounts are made through the real flows (signup_job_run,
 * acct_signup, acct_couple_create, acct_couple_join), so the demo exercises
 * the same code and the same sealed keys a real couple has. Records come
 * after, from demo_populate: one function per record kind. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"

const struct demo_account demo_accounts[3] = {
	{ "operator", "Operator", "operator-demo-pass", NULL },
	{ "sam", "Sam", "sam-demo-pass", "hurt" },
	{ "alex", "Alex", "alex-demo-pass", "accountable" },
};

/* ---- records ---------------------------------------------------------
 * One maker per record kind, each called once from demo_populate. A maker
 * writes through db_write_begin/db_write_end with bound statements, seals
 * free text with vault_seal (private text under ctx->hurt_key or
 * ctx->accountable_key, shared text under ctx->couple_key), dates things
 * relative to ctx->now in DEMO_TIMEZONE, and returns 0 or an SQLite error.
 * Add yours below and call it from demo_populate. */

int demo_populate(struct demo_ctx *ctx)
{
	(void)ctx;
	/* e.g.  if ((rc = demo_checkins(ctx)))  return rc; */
	return 0;
}

/* ---- accounts and the couple ------------------------------------------ */

/* Signs up account a: with no code on an empty database (which makes the
 * operator), else with a fresh signup code from created_by. Fills job (the
 * caller wipes it) and *uid. Returns 0, or -1 with msg set. */
static int demo_signup(struct db *db, const struct demo_account *a, long long created_by,
		       struct signup_job *job, long long *uid, char *msg, size_t msglen)
{
	char code[INVITE_CODE_SIZE] = "";
	unsigned char couple_key[VAULT_KEY_BYTES];
	bool joined = false;
	int rc = SQLITE_OK;
	memset(job, 0, sizeof(*job));
	job->password = a->password;
	signup_job_run(job);
	if (job->failed) {
		snprintf(msg, msglen, "the password for %s could not be hashed (out of memory?)",
			 a->username);
		return -1;
	}
	if (created_by && (rc = acct_signup_code(db, created_by, code)) != SQLITE_OK) {
		snprintf(msg, msglen, "a signup code for %s could not be stored: %s", a->username,
			 sqlite3_errstr(rc));
		return -1;
	}
	enum acct_err e = acct_signup(db, a->username, a->display_name, created_by ? code : NULL,
				      NULL, job, uid, &joined, couple_key, &rc);
	sodium_memzero(couple_key, sizeof(couple_key));
	if (e != ACCT_OK) {
		snprintf(msg, msglen, "the account %s could not be made (error %d: %s)", a->username,
			 (int)e, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* 0 when there are no accounts, 3 when the three demo accounts are there,
 * another count otherwise; -1 on a storage error. */
static int demo_state(struct db *db, long long *users)
{
	long long demo = 0;
	if (db_int(db->writer, users, "SELECT count(*) FROM user", "") != SQLITE_ROW ||
	    db_int(db->writer, &demo,
		   "SELECT count(*) FROM user WHERE username IN (?1, ?2, ?3)", "ttt",
		   demo_accounts[0].username, demo_accounts[1].username,
		   demo_accounts[2].username) != SQLITE_ROW)
		return -1;
	return (int)demo;
}

enum demo_result demo_create(struct db *db, char *msg, size_t msglen)
{
	const struct demo_account *op = &demo_accounts[0], *hurt = &demo_accounts[1],
				  *acc = &demo_accounts[2];
	struct demo_ctx ctx;
	struct signup_job job_op, job_hurt, job_acc;
	char invite[INVITE_CODE_SIZE];
	long long users = 0, op_id = 0, couple_id = 0;
	enum demo_result res = DEMO_FAILED;
	int rc = SQLITE_OK;

	msg[0] = '\0';
	int state = demo_state(db, &users);
	if (state < 0) {
		snprintf(msg, msglen, "the database cannot be read: %s", sqlite3_errmsg(db->writer));
		return DEMO_FAILED;
	}
	if (state == 3)
		return DEMO_EXISTS;
	if (users)
		return DEMO_NOT_EMPTY;

	memset(&ctx, 0, sizeof(ctx));
	memset(&job_op, 0, sizeof(job_op));
	memset(&job_hurt, 0, sizeof(job_hurt));
	memset(&job_acc, 0, sizeof(job_acc));
	ctx.db = db;
	ctx.now = time(NULL);

	/* The first account on an empty database becomes the operator. */
	if (demo_signup(db, op, 0, &job_op, &op_id, msg, msglen) < 0)
		goto out;
	/* Sam signs up with a code from the operator and starts the couple. */
	if (demo_signup(db, hurt, op_id, &job_hurt, &ctx.hurt_id, msg, msglen) < 0)
		goto out;
	enum acct_err e = acct_couple_create(db, ctx.hurt_id, hurt->role, DEMO_TIMEZONE,
					     job_hurt.data_key, ctx.couple_key, invite,
					     &ctx.couple_id, &rc);
	if (e != ACCT_OK) {
		snprintf(msg, msglen, "the couple could not be made (error %d: %s)", (int)e,
			 sqlite3_errstr(rc));
		goto out;
	}
	/* Alex signs up with another code, then joins with Sam's partner invite. */
	if (demo_signup(db, acc, op_id, &job_acc, &ctx.accountable_id, msg, msglen) < 0)
		goto out;
	unsigned char couple_key[VAULT_KEY_BYTES];
	e = acct_couple_join(db, ctx.accountable_id, invite, acc->role, job_acc.data_key,
			     couple_key, &couple_id, &rc);
	bool same = e == ACCT_OK && couple_id == ctx.couple_id &&
		    sodium_memcmp(couple_key, ctx.couple_key, VAULT_KEY_BYTES) == 0;
	sodium_memzero(couple_key, sizeof(couple_key));
	if (!same) {
		snprintf(msg, msglen, "%s could not join the couple (error %d: %s)", acc->username,
			 (int)e, sqlite3_errstr(rc));
		goto out;
	}
	memcpy(ctx.hurt_key, job_hurt.data_key, VAULT_KEY_BYTES);
	memcpy(ctx.accountable_key, job_acc.data_key, VAULT_KEY_BYTES);
	if ((rc = demo_populate(&ctx)) != 0) {
		snprintf(msg, msglen, "the demo records could not be written: %s", sqlite3_errstr(rc));
		goto out;
	}
	res = DEMO_CREATED;
out:
	sodium_memzero(invite, sizeof(invite));
	sodium_memzero(&ctx, sizeof(ctx));
	signup_job_wipe(&job_op);
	signup_job_wipe(&job_hurt);
	signup_job_wipe(&job_acc);
	return res;
}
