/* admin.c: API keys, knowledge bases, status, backup, verify, checkpoint. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/uptoken_cmd.h"
#include "admin/reindex.h"
#include "embed/embed_builtin.h"
#include "search/search_context.h"
#include "admin/vindex.h"
#include "admin/cron.h"
#include "admin/backup.h"
#include "admin/compact.h"
#include "admin/progress.h"
#include "pipeline/split.h"
#include "pipeline/chunk_rule.h"
#include "http/auth.h"
#include "store/docs.h"
#include "store/jobs.h"
#include "store/accounts.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "embed/reembed.h"
#include "store/lexical.h"
#include "queue/queue.h"
#include "store/store.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void admin_usage(FILE *f)
{
	fprintf(f,
		"usage: quire-admin COMMAND ...\n"
		"  key create --account NAME [--scopes read,write,chat,admin] [--name LABEL]\n"
		"                            create a key (and the account); the key is printed once\n"
		"  key list [--account NAME] list keys (ids, never the keys)\n"
		"  key revoke KEY_ID         revoke a key by the id shown in 'key list'\n"
		"  kb create --account NAME SLUG [--name NAME] [--process-rule JSON]\n"
		"  kb list [--account NAME]\n"
		"  upload-token --account NAME [--kb SLUG] [--org ORG] [--folder F] [--roles R,R]\n"
		"               [--max-files N] [--max-bytes N] [--types pdf,docx] [--origins URL,URL]\n"
		"               [--redirect URL] [--expires-in SECONDS] [--single-use] [--base URL]\n"
		"                            mint a token for a plain HTML upload form\n"
		"                            (docs/form-upload.md); the token is printed\n"
		"  status                    supervisor, workers, recoveries, queue depth\n"
		"  backup DIR                hot backup into DIR: the database and the files it references\n"
		"  restore DIR               restore a backup into the stopped data directory\n"
		"  verify                    check every database file, index and referenced file\n"
		"  checkpoint                checkpoint and remove unneeded logs\n"
		"  compact [FILE...]         pack the database files (all, or postings.db...)\n"
		"                            and give their emptied pages back to the disk\n"
		"  cron                      for sites without a running quired (cgi_mode =\n"
		"                            serial): ingest queued uploads, embed, checkpoint,\n"
		"                            sweep, for at most cron_time seconds\n"
		"  check-embeddings          count chunks, vectors and embed jobs; fail when a\n"
		"                            completed document lacks vectors or a vector\n"
		"                            belongs to no chunk\n"
		"  reembed                   queue every chunk whose vector is not of the\n"
		"                            configured embedding model\n"
		"  reindex                   rebuild the keyword index from the stored chunks and train the\n"
		"                            vector index's lists (search_ivf_lists)\n"
		"                            (needed when status says the index is stale)\n"
		"  word-contexts             compute the stored word contexts of every account\n"
		"                            whose are missing or stale (search_word_context_stored)\n"
		"  config [--defaults]       print every setting as quire.conf would write it:\n"
		"                            the values in force, or the embedded defaults\n"
		"  sweep                     remove stored files no document references and\n"
		"                            upload files left for over an hour (quired does\n"
		"                            it at start; for CGI-only sites, from cron), and\n"
		"                            the use records of upload tokens expired a day ago\n"
		"quire-admin talks to a running quired over its control socket, or works\n"
		"alone (data directory lock, recovery) when none runs. Long commands\n"
		"(reindex, reembed, backup, verify, compact) draw a progress line (count, rate, time left) when stderr is\n"
		"a terminal; --progress or --no-progress before COMMAND decide instead.\n");
}

int admin_is_local(int argc, char **argv)
{
	return argc == 0 || !strcmp(argv[0], "help") || !strcmp(argv[0], "--help") ||
	       !strcmp(argv[0], "-h");
}

int admin_config(const struct qconf *conf, int argc, char **argv, FILE *out, FILE *errf)
{
	int defaults = argc == 2 && !strcmp(argv[1], "--defaults");
	if (argc > 1 && !defaults) {
		fprintf(errf, "quire-admin: config [--defaults]\n");
		return 2;
	}
	size_t n;
	const struct qsetting *tab = qconf_settings(&n);
	for (size_t i = 0; i < n; i++) {
		char v[PATH_MAX];
		if (defaults)
			snprintf(v, sizeof v, "%s", tab[i].def);
		else
			qconf_format(conf, &tab[i], v, sizeof v);
		if (defaults && (tab[i].flags & QS_CONFIGURED))
			fprintf(out, "# chosen by configure:\n");
		fprintf(out, "%s = %s\n", tab[i].name, v);
	}
	return 0;
}

/* --name VALUE options after the positional words. */
static const char *opt_get(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

/* The first argument at or after start that is not an option or its value. */
static const char *positional(int argc, char **argv, int start)
{
	for (int i = start; i < argc; i++) {
		if (!strncmp(argv[i], "--", 2)) {
			i++;
			continue;
		}
		return argv[i];
	}
	return NULL;
}

/* ---- keys -------------------------------------------------------------- */

struct key_create {
	const char *account_name, *label;
	unsigned scopes;
	char key[AUTH_KEY_LEN + 1];
	char account[37];
	char key_id[AUTH_KEY_ID_LEN + 1];
	int created_account;
};

static enum qstatus key_create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct key_create *k = arg;
	char hash[AUTH_HASH_HEX];
	enum qstatus st = account_ensure(t, k->account_name, k->account, &k->created_account, err);
	if (st != Q_OK)
		return st;
	if ((st = auth_key_new(k->key, hash, err)) != Q_OK)
		return st;
	auth_key_id(hash, k->key_id);
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:b}", "hash", hash, "key_id",
				k->key_id, "account", k->account, "name", k->label ? k->label : "",
				"scopes", (int)k->scopes, "created_us", (json_int_t)q_now_us(),
				"revoked", 0);
	st = store_put(t, T_KEYS, hash, rec, err);
	json_decref(rec);
	return st;
}

