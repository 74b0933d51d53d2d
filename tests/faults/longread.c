/* longread.c: a long reader for longread.test: holds a read cursor (and
 * its page lock) in a transaction on one table for some seconds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* longread HOME FILE SECONDS: joins the environment in HOME, opens FILE,
 * reads its first record in a transaction, prints "holding" and keeps the
 * cursor open for SECONDS, then ends the transaction. Exit 0, or 1. */
#include <db.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	DB_ENV *env = NULL;
	DB *db = NULL;
	DB_TXN *txn = NULL;
	DBC *cur = NULL;
	DBT k, v;
	int rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: longread HOME FILE SECONDS\n");
		return 2;
	}
	if (db_env_create(&env, 0) ||
	    env->open(env, argv[1], DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_TXN, 0))
		goto out;
	if (env->txn_begin(env, NULL, &txn, 0) || db_create(&db, env, 0) ||
	    db->open(db, txn, argv[2], NULL, DB_UNKNOWN, 0, 0) || db->cursor(db, txn, &cur, 0))
		goto out;
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	if (cur->get(cur, &k, &v, DB_FIRST))
		goto out;
	printf("holding\n");
	fflush(stdout);
	sleep((unsigned)atoi(argv[3]));
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "longread: could not hold a cursor on %s\n", argc > 2 ? argv[2] : "?");
	if (cur)
		cur->close(cur);
	if (txn)
		txn->commit(txn, 0);
	if (db)
		db->close(db, 0);
	if (env)
		env->close(env, 0);
	return rc;
}