static int cmd_key_create(struct store *s, int argc, char **argv, FILE *out, FILE *errf)
{
	struct key_create k = {0};
	struct qerr err;
	const char *scopes = opt_get(argc, argv, "--scopes");
	k.account_name = opt_get(argc, argv, "--account");
	k.label = opt_get(argc, argv, "--name");
	if (!k.account_name) {
		fprintf(errf, "quire-admin: key create needs --account NAME\n");
		return 2;
	}
	if (auth_scopes_parse(scopes ? scopes : "read,write,chat", &k.scopes) < 0) {
		fprintf(errf, "quire-admin: scopes are read, write, chat, admin (or all)\n");
		return 2;
	}
	if (store_run(s, key_create_fn, &k, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	char sc[64];
	auth_scopes_format(k.scopes, sc, sizeof sc);
	fprintf(out, "%s\n", k.key);
	fprintf(errf, "key id %s for account %s (%s)%s; the key is shown only this once\n",
		k.key_id, k.account_name, sc, k.created_account ? ", account created" : "");
	memset(k.key, 0, sizeof k.key);
	return 0;
}

struct key_list {
	struct stxn *t;
	const char *account;  /* id filter or NULL */
	FILE *out;
	const char *revoke;   /* key id to revoke */
	int found;
	enum qstatus st;
	struct qerr *err;
};

static int key_list_one(const char *pk, void *arg)
{
	struct key_list *l = arg;
	json_t *rec;
	if ((l->st = store_get(l->t, T_KEYS, pk, &rec, l->revoke ? STORE_RMW : 0, l->err)))
		return 1;
	const char *acc = json_string_value(json_object_get(rec, "account")) ?: "";
	const char *id = json_string_value(json_object_get(rec, "key_id")) ?: "";
	if (l->revoke) {
		if (!strcmp(id, l->revoke)) {
			l->found = 1;
			json_object_set_new(rec, "revoked", json_true());
			l->st = store_put(l->t, T_KEYS, pk, rec, l->err);
		}
	} else if (!l->account || !strcmp(acc, l->account)) {
		char sc[64], when[32];
		json_t *name = NULL, *a;
		auth_scopes_format((unsigned)json_integer_value(json_object_get(rec, "scopes")),
				   sc, sizeof sc);
		q_iso8601(json_integer_value(json_object_get(rec, "created_us")), when, sizeof when);
		if (store_get(l->t, T_ACCOUNTS, acc, &a, 0, l->err) == Q_OK)
			name = a;
		fprintf(l->out, "%s\t%s\t%s\t%s\t%s\t%s\n", id,
			name ? json_string_value(json_object_get(name, "name")) : acc, sc, when,
			json_is_true(json_object_get(rec, "revoked")) ? "revoked" : "active",
			json_string_value(json_object_get(rec, "name")) ?: "");
		json_decref(name);
	}
	json_decref(rec);
	return l->st != Q_OK;
}

static enum qstatus key_list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct key_list *l = arg;
	l->t = t;
	l->found = 0;
	l->st = Q_OK;
	enum qstatus st = store_scan_table(t, T_KEYS, key_list_one, l, err);
	if (st == Q_OK)
		st = l->st;
	if (st == Q_OK && l->revoke && !l->found)
		st = qerr_set(err, Q_ENOTFOUND, NULL, "no key with id %s", l->revoke);
	return st;
}

struct find_account {
	const char *name;
	char id[37];
};

static enum qstatus find_account_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct find_account *f = arg;
	return account_find(t, f->name, f->id, err);
}

static int resolve_account(struct store *s, const char *name, char *id, FILE *errf)
{
	struct find_account f = {name, ""};
	struct qerr err;
	if (store_run(s, find_account_fn, &f, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return -1;
	}
	memcpy(id, f.id, sizeof f.id);
	return 0;
}

static int cmd_key_list(struct store *s, int argc, char **argv, FILE *out, FILE *errf,
			const char *revoke)
{
	struct qerr err;
	char account[37];
	struct key_list l = {.out = out, .revoke = revoke, .err = &err};
	const char *name = opt_get(argc, argv, "--account");
	if (name) {
		if (resolve_account(s, name, account, errf) < 0)
			return 1;
		l.account = account;
	}
	if (!revoke)
		fprintf(out, "key_id\taccount\tscopes\tcreated_at\tstate\tname\n");
	if (store_run(s, key_list_fn, &l, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	if (revoke)
		fprintf(out, "revoked %s\n", revoke);
	return 0;
}

/* ---- knowledge bases --------------------------------------------------- */

struct kb_create_arg {
	const char *account_name, *slug, *name;
	char id[37];
	json_t *rule;   /* normalised process rule or NULL (the defaults) */
};

static enum qstatus kb_create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kb_create_arg *a = arg;
	char account[37];
	int created;
	enum qstatus st = account_ensure(t, a->account_name, account, &created, err);
	if (st != Q_OK)
		return st;
	if ((st = kb_create(t, account, a->slug, a->name ? a->name : a->slug, a->id, err)) != Q_OK ||
	    !a->rule)
		return st;
	json_t *kb;
	if ((st = store_get(t, T_KBS, a->id, &kb, STORE_RMW, err)) != Q_OK)
		return st;
	json_object_set(kb, "process_rule", a->rule);
	st = store_put(t, T_KBS, a->id, kb, err);
	json_decref(kb);
	return st;
}

static int cmd_kb_create(struct store *s, int argc, char **argv, FILE *out, FILE *errf)
{
	struct kb_create_arg a = {opt_get(argc, argv, "--account"), positional(argc, argv, 2),
				  opt_get(argc, argv, "--name"), "", NULL};
	struct qerr err;
	const char *rule = opt_get(argc, argv, "--process-rule");
	if (!a.account_name || !a.slug) {
		fprintf(errf, "quire-admin: kb create --account NAME SLUG [--name NAME] "
			"[--process-rule JSON]\n");
		return 2;
	}
	if (rule) {
		struct qerr e = { .msg = "--process-rule is not valid JSON" };
		json_t *r = json_loads(rule, JSON_REJECT_DUPLICATES, NULL);
		if (!r || split_rule_check(r, &a.rule, &e) != Q_OK) {
			json_decref(r);
			fprintf(errf, "quire-admin: %s\n", e.msg);
			return 2;
		}
		json_decref(r);
	}
	enum qstatus st = store_run(s, kb_create_fn, &a, &err);
	json_decref(a.rule);
	if (st != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	fprintf(out, "%s\t%s\n", a.id, a.slug);
	return 0;
}

struct kb_list {
	struct stxn *t;
	const char *account;
	FILE *out;
	enum qstatus st;
	struct qerr *err;
};

static int kb_list_one(const char *pk, void *arg)
{
	struct kb_list *l = arg;
	json_t *rec;
	if ((l->st = store_get(l->t, T_KBS, pk, &rec, 0, l->err)))
		return 1;
	const char *acc = json_string_value(json_object_get(rec, "account")) ?: "";
	if (!l->account || !strcmp(acc, l->account))
		fprintf(l->out, "%s\t%s\t%s\t%s\n", pk,
			json_string_value(json_object_get(rec, "slug")) ?: "",
			json_string_value(json_object_get(rec, "name")) ?: "", acc);
	json_decref(rec);
	return 0;
}

static enum qstatus kb_list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kb_list *l = arg;
	l->t = t;
	l->st = Q_OK;
	enum qstatus st = store_scan_table(t, T_KBS, kb_list_one, l, err);
	return st == Q_OK ? l->st : st;
}

static int cmd_kb_list(struct store *s, int argc, char **argv, FILE *out, FILE *errf)
{
	struct qerr err;
	char account[37];
	struct kb_list l = {.out = out, .err = &err};
	const char *name = opt_get(argc, argv, "--account");
	if (name) {
		if (resolve_account(s, name, account, errf) < 0)
			return 1;
		l.account = account;
	}
	fprintf(out, "id\tslug\tname\taccount\n");
	if (store_run(s, kb_list_fn, &l, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	return 0;
}

/* ---- status, backup, verify, checkpoint --------------------------------- */

struct depth {
	size_t v[2][4];
};

static enum qstatus depth_fn(struct stxn *t, void *arg, struct qerr *err)
{
	static const char *kinds[] = {"ingest", "embed"};
	static const char *states[] = {"pending", "processing", "completed", "failed"};
	struct depth *d = arg;
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 4; i++) {
			enum qstatus st = jobs_count(t, kinds[k], states[i], &d->v[k][i], err);
			if (st != Q_OK)
				return st;
		}
	return Q_OK;
}

static int cmd_status(struct store *s, int joined, FILE *out, FILE *errf)
{
	struct depth d;
	struct qerr err;
	if (joined)
		fprintf(out, "quired: running (pid %s, up %s s)\nworkers: %s (%s)\n"
			"ingest processes: %s (%s)\nembedder: %s\nrecoveries: %s\n",
			getenv("QUIRE_SUP_PID") ?: "?", getenv("QUIRE_SUP_UPTIME") ?: "?",
			getenv("QUIRE_SUP_WORKERS") ?: "?", getenv("QUIRE_SUP_WORKER_PIDS") ?: "",
			getenv("QUIRE_SUP_INGEST") ?: "?", getenv("QUIRE_SUP_INGEST_PIDS") ?: "",
			*(getenv("QUIRE_SUP_EMBED_PID") ?: "") ? getenv("QUIRE_SUP_EMBED_PID")
								 : "not running",
			getenv("QUIRE_SUP_RECOVERIES") ?: "?");
	else
		fprintf(out, "quired: not running\n");
	if (store_run(s, depth_fn, &d, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	fprintf(out, "queue: ingest pending %zu, processing %zu, completed %zu, failed %zu\n",
		d.v[0][0], d.v[0][1], d.v[0][2], d.v[0][3]);
	fprintf(out, "queue: embed pending %zu, processing %zu, completed %zu, failed %zu\n",
		d.v[1][0], d.v[1][1], d.v[1][2], d.v[1][3]);
	int v;
	if (admin_index_version(s, &v, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	if (v == LEXICAL_VERSION)
		fprintf(out, "keyword index: version %d\n", v);
	else if (v == LEXICAL_VERSION_PARTIAL)
		fprintf(out, "keyword index: version %d, stale (a rebuild did not end): "
			"run quire-admin reindex\n", LEXICAL_VERSION);
	else
		fprintf(out, "keyword index: version %d, stale (current %d): run quire-admin reindex\n",
			v, LEXICAL_VERSION);
	return 0;
}

/* KiB in the regular files of dir, Berkeley DB's region files (__db.*)
 * left out: what a backup copies. */
static size_t dir_kib(const char *dir)
{
	size_t kib = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat sb;
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "__db.", 5))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			kib += (size_t)sb.st_size >> 10;
	}
	closedir(d);
	return kib;
}

/* While Berkeley DB copies (one call, no callback), a thread watches the
 * backup directory grow and draws the progress line. */
struct copy_watch {
	const char *dir;
	struct progress pg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

static void *copy_watch_run(void *arg)
{
	struct copy_watch *w = arg;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200000000;
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		if (!w->stop) {
			size_t kib = dir_kib(w->dir);
			progress_set(&w->pg, kib < w->pg.total ? kib : w->pg.total);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int cmd_backup(struct store *s, const struct qconf *conf, const char *dir, FILE *out,
		      FILE *errf)
{
	char home[PATH_MAX];
	if (!dir) {
		fprintf(errf, "quire-admin: backup DIR\n");
		return 2;
	}
	qconf_datapath(conf, "db", home);
	char into[PATH_MAX];
	snprintf(into, sizeof into, "%s/db", dir);
	struct copy_watch w = {.dir = into, .mu = PTHREAD_MUTEX_INITIALIZER,
			       .cv = PTHREAD_COND_INITIALIZER};
	progress_start(&w.pg, "backup", "KiB", dir_kib(home));
	pthread_t th;
	int watching = w.pg.on && pthread_create(&th, NULL, copy_watch_run, &w) == 0;
	/* Output is held until the progress line ends. */
	char *obuf = NULL;
	size_t olen = 0;
	FILE *o = open_memstream(&obuf, &olen);
	int rc = admin_backup(s, conf, dir, o ? o : out, errf);
	if (o)
		fclose(o);
	if (watching) {
		pthread_mutex_lock(&w.mu);
		w.stop = 1;
		pthread_cond_signal(&w.cv);
		pthread_mutex_unlock(&w.mu);
		pthread_join(th, NULL);
	}
	if (rc == 0)
		progress_set(&w.pg, w.pg.total);
	progress_end(&w.pg);
	if (obuf)
		fputs(obuf, out);
	free(obuf);
	return rc;
}

/* Where verify under quired copies the database: $TMPDIR or /var/tmp,
 * never the data directory. */
static const char *verify_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/var/tmp";
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Verify the files in home (nobody has them open) and their indexes. */
static void verify_step(void *arg, size_t done, size_t total)
{
	struct progress *pg = arg;
	pg->total = total;
	progress_set(pg, done);
}

static int verify_home(const char *home, const char *datadir, FILE *out, FILE *errf)
{
	struct qerr err;
	struct store *copy;
	size_t problems = 0;
	struct progress pg;
	progress_start(&pg, "verify", "database files", 0);
	enum qstatus vst = store_verify_files_step(home, verify_step, &pg, &err);
	progress_end(&pg);
	if (vst != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	if (store_open(&copy, home, STORE_OWNER, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	enum qstatus st = store_check_indexes(copy, &problems, &err);
	int blobs_bad = st == Q_OK && admin_check_blobs(copy, datadir, out, errf) < 0;
	store_close(copy);
	if (st != Q_OK || problems) {
		fprintf(errf, "quire-admin: %s\n", st != Q_OK ? err.msg : "index mismatches found");
		return 1;
	}
	if (blobs_bad)
		return 1;
	fprintf(out, "verify: database files and indexes are consistent\n");
	return 0;
}

int admin_verify_alone(const struct qconf *conf, FILE *out, FILE *errf)
{
	char home[PATH_MAX];
	struct qerr err;
	struct store *s;
	admin_verify_sweep(conf->datadir, verify_tmpdir());
	/* Recover and checkpoint first so the files are complete on disk. */
	qconf_datapath(conf, "db", home);
	if (store_open(&s, home, STORE_OWNER, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	store_checkpoint(s, 0, &err);
	store_close(s);
	return verify_home(home, conf->datadir, out, errf);
}

static int cmd_verify(struct store *s, const struct qconf *conf, FILE *out, FILE *errf)
{
	char home[PATH_MAX];
	struct qerr err;
	/* Under quired the files are live: verify a hot backup instead, made
	 * outside the data directory (a copy there could fill its disk). */
	admin_verify_sweep(conf->datadir, verify_tmpdir());
	snprintf(home, sizeof home, "%s/quire-verify.%ld.XXXXXX", verify_tmpdir(), (long)getpid());
	if (!mkdtemp(home)) {
		fprintf(errf, "quire-admin: %s: %s\n", home, strerror(errno));
		return 1;
	}
	int rc = 1;
	if (store_backup(s, home, &err) != Q_OK)
		fprintf(errf, "quire-admin: %s\n", err.msg);
	else
		rc = verify_home(home, conf->datadir, out, errf);
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

struct reembed {
	const char *model;
	size_t queued, seen;
	struct progress pg;
};

static void reembed_step(void *arg, size_t seen)
{
	progress_set(arg, seen);
}

static enum qstatus reembed_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct reembed *r = arg;
	return reembed_all_step(t, r->model, &r->queued, &r->seen, reembed_step, &r->pg, err);
}

static int count_one(const char *pk, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

/* The chunks to go through, for the progress line's total. */
static enum qstatus count_chunks_fn(struct stxn *t, void *arg, struct qerr *err)
{
	*(size_t *)arg = 0;
	return store_scan_table(t, T_CHUNKS, count_one, arg, err);
}

static int cmd_reembed(struct store *s, const struct qconf *conf, FILE *out, FILE *errf)
{
	struct qerr err;
	struct embed_backend *b = embed_backend_new(conf, &err);
	if (!b) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	struct reembed r = {.model = b->model};
	size_t total = 0;
	if (admin_progress_on)
		store_run(s, count_chunks_fn, &total, &err);   /* only to draw the line */
	progress_start(&r.pg, "reembed", "chunks", total);
	enum qstatus st = store_run_committed(s, reembed_fn, &r, &err);
	if (st == Q_OK)
		progress_set(&r.pg, r.seen);
	progress_end(&r.pg);
	if (st == Q_OK)
		fprintf(out, "reembed: %zu of %zu chunks queued for %s\n", r.queued, r.seen, b->model);
	else
		fprintf(errf, "quire-admin: %s\n", err.msg);
	b->free(b);
	if (st == Q_OK)
		queue_wake(conf->datadir);
	return st == Q_OK ? 0 : 1;
}

/* check-embeddings: the invariants of the embedding pipeline. */
struct embcheck {
	struct stxn *t;
	const char *model;
	size_t chunks, vectors, other_model, missing_job, docs, docs_completed, bad_docs;
	size_t stored;          /* every entry of the vectors table */
	size_t jobs[4];
	enum qstatus st;
	struct qerr *err;
};

static int check_chunk(const char *key, void *arg)
{
	struct embcheck *c = arg;
	char model[200];
	int8_t *v = NULL;
	unsigned dims;
	float scale;
	c->chunks++;
	enum qstatus st = vector_get(c->t, key, model, sizeof model, &v, &dims, &scale, c->err);
	free(v);
	if (st == Q_OK) {
		if (!strcmp(model, c->model))
			c->vectors++;
		else
			c->other_model++;
	} else if (st != Q_ENOTFOUND) {
		c->st = st;
		return 1;
	}
	return 0;
}

static int check_doc(const char *id, void *arg)
{
	struct embcheck *c = arg;
	json_t *doc;
	if ((c->st = store_get(c->t, T_DOCS, id, &doc, 0, c->err)) != Q_OK)
		return 1;
	c->docs++;
	const char *status = json_string_value(json_object_get(doc, "indexing_status")) ?: "";
	json_int_t segs = json_integer_value(json_object_get(doc, "segment_count"));
	json_int_t done = json_integer_value(json_object_get(doc, "embed_done"));
	if (!strcmp(status, "completed")) {
		c->docs_completed++;
		if (done < segs) {
			fprintf(stderr, "document %s is completed with %lld of %lld chunks embedded\n", id,
				(long long)done, (long long)segs);
			c->bad_docs++;
		}
	}
	json_decref(doc);
	return 0;
}

static int count_vector(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	(void)key, (void)klen, (void)val, (void)vlen;
	((struct embcheck *)arg)->stored++;
	return 0;
}

static enum qstatus embcheck_fn(struct stxn *t, void *arg, struct qerr *err)
{
	static const char *names[] = {"pending", "processing", "completed", "failed"};
	struct embcheck *c = arg;
	const char *model = c->model;
	struct qerr *e = c->err;
	memset(c, 0, sizeof *c);
	c->t = t;
	c->model = model;
	c->err = e;
	enum qstatus st = store_scan_table(t, T_CHUNKS, check_chunk, c, err);
	if (st == Q_OK && c->st == Q_OK)
		st = store_scan_table(t, T_DOCS, check_doc, c, err);
	for (int i = 0; st == Q_OK && i < 4; i++)
		st = jobs_count(t, "embed", names[i], &c->jobs[i], err);
	if (st == Q_OK) {
		/* Vectors are keyed by chunk: any beyond the chunks' own are
		 * orphans (a deleted chunk's vector written after all). */
		struct store_key all;
		store_key_init(&all);
		st = store_scan_raw(t, T_VECTORS, &all, count_vector, c, err);
	}
	return st == Q_OK ? c->st : st;
}

static int cmd_check_embeddings(struct store *s, const struct qconf *conf, FILE *out, FILE *errf)
{
	struct qerr err;
	struct embed_backend *b = embed_backend_new(conf, &err);
	if (!b) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	struct embcheck c = {.model = b->model, .err = &err};
	enum qstatus st = store_run_committed(s, embcheck_fn, &c, &err);
	b->free(b);
	if (st != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	size_t orphans = c.stored - c.vectors - c.other_model;
	fprintf(out, "chunks %zu\nvectors %zu\nvectors_other_model %zu\n"
		"jobs_pending %zu\njobs_processing %zu\njobs_completed %zu\njobs_failed %zu\n"
		"documents %zu\ndocuments_completed %zu\nvectors_orphan %zu\n",
		c.chunks, c.vectors, c.other_model, c.jobs[0], c.jobs[1], c.jobs[2], c.jobs[3],
		c.docs, c.docs_completed, orphans);
	if (orphans)
		fprintf(errf, "%zu vectors belong to no chunk\n", orphans);
	return c.bad_docs || orphans ? 1 : 0;
}

int admin_run(struct store *s, const struct qconf *conf, int joined, int argc, char **argv,
	      FILE *out, FILE *errf)
{
	const char *a0 = argc > 0 ? argv[0] : "", *a1 = argc > 1 ? argv[1] : "";
	struct qerr err;

	if (!strcmp(a0, "key") && !strcmp(a1, "create"))
		return cmd_key_create(s, argc, argv, out, errf);
	if (!strcmp(a0, "key") && !strcmp(a1, "list"))
		return cmd_key_list(s, argc, argv, out, errf, NULL);
	if (!strcmp(a0, "key") && !strcmp(a1, "revoke")) {
		const char *id = positional(argc, argv, 2);
		if (!id) {
			fprintf(errf, "quire-admin: key revoke KEY_ID\n");
			return 2;
		}
		return cmd_key_list(s, argc, argv, out, errf, id);
	}
	if (!strcmp(a0, "kb") && !strcmp(a1, "create"))
		return cmd_kb_create(s, argc, argv, out, errf);
	if (!strcmp(a0, "kb") && !strcmp(a1, "list"))
		return cmd_kb_list(s, argc, argv, out, errf);
	if (!strcmp(a0, "upload-token"))
		return admin_upload_token(s, conf, argc, argv, out, errf);
	if (!strcmp(a0, "status"))
		return cmd_status(s, joined, out, errf);
	if (!strcmp(a0, "backup"))
		return cmd_backup(s, conf, positional(argc, argv, 1), out, errf);
	if (!strcmp(a0, "verify"))
		return cmd_verify(s, conf, out, errf);
	if (!strcmp(a0, "check-embeddings"))
		return cmd_check_embeddings(s, conf, out, errf);
	if (!strcmp(a0, "reembed"))
		return cmd_reembed(s, conf, out, errf);
	if (!strcmp(a0, "word-contexts")) {
		int r = search_context_look(s, conf, EMBED_BUILTIN_MODEL, &err);
		if (r < 0)
			fprintf(errf, "quire-admin: word contexts: %s\n", err.msg);
		else
			fprintf(out, "word contexts: %s\n",
				r ? "computed" : conf->search_word_context_stored ? "current" :
				"search_word_context_stored is 0");
		return r < 0;
	}
	if (!strcmp(a0, "reindex")) {
		/* the keyword index, then the vector index's lists; then
		 * postings.db packed: the rebuild leaves it as ingestion does,
		 * its pages about a third full, and the clearing's pages free */
		char *pack[] = {(char *)"compact", (char *)"postings.db"};
		return admin_reindex(s, out, errf) ?: admin_vector_index(s, conf, out, errf) ?:
		       admin_compact(s, conf, 2, pack, out, errf);
	}
	if (!strcmp(a0, "sweep")) {
		size_t blobs, tmps;
		if (doc_blob_sweep_all(s, conf->datadir, &blobs, &tmps, &err) != Q_OK) {
			fprintf(errf, "quire-admin: %s\n", err.msg);
			return 1;
		}
		fprintf(out, "sweep: %zu unreferenced blobs, %zu stale upload files removed\n", blobs,
			tmps);
		return admin_upload_token_sweep(s, out, errf);
	}
	if (!strcmp(a0, "cron"))
		return admin_cron(s, conf, joined, out, errf);
	if (!strcmp(a0, "compact"))
		return admin_compact(s, conf, argc, argv, out, errf);
	if (!strcmp(a0, "checkpoint")) {
		if (store_checkpoint(s, 1, &err) != Q_OK) {
			fprintf(errf, "quire-admin: %s\n", err.msg);
			return 1;
		}
		return 0;
	}
	admin_usage(errf);
	return 2;
}
