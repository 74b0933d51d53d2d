/* store.c: the Berkeley DB environment, JSON tables and their indexes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/store.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/util.h"
#include "store/changelog.h"
#include "base/jsontext.h"

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct store {
	DB_ENV *env;
	DB *tables[T_TABLE_MAX];
	DB *indexes[I_INDEX_MAX];
	enum store_mode mode;
	int system;             /* the regions are System V segments */
	int64_t unflushed_ms;   /* q_mono_ms of the oldest commit not yet on disk, 0 = none */
};

struct stxn {
	struct store *s;
	DB_TXN *txn;
	int retry;       /* set when a deadlock or lock timeout asks for a rerun;
			  * from then on the transaction is dead: every call
			  * on it answers busy without touching Berkeley DB */
	int sync;        /* store_txn_sync: commit waiting for the disk */
	unsigned wait_ms;    /* the bound on each lock request (run_once) */
	struct seen *seen;   /* records of indexed tables this transaction read
			      * for update or wrote (seen_note), NULL = none */
	unsigned nseen, seen_next;
};

/* What store_put and store_del need of the record they replace, kept from
 * the transaction's own read for update (or write) of it: its index keys
 * and, for a document, the change log's filter fields. A put of a record
 * the transaction has just read (the read-modify-write every update is)
 * then neither reads nor parses it again: that second read and parse was
 * about a third of the JSON parsing of an ingested document (docs/ingest.md,
 * fifth round). The entry is exact because every write of the record in
 * the transaction goes through store_put or store_del, which update it;
 * the raw writes drop a table's entries. */
#define SEEN_MAX 32
struct seen {
	enum store_table tb;
	int present;                         /* 0: the record is absent */
	char pk[STORE_ID_MAX];
	unsigned char *key[I_INDEX_MAX];     /* index key (with pk) per index of tb */
	size_t klen[I_INDEX_MAX];
	json_t *filter;                      /* T_DOCS: the filter fields */
};

static void seen_free(struct stxn *t);

/* Index key extractor: append the index fields of rec to k. */
typedef void (*index_key_fn)(json_t *rec, struct store_key *k);

static const struct {
	const char *file;
	u_int32_t pagesize;
} table_def[T_TABLE_MAX] = {
	[T_ACCOUNTS] = {"accounts.db", 4096},
	[T_KEYS] = {"keys.db", 4096},
	[T_KBS] = {"kbs.db", 4096},
	[T_DOCS] = {"documents.db", 16384},   /* ~1 KiB records stay on-page */
	[T_CONTENT] = {"content.db", 65536},  /* text bodies; large ones overflow */
	[T_JOBS] = {"jobs.db", 4096},         /* ~300-byte records */
	[T_IDEMPOTENCY] = {"idempotency.db", 4096},
	[T_CHUNKS] = {"chunks.db", 16384},    /* ~2-3 KiB records stay on-page */
	[T_VECTORS] = {"vectors.db", 4096},   /* ~600-byte int8 vectors */
	/* small keys, 6-byte values; no DB_RECNUM (nothing counts its keys):
	 * its counts were a fifth of the log an ingestion wrote */
	[T_POSTINGS] = {"postings.db", 4096},
	[T_STATS] = {"stats.db", 4096},
	/* chat: small records; messages with citations ~1-3 KiB */
	[T_CONVERSATIONS] = {"conversations.db", 4096},
	[T_MESSAGES] = {"messages.db", 16384},
	[T_UPLOAD_TOKENS] = {"upload_tokens.db", 4096},   /* tiny use counts */
};

static void key_str_field(json_t *rec, const char *f, struct store_key *k)
{
	store_key_str(k, json_string_value(json_object_get(rec, f)) ?: "");
}

static void key_u64_field(json_t *rec, const char *f, struct store_key *k)
{
	store_key_u64(k, (uint64_t)json_integer_value(json_object_get(rec, f)));
}

static void ix_account_name(json_t *r, struct store_key *k)
{
	key_str_field(r, "name", k);
}

static void ix_by_account_created(json_t *r, struct store_key *k)
{
	key_str_field(r, "account", k);
	key_u64_field(r, "created_us", k);
}

static void ix_kb_slug(json_t *r, struct store_key *k)
{
	key_str_field(r, "account", k);
	key_str_field(r, "slug", k);
}

static void ix_job_doc(json_t *r, struct store_key *k)
{
	key_str_field(r, "document_id", k);
	key_u64_field(r, "created_us", k);
}

static void ix_job_status(json_t *r, struct store_key *k)
{
	key_str_field(r, "kind", k);
	key_str_field(r, "status", k);
	key_u64_field(r, "created_us", k);
}

static void ix_chunk_doc(json_t *r, struct store_key *k)
{
	key_str_field(r, "document_id", k);
	key_u64_field(r, "position", k);
}

static void ix_doc_blob(json_t *r, struct store_key *k)
{
	key_str_field(r, "blob", k);
	key_str_field(r, "kb", k);
}

static void ix_job_account(json_t *r, struct store_key *k)
{
	key_str_field(r, "account", k);
	key_str_field(r, "kind", k);
	key_u64_field(r, "created_us", k);
}

/* the ingest pool's per-account queues (queue_claim_fair) */
static void ix_job_queue(json_t *r, struct store_key *k)
{
	key_str_field(r, "kind", k);
	key_str_field(r, "status", k);
	key_str_field(r, "account", k);
	key_u64_field(r, "created_us", k);
}

/* chat: the messages of a conversation in order */
static void ix_message_conv(json_t *r, struct store_key *k)
{
	key_str_field(r, "conversation_id", k);
	key_u64_field(r, "seq", k);
}

static const struct {
	const char *file;
	enum store_table table;
	index_key_fn key;
} index_def[I_INDEX_MAX] = {
	[I_ACCOUNTS_BY_NAME] = {"ix_accounts_name.db", T_ACCOUNTS, ix_account_name},
	[I_KEYS_BY_ACCOUNT] = {"ix_keys_account.db", T_KEYS, ix_by_account_created},
	[I_KBS_BY_SLUG] = {"ix_kbs_slug.db", T_KBS, ix_kb_slug},
	[I_DOCS_BY_ACCOUNT] = {"ix_docs_account.db", T_DOCS, ix_by_account_created},
	[I_JOBS_BY_DOC] = {"ix_jobs_doc.db", T_JOBS, ix_job_doc},
	[I_JOBS_BY_STATUS] = {"ix_jobs_status.db", T_JOBS, ix_job_status},
	[I_CHUNKS_BY_DOC] = {"ix_chunks_doc.db", T_CHUNKS, ix_chunk_doc},
	[I_DOCS_BY_BLOB] = {"ix_docs_blob.db", T_DOCS, ix_doc_blob},
	[I_JOBS_BY_ACCOUNT] = {"ix_jobs_account.db", T_JOBS, ix_job_account},
	[I_MESSAGES_BY_CONV] = {"ix_messages_conv.db", T_MESSAGES, ix_message_conv},
	[I_JOBS_BY_QUEUE] = {"ix_jobs_queue.db", T_JOBS, ix_job_queue},
};

static const char db_config[] =
	"# Berkeley DB settings for Quire, read by every process that opens\n"
	"# this environment and by the db_* utilities. See docs/storage.md.\n"
	"set_lg_bsize 1048576\n"
	"set_lg_max 10485760\n"
	"set_lk_detect DB_LOCK_DEFAULT\n"
	"set_lk_max_lockers 10000\n"
	"set_lk_max_locks 100000\n"
	"set_lk_max_objects 100000\n"
	"set_tx_max 1000\n"
	"set_txn_timeout 10000000\n"
	"set_lock_timeout 5000000\n"
	"# Durability: commits are synchronous (DB_TXN_SYNC). Never DB_TXN_NOSYNC.\n";

static volatile int panic_seen;

void store_key_init(struct store_key *k)
{
	k->len = 0;
}

void store_key_str(struct store_key *k, const char *s)
{
	size_t n = strlen(s);
	if (n > STORE_KEY_MAX - 1 - k->len)
		n = STORE_KEY_MAX - 1 - k->len;   /* truncated keys still sort */
	memcpy(k->b + k->len, s, n);
	k->len += n;
	k->b[k->len++] = 0;
}

void store_key_u64(struct store_key *k, uint64_t v)
{
	if (k->len + 8 > STORE_KEY_MAX)
		return;
	for (int i = 7; i >= 0; i--)
		k->b[k->len++] = (unsigned char)(v >> (8 * i));
}

static void on_event(DB_ENV *env, u_int32_t event, void *info)
{
	if (event == DB_EVENT_PANIC)
		panic_seen = 1;
}

static void on_error(const DB_ENV *env, const char *pfx, const char *msg)
{
	QLOG_ERR("berkeley db: %s", msg);
}

int store_panicked(const struct store *s)
{
	return panic_seen;
}

static enum qstatus dberr(struct stxn *t, int rc, struct qerr *err, const char *what)
{
	switch (rc) {
	case 0:
		return Q_OK;
	case DB_NOTFOUND:
	case DB_KEYEMPTY:
		return qerr_set(err, Q_ENOTFOUND, NULL, "%s: not found", what);
	case DB_LOCK_DEADLOCK:
	case DB_LOCK_NOTGRANTED:
		if (t)
			t->retry = 1;
		return qerr_set(err, Q_EBUSY, NULL, "%s: %s, try again", what,
				rc == DB_LOCK_NOTGRANTED ? "lock wait timed out" : "lock conflict");
	case DB_RUNRECOVERY:
		panic_seen = 1;
		return qerr_set(err, Q_ERECOVER, NULL, "storage is being recovered");
	case ENOSPC:
		return qerr_set(err, Q_ENOSPACE, NULL, "%s: no space left on the device", what);
	case ENOMEM:
		return qerr_set(err, Q_ENOMEM, NULL, "%s: out of memory", what);
	default:
		QLOG_ERR("%s: %s", what, db_strerror(rc));
		return qerr_set(err, Q_EDB, NULL, "%s failed", what);
	}
}

/* The cache size an owner gives the environment it creates or recovers
 * (db_cache_mb): through the API, not DB_CONFIG, whose settings would
 * override the configuration. */
static unsigned cache_mb = 256;

void store_set_cache_mb(unsigned mb)
{
	cache_mb = mb < 16 ? 16 : mb;
}

unsigned store_cache_mb(struct store *s)
{
	u_int32_t gb = 0, bytes = 0;
	int n = 0;
	if (!s || !s->env || s->env->get_cachesize(s->env, &gb, &bytes, &n) != 0)
		return 0;
	return gb * 1024u + bytes / (1u << 20);
}

/* DB_CONFIG is Quire's: written when missing or different (an older
 * Quire's file held a fixed 64 MiB cache size), through a temporary name. */
static int write_db_config(const char *home)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], old[sizeof db_config + 1];
	snprintf(path, sizeof path, "%s/DB_CONFIG", home);
	FILE *f = fopen(path, "re");
	if (f) {
		size_t n = fread(old, 1, sizeof old, f);
		fclose(f);
		if (n == sizeof db_config - 1 && !memcmp(old, db_config, n))
			return 0;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!(f = fopen(tmp, "we")))
		return -1;
	fputs(db_config, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Berkeley DB's region files (__db.001...) are shared mappings of their
 * largest size (the lock region's maximum, the cache) over files that it
 * makes only as long as it uses, and lengthens by writing their last
 * page: sparse files. On a full disk the first store into a hole kills the
 * process with SIGBUS instead of returning an error. The owner that
 * creates them (at every recovery) gives every page of every mapping its
 * block here, beyond the end of the file too (FALLOC_FL_KEEP_SIZE, so
 * Berkeley DB still sees the sizes it wrote), so the disk is claimed up
 * front and a full disk later only fails writes (ENOSPC, 507). Allocating
 * is cheaper than DB_REGION_INIT, which writes the regions out as zeros.
 * In System V memory (db_region_memory = system, below) there is no file
 * to allocate: the kernel gives a segment its pages as they are used. The
 * lengths are read from /proc/self/maps, the one place that tells the
 * mapped sizes.
 * 0 or an errno. */
static int back_region(const char *path, off_t len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), rc = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : errno;
	while (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, len) < 0) {
		if (errno == EINTR)
			continue;
		/* No fallocate here (an old NFS, say): grow and fill the file
		 * the portable way; posix_fallocate writes the blocks. */
		if (errno == EOPNOTSUPP && q_back_file(fd, len) == 0)
			break;
		rc = errno;
		break;
	}
	close(fd);
	return rc;
}

static int back_regions(const char *home)
{
	char dir[PATH_MAX], line[PATH_MAX + 256];
	int rc = 0;
	if (!realpath(home, dir))
		return errno;
	size_t dl = strlen(dir);
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return 0;   /* no /proc: the regions stay as Berkeley DB made them */
	while (!rc && fgets(line, sizeof line, f)) {
		unsigned long lo, hi, off;
		int pos = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &lo, &hi, &off, &pos) < 3 || !pos)
			continue;
		char *path = line + pos;
		path[strcspn(path, "\n")] = '\0';
		if (strncmp(path, dir, dl) || strncmp(path + dl, "/__db.", 6))
			continue;
		rc = back_region(path, (off_t)(off + (hi - lo)));
	}
	fclose(f);
	return rc;
}

/* The owner recovers with no other process attached (quired has stopped
 * every child; quire-admin alone holds the data-directory lock), so the
 * old region files are removed first: Berkeley DB's own removal keeps the
 * old primary region mapped while it creates the new one, so recovery on
 * a full disk would need the space of both. */
static void drop_regions(const char *home)
{
	for (int i = 1; i < 100; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/__db.%03d", home, i);
		if (unlink(path) < 0 && errno == ENOENT)
			break;
	}
}

/* db_region_memory (docs/storage.md, "Regions in System V memory").
 * Berkeley DB's region files are shared mappings: some 30 s after a query
 * dirtied their pages the kernel writes them back and write-protects them,
 * and the next query takes 500-700 write faults (about 20 ms of CPU on the
 * test machine at 100,000 chunks, docs/search.md). System V segments are
 * not written back. But a segment outlives its processes, and Berkeley DB
 * removes whatever segment sits at a key it creates at, whoever owns it:
 * so the keys are derived from the data directory, tested before every
 * creation, and quired removes the segments at a clean stop. */
static int region_memory_system;

void store_set_region_memory(int system)
{
	region_memory_system = system != 0;
}

int store_regions_system(const struct store *s)
{
	return s && s->system;
}

/* The environment puts region i (1, 2, ...) at key + i - 1: three at the
 * default settings. 16 are reserved per data directory. */
#define SHM_KEYS 16

long store_shm_key(const char *home)
{
	struct stat st;
	if (stat(home, &st) < 0)
		return 0;
	/* FNV-1a over the device and inode: two data directories (two tenants
	 * on one host) never share a directory, so they differ here, and a
	 * stop and start of the same one finds its keys again. A renamed
	 * directory keeps its inode; a restored copy gets new keys. */
	uint64_t v[2] = {(uint64_t)st.st_dev, (uint64_t)st.st_ino}, h = 14695981039346656037ULL;
	const unsigned char *p = (const unsigned char *)v;
	for (size_t i = 0; i < sizeof v; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	/* Keys 16 .. 0x7ffffff0 in steps of 16: positive, never IPC_PRIVATE
	 * (0), and the 16 of one data directory never overlap another's. */
	return (long)((h % (0x7fffffffULL / SHM_KEYS - 1) + 1) * SHM_KEYS);
}

/* Berkeley DB 5.3's REGENV_REF: what __db.001 holds when the regions are
 * in system memory (the primary segment's size, maximum and id). */
struct regenv_ref {
	uintptr_t size, max;
	long segid;
};

static int read_ref(const char *home, struct regenv_ref *ref)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof path, "%s/__db.001", home);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int ok = fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof *ref
		 && read(fd, ref, sizeof *ref) == (ssize_t)sizeof *ref;
	close(fd);
	return ok;
}

/* Remove the segments at key's 16 that process creator made (ours):
 * the count that could not be removed. */
static int sweep_keys(long key, pid_t creator)
{
	int left = 0;
	for (int i = 0; i < SHM_KEYS; i++) {
		struct shmid_ds ds;
		int sid = shmget((key_t)(key + i), 0, 0);
		if (sid < 0 || shmctl(sid, IPC_STAT, &ds) < 0 || ds.shm_cpid != creator
		    || ds.shm_perm.uid != geteuid())
			continue;
		if (shmctl(sid, IPC_RMID, NULL) < 0)
			left++;
	}
	return left;
}

int store_remove_regions(const char *home)
{
	struct regenv_ref ref;
	struct shmid_ds ds;
	if (!read_ref(home, &ref))
		return 0;
	long key = store_shm_key(home);
	int id = (int)ref.segid;
	/* The primary segment must be the one at this directory's first key,
	 * ours, of the size the reference gives: after a reboot the id may
	 * name someone else's segment. */
	if (shmctl(id, IPC_STAT, &ds) < 0 || !key || shmget((key_t)key, 0, 0) != id
	    || ds.shm_perm.uid != geteuid() || ds.shm_segsz != ref.max) {
		if (shmctl(id, IPC_STAT, &ds) == 0)
			QLOG_WARN("%s/__db.001 names System V segment %d, which is not this data "
				  "directory's: left alone", home, id);
		drop_regions(home);
		return 0;
	}
	if (ds.shm_nattch)
		QLOG_WARN("the regions of %s are still attached by %lu processes: removed as "
			  "recovery removes region files", home, (unsigned long)ds.shm_nattch);
	pid_t creator = ds.shm_cpid;
	DB_ENV *env;
	if (db_env_create(&env, 0) == 0) {
		env->set_errcall(env, on_error);
		env->remove(env, home, DB_FORCE);   /* frees the handle */
	}
	/* What Berkeley DB's removal left of the environment's segments. */
	int left = sweep_keys(key, creator);
	drop_regions(home);
	if (left) {
		QLOG_WARN("%d System V segments of %s could not be removed (ipcs -m, key %#lx)",
			  left, home, key);
		return -1;
	}
	return 0;
}

/* Segments at key's 16 that a killed owner of this directory left
 * without a reference (its __db.001 lost: deleted by hand, or never on
 * disk): removed when they look like one environment made by one dead
 * process of our uid, none attached, the first at key itself. Another
 * program's or user's, or one in use, is left (keys_free then says so). */
static void sweep_stale(long key)
{
	struct shmid_ds ds;
	int id = shmget((key_t)key, 0, 0);
	if (id < 0 || shmctl(id, IPC_STAT, &ds) < 0 || ds.shm_perm.uid != geteuid()
	    || ds.shm_nattch || kill(ds.shm_cpid, 0) == 0 || errno != ESRCH)
		return;
	pid_t creator = ds.shm_cpid;
	for (int i = 1; i < SHM_KEYS; i++) {
		int sid = shmget((key_t)(key + i), 0, 0);
		if (sid < 0)
			continue;
		if (shmctl(sid, IPC_STAT, &ds) < 0 || ds.shm_perm.uid != geteuid() || ds.shm_nattch
		    || ds.shm_cpid != creator)
			return;
	}
	QLOG_INFO("removing the System V segments a killed process %ld left at key %#lx",
		  (long)creator, key);
	sweep_keys(key, creator);
}

/* 1 when none of home's keys has a segment: anything left there after
 * store_remove_regions is not this directory's environment (another
 * program's, another user's, or one in use), and Berkeley DB's creation
 * would remove it. */
static int keys_free(long key, char *why, size_t n)
{
	for (int i = 0; i < SHM_KEYS; i++) {
		struct shmid_ds ds;
		int id = shmget((key_t)(key + i), 0, 0);
		if (id < 0 && errno == ENOENT)
			continue;
		if (id < 0 || shmctl(id, IPC_STAT, &ds) < 0)
			snprintf(why, n, "System V key %#lx cannot be used (%s)", key + i,
				 strerror(errno));
		else
			snprintf(why, n, "System V key %#lx is taken (segment %d, uid %u, %lu attached; "
				 "ipcrm -m %d frees it if it is no one's)",
				 key + i, id, (unsigned)ds.shm_perm.uid, (unsigned long)ds.shm_nattch, id);
		return 0;
	}
	return 1;
}

/* s->env made and opened in home, its regions in System V memory at key
 * (0: files). 0 or Berkeley DB's error, s->env then NULL. */
static int env_open(struct store *s, const char *home, long key)
{
	int rc;
	if ((rc = db_env_create(&s->env, 0))) {
		s->env = NULL;
		return rc;
	}
	s->env->set_errcall(s->env, on_error);
	s->env->set_event_notify(s->env, on_event);
	/* Log files are written out in full when they are made, so a log
	 * write never lands in a hole a full disk cannot fill: the disk runs
	 * out at the start of a log file, before any record is in it. */
	s->env->log_set_config(s->env, DB_LOG_ZERO, 1);
	/* A lock wait that times out answers DB_LOCK_NOTGRANTED, told apart
	 * from a deadlock in the logs; store_run reruns both. */
	s->env->set_flags(s->env, DB_TIME_NOTGRANTED, 1);
	u_int32_t flags = DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_TXN;
	if (s->mode == STORE_OWNER) {
		flags |= DB_CREATE | DB_RECOVER;
		s->env->set_cachesize(s->env, cache_mb / 1024, (cache_mb % 1024) << 20, 1);
	}
	if (key) {
		s->env->set_shm_key(s->env, key);
		flags |= DB_SYSTEM_MEM;
	}
	if ((rc = s->env->open(s->env, home, flags, 0600))) {
		s->env->close(s->env, 0);
		s->env = NULL;
	}
	return rc;
}

/* __db.001, the reference to the segments, and its directory entry to
 * disk, once per creation: Berkeley DB does not sync it, and without it
 * the next owner cannot tell the segments at the keys from someone
 * else's, so they would stay there (taken) until a reboot. */
static void sync_ref(const char *home)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/__db.001", home);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	if ((fd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The owner's environment: in system memory when asked and possible,
 * otherwise in files; the reason for a fall back is logged once per
 * process. */
static int env_open_owner(struct store *s, const char *home)
{
	static int warned;
	char why[320] = "";
	/* A killed quired's segments (or a switch back to files): removed as
	 * the region files are, before anything is created. */
	store_remove_regions(home);
	drop_regions(home);
	long key = region_memory_system ? store_shm_key(home) : 0;
	if (region_memory_system && !key)
		snprintf(why, sizeof why, "cannot read %s: %s", home, strerror(errno));
	if (key)
		sweep_stale(key);
	if (key && !keys_free(key, why, sizeof why))
		key = 0;
	if (key) {
		int rc = env_open(s, home, key);
		if (!rc) {
			s->system = 1;
			sync_ref(home);
			return 0;
		}
		snprintf(why, sizeof why, "the environment in System V memory at key %#lx: %s",
			 key, db_strerror(rc));
		/* What the failed creation made (by this process, at keys that
		 * were free): __db.001 may not name it yet. */
		store_remove_regions(home);
		sweep_keys(key, getpid());
		drop_regions(home);
	}
	if (*why && !warned++)
		QLOG_WARN("db_region_memory = system: %s; the regions are in files", why);
	return env_open(s, home, 0);
}

static int open_db(struct store *s, DB **out, const char *file, u_int32_t pagesize,
		   int recnum)
{
	DB *db;
	int rc = db_create(&db, s->env, 0);
	if (rc)
		return rc;
	u_int32_t flags = DB_AUTO_COMMIT;
	if (s->mode == STORE_OWNER) {
		flags |= DB_CREATE;
		/* Only effective when the file is created. */
		db->set_pagesize(db, pagesize);
		db->set_flags(db, DB_CHKSUM | (recnum ? DB_RECNUM : 0));
	}
	rc = db->open(db, NULL, file, NULL, DB_BTREE, flags, 0600);
	if (rc) {
		db->close(db, 0);
		return rc;
	}
	*out = db;
	return 0;
}

static void index_key(enum store_index ix, json_t *rec, const char *pk, struct store_key *k);
/* Record a change of tb's record pk in t (after a put or delete of
 * T_VECTORS and T_DOCS) in the change log (changelog.h, the last section).
 * old and rec are the JSON records before and after (NULL when absent or
 * raw); a document is logged only when it is deleted or one of its filter
 * fields (account, kb, org, folder_id, allowed_roles, enabled, archived)
 * changed. */
static enum qstatus changelog_note(struct stxn *t, enum store_table tb, const char *pk,
				   json_t *old, json_t *rec, struct qerr *err);

/* A transaction that met a deadlock or a lock timeout is dead: Berkeley DB
 * refuses any further call on it ("previous transaction deadlock return not
 * resolved"), so a caller that goes on after a busy answer (treating it as
 * "not found", say) gets busy again, and store_run aborts and reruns the
 * whole function rather than commit what it decided. 1 when dead. */
static int txn_dead(struct stxn *t, struct qerr *err)
{
	if (!t->retry)
		return 0;
	qerr_set(err, Q_EBUSY, NULL, "lock conflict earlier in this transaction, try again");
	return 1;
}

static DBT dbt_str(const char *s);

struct fill {
	struct stxn *t;
	enum store_index ix;
	enum qstatus st;
	struct qerr *err;
};

static int fill_one(const char *pk, void *arg)
{
	struct fill *f = arg;
	json_t *rec;
	struct store_key k;
	if ((f->st = store_get(f->t, index_def[f->ix].table, pk, &rec, 0, f->err)) != Q_OK)
		return 1;
	index_key(f->ix, rec, pk, &k);
	json_decref(rec);
	DB *db = f->t->s->indexes[f->ix];
	DBT key = dbt_str(pk), val = dbt_str(pk);
	key.data = k.b;
	key.size = (u_int32_t)k.len;
	int rc = db->put(db, f->t->txn, &key, &val, 0);
	if (rc)
		f->st = dberr(f->t, rc, f->err, index_def[f->ix].file);
	return f->st != Q_OK;
}

static enum qstatus fill_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct fill *f = arg;
	f->t = t;
	f->err = err;
	f->st = Q_OK;
	enum qstatus st = store_scan_table(t, index_def[f->ix].table, fill_one, f, err);
	return st != Q_OK ? st : f->st;
}

/* An index added by a newer Quire to an existing environment: the owner
 * builds it from its table once, when it creates the file. */
static enum qstatus index_fill(struct store *s, enum store_index ix, struct qerr *err)
{
	struct fill f = {.ix = ix};
	return store_run(s, fill_fn, &f, err);
}

enum qstatus store_open(struct store **out, const char *home, enum store_mode mode,
			struct qerr *err)
{
	struct store *s = calloc(1, sizeof *s);
	enum qstatus st = Q_OK;
	int rc;

	if (!s)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	s->mode = mode;
	panic_seen = 0;
	if (mode == STORE_OWNER) {
		if (mkdir(home, 0700) < 0 && errno != EEXIST) {
			st = qerr_set(err, Q_EDB, NULL, "cannot create %s: %s", home, strerror(errno));
			goto out;
		}
		if (write_db_config(home) < 0) {
			st = qerr_set(err, Q_EDB, NULL, "cannot write %s/DB_CONFIG: %s", home,
				      strerror(errno));
			goto out;
		}
	}
	rc = mode == STORE_OWNER ? env_open_owner(s, home) : env_open(s, home, 0);
	if (rc) {
		st = dberr(NULL, rc, err, "opening the environment");
		if (st == Q_EDB)
			snprintf(err ? err->msg : (char[1]){0}, err ? sizeof err->msg : 1,
				 "cannot open the database in %s: %s", home, db_strerror(rc));
		goto out;
	}
	if (mode != STORE_OWNER) {
		struct regenv_ref ref;
		s->system = read_ref(home, &ref);
	}
	if (mode == STORE_OWNER && !s->system && (rc = back_regions(home))) {
		st = dberr(NULL, rc, err, "allocating the region files");
		goto out;
	}
	for (int i = 0; i < T_TABLE_MAX; i++)
		if ((rc = open_db(s, &s->tables[i], table_def[i].file, table_def[i].pagesize, 0))) {
			st = dberr(NULL, rc, err, table_def[i].file);
			goto out;
		}
	for (int i = 0; i < I_INDEX_MAX; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", home, index_def[i].file);
		int fresh = mode == STORE_OWNER && access(path, F_OK) != 0;
		if ((rc = open_db(s, &s->indexes[i], index_def[i].file, 4096, 1))) {
			st = dberr(NULL, rc, err, index_def[i].file);
			goto out;
		}
		if (fresh && (st = index_fill(s, (enum store_index)i, err)) != Q_OK)
			goto out;
	}
out:
	if (st != Q_OK) {
		store_close(s);
		s = NULL;
	}
	*out = s;
	return st;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < I_INDEX_MAX; i++)
		if (s->indexes[i])
			s->indexes[i]->close(s->indexes[i], 0);
	for (int i = 0; i < T_TABLE_MAX; i++)
		if (s->tables[i])
			s->tables[i]->close(s->tables[i], 0);
	if (s->env)
		s->env->close(s->env, 0);
	free(s);
}

/* How long one lock request waits (db_lock_timeout_ms) and how long
 * store_run keeps rerunning a function whose transaction met a deadlock or
 * a lock timeout (db_retry_ms). */
static unsigned lock_timeout_ms = 5000, retry_ms = 10000;
static unsigned long reruns;   /* attempts run again in this process */
static uint64_t commit_us;     /* time in commits and log flushes, this process */

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t store_commit_us(void)
{
	return commit_us;
}

unsigned long store_rerun_count(void)
{
	return reruns;
}

void store_set_retry_ms(unsigned ms)
{
	retry_ms = ms;
}

void store_set_lock_timeout_ms(unsigned ms)
{
	lock_timeout_ms = ms < 10 ? 10 : ms;
}

/* A random pause before a rerun: 1 ms up to 2 ms, the bound doubling with
 * each attempt up to 100 ms (a count of ten attempts ran out in a third of
 * a second when 16 writers fought on a loaded 2-core machine). */
static void rerun_pause(int attempt)
{
	unsigned r, max = attempt < 6 ? 2u << attempt : 100;
	q_random(&r, sizeof r);
	struct timespec ts = {0, (long)(1 + r % (max > 100 ? 100 : max)) * 1000000L};
	nanosleep(&ts, NULL);
}

/* One attempt: begin, run fn, commit. *retry is set when the attempt met a
 * deadlock or a lock timeout and may be run again. wait_ms bounds every
 * lock request of the transaction (Berkeley DB expires it only while some
 * process runs the detector: store_lock_watch_start). */
static enum qstatus run_once(struct store *s, store_fn fn, void *arg, unsigned wait_ms,
			     u_int32_t begin_flags, u_int32_t commit_flags, int *retry,
			     struct qerr *err)
{
	struct stxn t = {.s = s, .wait_ms = wait_ms};
	enum qstatus st;
	int rc;
	*retry = 0;
	if ((rc = s->env->txn_begin(s->env, NULL, &t.txn, begin_flags)))
		return dberr(NULL, rc, err, "txn_begin");
	if ((rc = t.txn->set_timeout(t.txn, (db_timeout_t)wait_ms * 1000, DB_SET_LOCK_TIMEOUT))) {
		st = dberr(NULL, rc, err, "txn set_timeout");
		goto out;
	}
	st = fn(&t, arg, err);
	if (t.sync)
		commit_flags = 0;
	if (st == Q_OK && !t.retry) {
		/* commit ends the transaction, whatever it answers */
		int64_t c0 = mono_us();
		rc = t.txn->commit(t.txn, commit_flags);
		commit_us += (uint64_t)(mono_us() - c0);
		t.txn = NULL;
		st = dberr(&t, rc, err, "commit");
		/* a synchronous commit flushes the log up to its record, which
		 * follows every earlier commit of this environment */
		if (rc == 0 && commit_flags == DB_TXN_WRITE_NOSYNC && !s->unflushed_ms)
			s->unflushed_ms = q_mono_ms();
		else if (rc == 0 && commit_flags != DB_TXN_WRITE_NOSYNC)
			s->unflushed_ms = 0;
	} else if (st == Q_OK) {
		/* fn went on past a busy answer: never commit what it decided */
		st = qerr_set(err, Q_EBUSY, NULL, "a lock conflict was passed over; run again");
	}
out:
	if (t.txn)
		t.txn->abort(t.txn);
	seen_free(&t);
	*retry = t.retry;
	return st;
}

static enum qstatus run(struct store *s, store_fn fn, void *arg, u_int32_t begin_flags,
			u_int32_t commit_flags, struct qerr *err)
{
	int64_t start = q_mono_ms();
	for (int attempt = 0;; attempt++) {
		int64_t left = (int64_t)retry_ms - (q_mono_ms() - start);
		unsigned wait_ms = lock_timeout_ms;
		int retry;
		if (panic_seen)
			return qerr_set(err, Q_ERECOVER, NULL, "storage is being recovered");
		/* The last attempt waits no longer than the time left, so a
		 * writer behind a long reader is answered within db_retry_ms. */
		if (retry_ms && left < (int64_t)wait_ms)
			wait_ms = left < 10 ? 10 : (unsigned)left;
		enum qstatus st = run_once(s, fn, arg, wait_ms, begin_flags, commit_flags, &retry,
					   err);
		if (!retry)
			return st;
		if (q_mono_ms() - start >= (int64_t)retry_ms) {
			QLOG_DEBUG("rerun for %u ms: %s", retry_ms, err->msg);
			return qerr_set(err, Q_EBUSY, NULL, "the database is busy; try again");
		}
		rerun_pause(attempt);
		reruns++;
		qm_add(QM_STORE_RERUNS, 1);
		qerr_clear(err);
	}
}

enum qstatus store_run(struct store *s, store_fn fn, void *arg, struct qerr *err)
{
	return run(s, fn, arg, 0, 0, err);   /* the environment's default: synchronous */
}

enum qstatus store_run_committed(struct store *s, store_fn fn, void *arg, struct qerr *err)
{
	return run(s, fn, arg, DB_READ_COMMITTED, 0, err);
}

enum qstatus store_run_lazy(struct store *s, store_fn fn, void *arg, struct qerr *err)
{
	return run(s, fn, arg, 0, DB_TXN_WRITE_NOSYNC, err);
}

enum qstatus store_run_flushed(struct store *s, store_fn fn, void *arg, struct qerr *err)
{
	enum qstatus st = run(s, fn, arg, 0, DB_TXN_WRITE_NOSYNC, err);
	if (st != Q_OK)
		return st;
	return store_flush(s, err);
}

void store_txn_sync(struct stxn *t)
{
	t->sync = 1;
}

enum qstatus store_txn_lock(struct stxn *t, const char *name, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	/* The transaction's own locker: the commit or abort lets go of it
	 * with the transaction's other locks (DB_LOCK_PUT_ALL). */
	DBT obj = {.data = (void *)name, .size = (u_int32_t)strlen(name)};
	DB_LOCK lock;
	int64_t t0 = q_mono_ms();
	int rc = t->s->env->lock_get(t->s->env, t->txn->id(t->txn), 0, &obj, DB_LOCK_WRITE, &lock);
	if (rc)
		return dberr(t, rc, err, name);
	/* Time spent waiting for the name comes off what the transaction's
	 * later lock requests may wait: a create that waited for the queue's
	 * writers (one of them stuck behind a long reader) and then met the
	 * reader itself waited two lock timeouts in one attempt, and was
	 * answered 503 after 15 s where db_retry_ms promises 10
	 * (tests/faults/longread.test). */
	int64_t waited = q_mono_ms() - t0;
	if (waited > 0) {
		int64_t left = (int64_t)t->wait_ms - waited;
		rc = t->txn->set_timeout(t->txn, (db_timeout_t)(left < 10 ? 10 : left) * 1000,
					 DB_SET_LOCK_TIMEOUT);
		if (rc)
			return dberr(t, rc, err, "txn set_timeout");
	}
	return Q_OK;
}

enum qstatus store_flush(struct store *s, struct qerr *err)
{
	if (!s->unflushed_ms)
		return Q_OK;
	int64_t c0 = mono_us();
	int rc = s->env->log_flush(s->env, NULL);
	commit_us += (uint64_t)(mono_us() - c0);
	if (rc)
		return dberr(NULL, rc, err, "log_flush");
	s->unflushed_ms = 0;
	return Q_OK;
}

int64_t store_unflushed_ms(const struct store *s)
{
	return s->unflushed_ms ? q_mono_ms() - s->unflushed_ms : -1;
}

static DBT dbt_str(const char *s)
{
	DBT d;
	memset(&d, 0, sizeof d);
	d.data = (void *)s;
	d.size = (u_int32_t)strlen(s);
	return d;
}

enum qstatus store_get_raw(struct stxn *t, enum store_table tb, const char *pk,
			   char **out, size_t *len, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DBT key = dbt_str(pk), val;
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_MALLOC;
	int rc = t->s->tables[tb]->get(t->s->tables[tb], t->txn, &key, &val, 0);
	if (rc)
		return dberr(t, rc, err, table_def[tb].file);
	char *p = realloc(val.data, val.size + 1);
	if (!p) {
		free(val.data);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	p[val.size] = '\0';
	*out = p;
	if (len)
		*len = val.size;
	return Q_OK;
}

static enum qstatus get_buf(struct stxn *t, enum store_table tb, const char *pk,
			    struct qbuf *b, u_int32_t dbflags, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->tables[tb];
	DBT key = dbt_str(pk), val;
	int rc;

	qbuf_reset(b);
	if (qbuf_reserve(b, 255) < 0)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (;;) {
		memset(&val, 0, sizeof val);
		val.data = b->data;
		val.ulen = b->alloc - 1 > UINT32_MAX ? UINT32_MAX : (u_int32_t)(b->alloc - 1);
		val.flags = DB_DBT_USERMEM;
		rc = db->get(db, t->txn, &key, &val, dbflags);
		if (rc != DB_BUFFER_SMALL)
			break;
		/* val.size is the length needed: grow once and read again */
		if (qbuf_reserve(b, val.size) < 0)
			return qerr_set(err, Q_ENOMEM, NULL, "%s: a record of %u bytes does not fit",
					table_def[tb].file, (unsigned)val.size);
	}
	if (rc)
		return dberr(t, rc, err, table_def[tb].file);
	b->len = val.size;
	b->data[b->len] = '\0';
	return Q_OK;
}

enum qstatus store_get_buf(struct stxn *t, enum store_table tb, const char *pk,
			   struct qbuf *b, struct qerr *err)
{
	return get_buf(t, tb, pk, b, 0, err);
}

enum qstatus store_get_buf_rmw(struct stxn *t, enum store_table tb, const char *pk,
			       struct qbuf *b, struct qerr *err)
{
	return get_buf(t, tb, pk, b, DB_RMW, err);
}

static void seen_drop_table(struct stxn *t, enum store_table tb);

static enum qstatus put_raw(struct stxn *t, enum store_table tb, const char *pk,
			    const void *data, size_t len, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DBT key = dbt_str(pk), val;
	memset(&val, 0, sizeof val);
	val.data = (void *)data;
	val.size = (u_int32_t)len;
	if (len > UINT32_MAX)
		return qerr_set(err, Q_ETOOBIG, NULL, "record too large");
	int rc = t->s->tables[tb]->put(t->s->tables[tb], t->txn, &key, &val, 0);
	if (rc == 0 && tb == T_VECTORS)   /* change log (changelog.h) */
		return changelog_note(t, tb, pk, NULL, NULL, err);
	return dberr(t, rc, err, table_def[tb].file);
}

enum qstatus store_put_raw(struct stxn *t, enum store_table tb, const char *pk,
			   const void *data, size_t len, struct qerr *err)
{
	seen_drop_table(t, tb);   /* written past store_put: what it saw may be wrong */
	return put_raw(t, tb, pk, data, len, err);
}

/* ---- records seen by the transaction (struct seen) ----------------------- */

/* The change log's filter fields of a document (filter_fields_differ). */
static const char *const filter_fields[] = {"account", "kb", "org", "folder_id",
					    "allowed_roles", "enabled", "archived", "is_global"};

static int table_has_index(enum store_table tb);

static void seen_clear(struct seen *e)
{
	for (int ix = 0; ix < I_INDEX_MAX; ix++) {
		free(e->key[ix]);
		e->key[ix] = NULL;
		e->klen[ix] = 0;
	}
	json_decref(e->filter);
	e->filter = NULL;
	e->present = 0;
	e->pk[0] = '\0';
}

static void seen_free(struct stxn *t)
{
	for (unsigned i = 0; i < t->nseen; i++)
		seen_clear(&t->seen[i]);
	free(t->seen);
	t->seen = NULL;
	t->nseen = t->seen_next = 0;
}

static struct seen *seen_find(struct stxn *t, enum store_table tb, const char *pk)
{
	for (unsigned i = 0; i < t->nseen; i++)
		if (t->seen[i].pk[0] && t->seen[i].tb == tb && !strcmp(t->seen[i].pk, pk))
			return &t->seen[i];
	return NULL;
}

/* Forget what the transaction saw of tb (a raw write of it). */
static void seen_drop_table(struct stxn *t, enum store_table tb)
{
	for (unsigned i = 0; i < t->nseen; i++)
		if (t->seen[i].tb == tb)
			seen_clear(&t->seen[i]);
}

/* e (cleared) as tb's record pk is when it is rec (NULL: absent); -1 when
 * out of memory (e cleared again). The key is not set. */
static int seen_fill(struct seen *e, enum store_table tb, const char *pk, json_t *rec)
{
	e->tb = tb;
	if (rec) {
		for (int ix = 0; ix < I_INDEX_MAX; ix++) {
			if (index_def[ix].table != tb)
				continue;
			struct store_key k;
			index_key(ix, rec, pk, &k);
			if (!(e->key[ix] = malloc(k.len ? k.len : 1)))
				goto fail;
			memcpy(e->key[ix], k.b, k.len);
			e->klen[ix] = k.len;
		}
		if (tb == T_DOCS) {
			if (!(e->filter = json_object()))
				goto fail;
			for (size_t i = 0; i < sizeof filter_fields / sizeof *filter_fields; i++) {
				json_t *v = json_object_get(rec, filter_fields[i]);
				if (v && json_object_set_new(e->filter, filter_fields[i],
							     json_deep_copy(v)))
					goto fail;
			}
		}
		e->present = 1;
	}
	return 0;
fail:
	seen_clear(e);
	return -1;
}

/* Note that tb's record pk is rec as of now in t (NULL: absent): its entry,
 * or NULL when it cannot be kept (out of memory, a long key), in which case
 * no entry for it is left. */
static struct seen *seen_note(struct stxn *t, enum store_table tb, const char *pk, json_t *rec)
{
	size_t n = strlen(pk);
	struct seen *e = seen_find(t, tb, pk);
	if (!e && n >= STORE_ID_MAX)
		return NULL;
	if (!e && !t->seen && !(t->seen = calloc(SEEN_MAX, sizeof *t->seen)))
		return NULL;
	if (!e) {
		if (t->nseen < SEEN_MAX)
			e = &t->seen[t->nseen++];
		else
			e = &t->seen[t->seen_next++ % SEEN_MAX];
	}
	seen_clear(e);
	if (seen_fill(e, tb, pk, rec) < 0)
		return NULL;
	memcpy(e->pk, pk, n + 1);
	return e;
}

static enum qstatus get_locked(struct stxn *t, enum store_table tb, const char *pk,
			       json_t **out, u_int32_t dbflags, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DBT key = dbt_str(pk), val;
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_MALLOC;
	int rc = t->s->tables[tb]->get(t->s->tables[tb], t->txn, &key, &val, dbflags);
	if (rc)
		return dberr(t, rc, err, table_def[tb].file);
	json_error_t jerr;
	*out = json_loadb(val.data, val.size, JSON_REJECT_DUPLICATES, &jerr);
	free(val.data);
	if (!*out && json_error_code(&jerr) == json_error_out_of_memory)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (!*out) {
		QLOG_ERR("%s: record %s does not parse: %s", table_def[tb].file, pk, jerr.text);
		return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
	}
	/* read for update: a put of it will need its index keys (struct seen) */
	if ((dbflags & DB_RMW) && table_has_index(tb))
		seen_note(t, tb, pk, *out);
	return Q_OK;
}

enum qstatus store_get(struct stxn *t, enum store_table tb, const char *pk,
		       json_t **out, unsigned flags, struct qerr *err)
{
	return get_locked(t, tb, pk, out, (flags & STORE_RMW) ? DB_RMW : 0, err);
}

static void index_key(enum store_index ix, json_t *rec, const char *pk, struct store_key *k)
{
	store_key_init(k);
	index_def[ix].key(rec, k);
	store_key_str(k, pk);
}

/* old: the record's entry as it is before the write (its index keys). */
static enum qstatus index_update(struct stxn *t, enum store_table tb, const char *pk,
				 const struct seen *old, json_t *rec, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	for (int ix = 0; ix < I_INDEX_MAX; ix++) {
		if (index_def[ix].table != tb)
			continue;
		DB *db = t->s->indexes[ix];
		struct store_key nk;
		if (rec)
			index_key(ix, rec, pk, &nk);
		if (old->present) {
			if (rec && old->klen[ix] == nk.len && !memcmp(old->key[ix], nk.b, nk.len))
				continue;
			DBT key;
			memset(&key, 0, sizeof key);
			key.data = old->key[ix];
			key.size = (u_int32_t)old->klen[ix];
			int rc = db->del(db, t->txn, &key, 0);
			if (rc && rc != DB_NOTFOUND)
				return dberr(t, rc, err, index_def[ix].file);
		}
		if (rec) {
			DBT key = dbt_str(pk), val = dbt_str(pk);
			key.data = nk.b;
			key.size = (u_int32_t)nk.len;
			int rc = db->put(db, t->txn, &key, &val, 0);
			if (rc)
				return dberr(t, rc, err, index_def[ix].file);
		}
	}
	return Q_OK;
}

static int table_has_index(enum store_table tb)
{
	for (int ix = 0; ix < I_INDEX_MAX; ix++)
		if (index_def[ix].table == tb)
			return 1;
	return 0;
}

/* The entry of tb's record pk as the transaction has it now (struct seen),
 * read for update when the transaction has not seen it; tmp (zeroed, to be
 * cleared by the caller) when the transaction cannot keep it. */
static enum qstatus seen_get(struct stxn *t, enum store_table tb, const char *pk,
			     struct seen *tmp, struct seen **out, struct qerr *err)
{
	if ((*out = seen_find(t, tb, pk)))
		return Q_OK;
	json_t *old = NULL;
	enum qstatus st = get_locked(t, tb, pk, &old, DB_RMW, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	if (st != Q_OK)
		return st;
	*out = old ? seen_find(t, tb, pk) : seen_note(t, tb, pk, NULL);
	if (!*out && seen_fill(tmp, tb, pk, old) == 0)
		*out = tmp;
	json_decref(old);
	return *out ? Q_OK : qerr_set(err, Q_ENOMEM, NULL, "out of memory");
}

enum qstatus store_put(struct stxn *t, enum store_table tb, const char *pk,
		       json_t *rec, struct qerr *err)
{
	struct seen *old = NULL, tmp = {0};
	enum qstatus st = Q_OK;
	char *text = NULL;

	if (table_has_index(tb) && (st = seen_get(t, tb, pk, &tmp, &old, err)) != Q_OK)
		goto out;
	size_t len;
	/* Never json_dumps: on a failed allocation it can return malformed
	 * text, which would be stored (q_json_text). */
	text = q_json_text(rec, JSON_COMPACT, &len);
	if (!text) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((st = put_raw(t, tb, pk, text, len, err)) != Q_OK)
		goto out;
	if (!old)
		goto out;
	st = index_update(t, tb, pk, old, rec, err);
	if (st == Q_OK && tb == T_DOCS)   /* change log (changelog.h) */
		st = changelog_note(t, tb, pk, old->present ? old->filter : NULL, rec, err);
	/* the record is rec now; when that cannot be kept, the entry goes */
	if (st == Q_OK && !seen_note(t, tb, pk, rec) && (old = seen_find(t, tb, pk)))
		seen_clear(old);
out:
	seen_clear(&tmp);
	free(text);
	return st;
}

enum qstatus store_del(struct stxn *t, enum store_table tb, const char *pk,
		       struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	struct seen *old, tmp = {0};
	enum qstatus st;

	if (table_has_index(tb)) {
		if ((st = seen_get(t, tb, pk, &tmp, &old, err)) != Q_OK)
			return st;
		if (!old->present) {
			seen_clear(&tmp);
			return dberr(t, DB_NOTFOUND, err, table_def[tb].file);
		}
		st = index_update(t, tb, pk, old, NULL, err);
		if (st == Q_OK && tb == T_DOCS)   /* change log (changelog.h) */
			st = changelog_note(t, tb, pk, old->filter, NULL, err);
		seen_clear(&tmp);
		/* absent from now on (or forgotten when that cannot be noted) */
		if (!seen_note(t, tb, pk, NULL) && (old = seen_find(t, tb, pk)))
			seen_clear(old);
		if (st != Q_OK)
			return st;
	}
	DBT key = dbt_str(pk);
	int rc = t->s->tables[tb]->del(t->s->tables[tb], t->txn, &key, 0);
	if (rc == 0 && tb == T_VECTORS)   /* change log (changelog.h) */
		return changelog_note(t, tb, pk, NULL, NULL, err);
	return dberr(t, rc, err, table_def[tb].file);
}

/* key as a DBT whose buffer (buf, STORE_KEY_MAX bytes) also takes the
 * key a cursor moves to. */
static void key_dbt(DBT *d, unsigned char *buf, const struct store_key *k)
{
	memset(d, 0, sizeof *d);
	memcpy(buf, k->b, k->len);
	d->data = buf;
	d->size = (u_int32_t)k->len;
	d->ulen = STORE_KEY_MAX;
	d->flags = DB_DBT_USERMEM;
}

/* Record number of the last key, 0 when the index is empty. */
static int last_recno(DBC *c, db_recno_t *out)
{
	DBT key, val, rn;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	memset(&rn, 0, sizeof rn);
	key.flags = DB_DBT_PARTIAL;   /* only the position */
	val.flags = DB_DBT_PARTIAL;
	int rc = c->get(c, &key, &val, DB_LAST);
	*out = 0;
	if (rc == DB_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	rn.data = out;
	rn.ulen = sizeof *out;
	rn.flags = DB_DBT_USERMEM;
	return c->get(c, &key, &rn, DB_GET_RECNO);
}

/* Record number of the first key >= k (1-based; count+1 past the end),
 * from one descent of the tree: the cursor's own, so the answer is of the
 * pages it holds (DB->stat's count of the whole index is not: it lets go
 * of the root at once, and a commit can come between it and a cursor's
 * read). */
static int recno_at(DBC *c, const struct store_key *k, db_recno_t *out)
{
	DBT key, val, rn;
	unsigned char buf[STORE_KEY_MAX];
	key_dbt(&key, buf, k);
	memset(&val, 0, sizeof val);
	memset(&rn, 0, sizeof rn);
	val.flags = DB_DBT_PARTIAL;   /* no data needed */
	int rc = c->get(c, &key, &val, DB_SET_RANGE);
	if (rc == DB_NOTFOUND) {
		if ((rc = last_recno(c, out)) == 0)
			(*out)++;
		return rc;
	}
	if (rc)
		return rc;
	db_recno_t r;
	rn.data = &r;
	rn.ulen = sizeof r;
	rn.flags = DB_DBT_USERMEM;
	rc = c->get(c, &key, &rn, DB_GET_RECNO);
	if (rc)
		return rc;
	*out = r;
	return 0;
}

/* Smallest key greater than every key starting with prefix. Index keys
 * never contain 0xff runs longer than a u64, so appending 9 of them works. */
static void prefix_end(const struct store_key *p, struct store_key *end)
{
	*end = *p;
	for (int i = 0; i < 9 && end->len < STORE_KEY_MAX; i++)
		end->b[end->len++] = 0xff;
}

static enum qstatus count_db(struct stxn *t, DB *db, const char *file,
			     const struct store_key *prefix, size_t *count, struct qerr *err);

enum qstatus store_count(struct stxn *t, enum store_index ix, const struct store_key *prefix,
			 size_t *count, struct qerr *err)
{
	return count_db(t, t->s->indexes[ix], index_def[ix].file, prefix, count, err);
}

/* Ranges of at most this many entries are counted by walking them. */
#define COUNT_WALK 32

/* The entries under prefix, as one state of the index has them while
 * other processes commit around the count (a cap's jobs in flight, a
 * /metrics depth): a small range is walked with one cursor, whose page
 * locks hold it still; a larger one is the difference of its two ends'
 * record numbers, two descents of the tree a commit can come between (a
 * put or delete before the range shifts one end and not yet the other),
 * so both ends are read twice until neither moved. */
static enum qstatus count_db(struct stxn *t, DB *db, const char *file,
			     const struct store_key *prefix, size_t *count, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DBC *c = NULL;
	DBT key, val;
	unsigned char buf[STORE_KEY_MAX];
	struct store_key end;
	db_recno_t a, b, a2, b2;
	size_t n = 0;
	int rc;

	*count = 0;
	if ((rc = db->cursor(db, t->txn, &c, 0)))
		goto out;
	key_dbt(&key, buf, prefix);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_PARTIAL;   /* no data needed */
	for (rc = c->get(c, &key, &val, DB_SET_RANGE);
	     rc == 0 && key.size >= prefix->len && !memcmp(buf, prefix->b, prefix->len);
	     rc = c->get(c, &key, &val, DB_NEXT))
		if (++n > COUNT_WALK)
			break;
	if (n <= COUNT_WALK && (rc == 0 || rc == DB_NOTFOUND)) {
		*count = n;
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	prefix_end(prefix, &end);
	for (int tries = 0;; tries++) {
		if ((rc = recno_at(c, prefix, &a)) || (rc = recno_at(c, &end, &b)) ||
		    (rc = recno_at(c, prefix, &a2)) || (rc = recno_at(c, &end, &b2)))
			goto out;
		if ((a == a2 && b == b2) || tries == 16)
			break;
	}
	*count = b > a ? b - a : 0;
out:
	if (c)
		c->close(c);
	return dberr(t, rc, err, file);
}

enum qstatus store_seek(struct stxn *t, enum store_index ix, const struct store_key *from,
			struct store_key *out, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->indexes[ix];
	DBC *c = NULL;
	DBT key, val;
	int rc;

	if ((rc = db->cursor(db, t->txn, &c, 0)))
		goto out;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	memcpy(out->b, from->b, from->len);
	key.data = out->b;
	key.size = (u_int32_t)from->len;
	key.ulen = sizeof out->b;
	key.flags = DB_DBT_USERMEM;
	if ((rc = c->get(c, &key, &val, DB_SET_RANGE)) == 0)
		out->len = key.size;
out:
	if (c)
		c->close(c);
	if (rc == DB_NOTFOUND)
		return qerr_set(err, Q_ENOTFOUND, NULL, "no more keys");
	return dberr(t, rc, err, index_def[ix].file);
}

enum qstatus store_scan(struct stxn *t, enum store_index ix, const struct store_key *prefix,
			size_t offset, size_t limit, store_scan_cb cb, void *arg,
			struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->indexes[ix];
	DBC *c = NULL;
	DBT key, val;
	int rc;
	size_t n = 0;

	if ((rc = db->cursor(db, t->txn, &c, 0)))
		goto out;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	if (offset == 0) {
		unsigned char buf[STORE_KEY_MAX];
		key_dbt(&key, buf, prefix);
		rc = c->get(c, &key, &val, DB_SET_RANGE);
		memset(&key, 0, sizeof key);
		if (rc == 0)
			rc = c->get(c, &key, &val, DB_CURRENT);
	} else {
		db_recno_t last, first;
		if ((rc = recno_at(c, prefix, &first)) || (rc = last_recno(c, &last)))
			goto out;
		if ((uint64_t)first + offset > last) {
			rc = DB_NOTFOUND;
			goto out;
		}
		db_recno_t want = first + (db_recno_t)offset;
		key.data = &want;
		key.size = sizeof want;
		rc = c->get(c, &key, &val, DB_SET_RECNO);
	}
	while (rc == 0) {
		if (key.size < prefix->len || memcmp(key.data, prefix->b, prefix->len))
			break;
		char pk[STORE_KEY_MAX];
		size_t plen = val.size < sizeof pk - 1 ? val.size : sizeof pk - 1;
		memcpy(pk, val.data, plen);
		pk[plen] = '\0';
		if (cb(pk, arg))
			break;
		if (limit && ++n >= limit)
			break;
		memset(&key, 0, sizeof key);
		memset(&val, 0, sizeof val);
		rc = c->get(c, &key, &val, DB_NEXT);
	}
	if (rc == DB_NOTFOUND)
		rc = 0;
out:
	if (rc == DB_NOTFOUND)
		rc = 0;
	if (c)
		c->close(c);
	return dberr(t, rc, err, index_def[ix].file);
}

/* Bulk reads (DB_MULTIPLE_KEY): one cursor call per buffer of records
 * instead of one per record; long posting lists are read several times
 * faster. The buffer grows for a record larger than it. */
#define SCAN_BULK (64u << 10)
/* A scan's first bulk read is smaller (at least a page: Berkeley DB's
 * rule), then doubled per read up to SCAN_BULK: Berkeley DB fills the
 * buffer past the prefix's last record, with the next keys' pages, and
 * most prefix scans end within a page or two (a rare term's postings, a
 * block to remove). At a million chunks a row of 100 keyword queries read
 * 32,439 pages of postings.db with 64 KiB from the first read, 22,288
 * with 8 KiB (docs/search.md, h27kw). */
#define SCAN_BULK_FIRST (8u << 10)

enum qstatus store_scan_raw(struct stxn *t, enum store_table tb, const struct store_key *prefix,
			    store_raw_cb cb, void *arg, struct qerr *err)
{
	return store_scan_raw_from(t, tb, prefix, prefix, cb, arg, err);
}

static enum qstatus scan_raw(struct stxn *t, enum store_table tb, const struct store_key *prefix,
			     const struct store_key *from, store_raw_cb cb, void *arg,
			     u_int32_t cflags, struct qerr *err);

enum qstatus store_scan_raw_from(struct stxn *t, enum store_table tb, const struct store_key *prefix,
				 const struct store_key *from, store_raw_cb cb, void *arg,
				 struct qerr *err)
{
	return scan_raw(t, tb, prefix, from, cb, arg, 0, err);
}

enum qstatus store_scan_raw_committed(struct stxn *t, enum store_table tb,
				      const struct store_key *prefix, store_raw_cb cb, void *arg,
				      struct qerr *err)
{
	return scan_raw(t, tb, prefix, prefix, cb, arg, DB_READ_COMMITTED, err);
}

static enum qstatus scan_raw(struct stxn *t, enum store_table tb, const struct store_key *prefix,
			     const struct store_key *from, store_raw_cb cb, void *arg,
			     u_int32_t cflags, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->tables[tb];
	DBC *c = NULL;
	DBT key, val;
	unsigned char buf[STORE_KEY_MAX];
	u_int32_t op = DB_SET_RANGE;
	int rc, done = 0;

	if ((rc = db->cursor(db, t->txn, &c, cflags)))
		return dberr(t, rc, err, table_def[tb].file);
	key_dbt(&key, buf, from);
	memset(&val, 0, sizeof val);
	u_int32_t ps = 0;
	if (db->get_pagesize(db, &ps))
		ps = 0;
	val.ulen = ps > SCAN_BULK_FIRST ? ps : SCAN_BULK_FIRST;
	val.flags = DB_DBT_USERMEM;
	if (!(val.data = malloc(val.ulen))) {
		c->close(c);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	while (!done) {
		rc = c->get(c, &key, &val, op | DB_MULTIPLE_KEY);
		if (rc == DB_BUFFER_SMALL) {
			u_int32_t need = (val.size + 1023) / 1024 * 1024;
			void *p = need > val.ulen ? realloc(val.data, need) : NULL;
			if (!p) {
				rc = ENOMEM;
				break;
			}
			val.data = p;
			val.ulen = need;
			continue;
		}
		if (rc)
			break;
		void *it, *k, *d;
		u_int32_t kl, dl;
		DB_MULTIPLE_INIT(it, &val);
		for (;;) {
			DB_MULTIPLE_KEY_NEXT(it, &val, k, kl, d, dl);
			if (!it)
				break;
			if (kl < prefix->len || memcmp(k, prefix->b, prefix->len) ||
			    cb(k, kl, d, dl, arg)) {
				done = 1;
				break;
			}
		}
		op = DB_NEXT;
		if (!done && val.ulen < SCAN_BULK) {
			void *p = realloc(val.data, val.ulen * 2);
			if (!p) {
				rc = ENOMEM;
				break;
			}
			val.data = p;
			val.ulen *= 2;
		}
	}
	if (rc == DB_NOTFOUND)
		rc = 0;
	free(val.data);
	c->close(c);
	return dberr(t, rc, err, table_def[tb].file);
}

enum qstatus store_put_rawkey(struct stxn *t, enum store_table tb, const struct store_key *k,
			      const void *data, size_t len, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	seen_drop_table(t, tb);
	DBT key, val;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)k->b;
	key.size = (u_int32_t)k->len;
	val.data = (void *)data;
	val.size = (u_int32_t)len;
	int rc = t->s->tables[tb]->put(t->s->tables[tb], t->txn, &key, &val, 0);
	return dberr(t, rc, err, table_def[tb].file);
}

/* The DBTs of a raw read: key k, the value into buf (cap bytes). */
static void raw_dbts(DBT *key, DBT *val, const struct store_key *k, void *buf, size_t cap)
{
	memset(key, 0, sizeof *key);
	memset(val, 0, sizeof *val);
	key->data = (void *)k->b;
	key->size = (u_int32_t)k->len;
	val->data = buf;
	val->ulen = (u_int32_t)cap;
	val->flags = DB_DBT_USERMEM;
}

/* A raw read's answer: its length, and a value over cap as Q_ENOMEM. */
static enum qstatus raw_answer(struct stxn *t, enum store_table tb, int rc, const DBT *val,
			       size_t *len, struct qerr *err)
{
	*len = val->size;
	if (rc == DB_BUFFER_SMALL)
		return qerr_set(err, Q_ENOMEM, NULL, "%s: record too large", table_def[tb].file);
	return dberr(t, rc, err, table_def[tb].file);
}

enum qstatus store_get_rawkey(struct stxn *t, enum store_table tb, const struct store_key *k,
			      void *buf, size_t cap, size_t *len, unsigned flags, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DBT key, val;
	raw_dbts(&key, &val, k, buf, cap);
	int rc = t->s->tables[tb]->get(t->s->tables[tb], t->txn, &key, &val,
				       (flags & STORE_RMW) ? DB_RMW : 0);
	return raw_answer(t, tb, rc, &val, len, err);
}

enum qstatus store_rawcur_get(struct stxn *t, enum store_table tb, const struct store_key *k,
			      void *buf, size_t cap, size_t *len, struct store_rawcur *cur,
			      struct qerr *err)
{
	cur->c = NULL;
	cur->tb = tb;
	cur->positioned = 0;
	*len = 0;
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->tables[tb];
	DBC *c = NULL;
	DBT key, val;
	int rc = db->cursor(db, t->txn, &c, 0);
	if (rc)
		return dberr(t, rc, err, table_def[tb].file);
	cur->c = c;
	raw_dbts(&key, &val, k, buf, cap);
	rc = c->get(c, &key, &val, DB_SET | DB_RMW);
	cur->positioned = rc == 0;
	return raw_answer(t, tb, rc, &val, len, err);
}

enum qstatus store_rawcur_put(struct stxn *t, struct store_rawcur *cur,
			      const struct store_key *k, const void *data, size_t len,
			      struct qerr *err)
{
	DBC *c = cur->c;
	if (!c || !cur->positioned) {   /* nothing was there: an insert */
		store_rawcur_close(cur);
		return store_put_rawkey(t, cur->tb, k, data, len, err);
	}
	if (txn_dead(t, err)) {
		store_rawcur_close(cur);
		return Q_EBUSY;
	}
	seen_drop_table(t, cur->tb);
	DBT key, val;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	val.data = (void *)data;
	val.size = (u_int32_t)len;
	int rc = c->put(c, &key, &val, DB_CURRENT);
	store_rawcur_close(cur);
	return dberr(t, rc, err, table_def[cur->tb].file);
}

void store_rawcur_close(struct store_rawcur *cur)
{
	DBC *c = cur->c;
	if (c)
		c->close(c);
	cur->c = NULL;
	cur->positioned = 0;
}

enum qstatus store_del_rawkey(struct stxn *t, enum store_table tb, const struct store_key *k,
			      struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	seen_drop_table(t, tb);
	DBT key;
	memset(&key, 0, sizeof key);
	key.data = (void *)k->b;
	key.size = (u_int32_t)k->len;
	int rc = t->s->tables[tb]->del(t->s->tables[tb], t->txn, &key, 0);
	return dberr(t, rc, err, table_def[tb].file);
}

enum qstatus store_remove_some(struct stxn *t, enum store_table tb, size_t max_bytes,
			       size_t *count, int *more, struct qerr *err)
{
	*count = 0;
	*more = 0;
	if (txn_dead(t, err))
		return Q_EBUSY;
	seen_drop_table(t, tb);   /* the records read for update are gone */
	DB *db = t->s->tables[tb];
	DBC *c = NULL;
	DBT key, val;
	size_t bytes = 0;
	int rc;

	if ((rc = db->cursor(db, t->txn, &c, 0)))
		return dberr(t, rc, err, table_def[tb].file);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.flags = DB_DBT_REALLOC;
	val.flags = DB_DBT_REALLOC;
	/* write locks as each record is read: no read lock to upgrade (a
	 * deadlock with a writer of the same page) */
	while ((rc = c->get(c, &key, &val, DB_NEXT | DB_RMW)) == 0) {
		if (bytes >= max_bytes) {
			*more = 1;
			break;
		}
		if ((rc = c->del(c, 0)))
			break;
		bytes += key.size + val.size;
		(*count)++;
	}
	if (rc == DB_NOTFOUND)
		rc = 0;
	free(key.data);
	free(val.data);
	c->close(c);
	return dberr(t, rc, err, table_def[tb].file);
}

int store_collect(const char *pk, void *arg)
{
	struct store_ids *l = arg;
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 16;
		void *p = realloc(l->ids, na * sizeof *l->ids);
		if (!p) {
			l->oom = 1;
			return 1;
		}
		l->ids = p;
		l->alloc = na;
	}
	snprintf(l->ids[l->n++], STORE_ID_MAX, "%s", pk);
	return 0;
}

void store_ids_free(struct store_ids *l)
{
	free(l->ids);
	l->ids = NULL;
	l->n = l->alloc = 0;
}

enum qstatus store_scan_table(struct stxn *t, enum store_table tb, store_scan_cb cb,
			      void *arg, struct qerr *err)
{
	if (txn_dead(t, err))
		return Q_EBUSY;
	DB *db = t->s->tables[tb];
	DBC *c = NULL;
	DBT key, val;
	int rc;

	if ((rc = db->cursor(db, t->txn, &c, DB_READ_COMMITTED)))
		return dberr(t, rc, err, table_def[tb].file);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	val.flags = DB_DBT_PARTIAL;
	while ((rc = c->get(c, &key, &val, DB_NEXT)) == 0) {
		char pk[STORE_KEY_MAX];
		size_t n = key.size < sizeof pk - 1 ? key.size : sizeof pk - 1;
		memcpy(pk, key.data, n);
		pk[n] = '\0';
		if (cb(pk, arg))
			break;
	}
	if (rc == DB_NOTFOUND)
		rc = 0;
	c->close(c);
	return dberr(t, rc, err, table_def[tb].file);
}

/* The lock watch: its own environment handle, expiring timed-out lock
 * waits every 500 ms until the environment panics or store_lock_watch_stop
 * asks it to end (never by exit() in the middle of a detection, which
 * would leave the lock region's mutex held by a dead thread). */
static pthread_t watch_thread;
static int watch_running;
static volatile int watch_stop;

static void *lock_watch(void *arg)
{
	DB_ENV *env = arg;
	struct timespec ts = {0, 100 * 1000000L};
	for (int tick = 0; !watch_stop; tick++) {
		if (tick % 5 == 0 && env->lock_detect(env, 0, DB_LOCK_EXPIRE, NULL) == DB_RUNRECOVERY) {
			panic_seen = 1;
			break;
		}
		nanosleep(&ts, NULL);
	}
	if (!panic_seen)
		env->close(env, 0);   /* a panicked environment is left to recovery */
	return NULL;
}

int store_lock_watch_start(const char *home)
{
	DB_ENV *env = NULL;
	int rc = -1;
	if (watch_running || db_env_create(&env, 0))
		goto out;
	env->set_errcall(env, on_error);
	if (env->open(env, home, DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_TXN, 0) ||
	    pthread_create(&watch_thread, NULL, lock_watch, env))
		goto out;
	env = NULL;   /* the thread's now */
	watch_running = 1;
	rc = 0;
out:
	if (env)
		env->close(env, 0);
	return rc;
}

void store_lock_watch_stop(void)
{
	if (!watch_running)
		return;
	watch_stop = 1;
	pthread_join(watch_thread, NULL);
	watch_running = 0;
}

enum qstatus store_lock_use(struct store *s, size_t *now, size_t *max, int reset,
			    struct qerr *err)
{
	DB_LOCK_STAT *sp;
	int rc = s->env->lock_stat(s->env, &sp, reset ? DB_STAT_CLEAR : 0);
	if (rc)
		return dberr(NULL, rc, err, "lock_stat");
	*now = sp->st_nlocks;
	*max = sp->st_maxnlocks;
	free(sp);
	return Q_OK;
}

enum qstatus store_checkpoint(struct store *s, int remove_logs, struct qerr *err)
{
	int rc = s->env->txn_checkpoint(s->env, 0, 0, 0);
	if (rc)
		return dberr(NULL, rc, err, "checkpoint");
	if (remove_logs && (rc = s->env->log_archive(s->env, NULL, DB_ARCH_REMOVE)))
		return dberr(NULL, rc, err, "log_archive");
	return Q_OK;
}

const char *store_file_name(size_t i)
{
	if (i < T_TABLE_MAX)
		return table_def[i].file;
	if (i < T_TABLE_MAX + I_INDEX_MAX)
		return index_def[i - T_TABLE_MAX].file;
	return NULL;
}

static DB *file_db(struct store *s, const char *file)
{
	for (size_t i = 0; store_file_name(i); i++)
		if (!strcmp(store_file_name(i), file))
			return i < T_TABLE_MAX ? s->tables[i] : s->indexes[i - T_TABLE_MAX];
	return NULL;
}

unsigned store_file_pagesize(struct store *s, const char *file)
{
	DB *db = file_db(s, file);
	u_int32_t n = 0;
	return db && !db->get_pagesize(db, &n) ? n : 0;
}

static uint64_t file_bytes(struct store *s, const char *file)
{
	const char *home = NULL;
	char path[PATH_MAX];
	struct stat st;
	if (s->env->get_home(s->env, &home) || !home)
		return 0;
	snprintf(path, sizeof path, "%s/%s", home, file);
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Berkeley DB gives back only the free pages at the file's end, and it
 * moves a page down to a free one below only when the page is past the
 * free list's count at the start of a call (DB_COMPACT's truncate mark): in the
 * first pass the merges make the free pages as it goes, so the walk has
 * mostly passed the high pages by then. A second pass moves them and
 * truncates; the passes go on while one gives pages back. */
#define COMPACT_PASSES 4

enum qstatus store_compact(struct store *s, const char *file, unsigned step_pages,
			   int (*step)(void *arg, const struct store_compact *c), void *arg,
			   struct store_compact *c, struct qerr *err)
{
	DB *db = file_db(s, file);
	memset(c, 0, sizeof *c);
	if (!db)
		return qerr_set(err, Q_ENOTFOUND, NULL, "%s: no such database file", file);
	c->bytes_before = c->bytes_after = file_bytes(s, file);
	/* start: where the last step ended (Berkeley DB's end key) */
	DBT start, end;
	memset(&start, 0, sizeof start);
	memset(&end, 0, sizeof end);
	end.flags = DB_DBT_REALLOC;
	enum qstatus st = Q_OK;
	int busy = 0, stop = 0;
	for (int pass = 0; pass < COMPACT_PASSES && st == Q_OK && !stop; pass++) {
		uint64_t freed = c->freed, truncated = c->truncated;
		for (int first = 1;;) {
			DB_COMPACT d;
			memset(&d, 0, sizeof d);
			d.compact_pages = step_pages ? step_pages : 1;
			const u_int32_t asked = d.compact_pages;
			int rc = db->compact(db, NULL, first ? NULL : &start, NULL, &d, DB_FREE_SPACE,
					     &end);
			if ((rc == DB_LOCK_DEADLOCK || rc == DB_LOCK_NOTGRANTED) && busy++ < 100) {
				usleep(10000u * (unsigned)(busy < 20 ? busy : 20));
				continue;   /* the step again from where the last ended */
			}
			if (rc) {
				st = dberr(NULL, rc, err, file);
				break;
			}
			busy = 0;
			first = 0;
			c->steps++;
			c->examined += d.compact_pages_examine;
			c->freed += d.compact_pages_free;
			c->truncated += d.compact_pages_truncated;
			if ((st = store_checkpoint(s, 1, err)) != Q_OK)
				break;
			c->bytes_after = file_bytes(s, file);
			if (step && step(arg, c)) {
				stop = 1;
				break;
			}
			/* A step stops when it has freed what it was asked to
			 * (its end key the page it stopped at) or at the tree's
			 * end: fewer pages freed, or no key to go on from */
			if (!end.size || d.compact_pages_free < asked)
				break;
			void *p = realloc(start.data, end.size);
			if (!p) {
				st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
				break;
			}
			memcpy(p, end.data, end.size);
			start.data = p;
			start.size = end.size;
		}
		if (c->truncated == truncated && (pass > 0 || c->freed == freed))
			break;   /* this pass gave nothing back: the next would not */
	}
	free(start.data);
	free(end.data);
	c->bytes_after = file_bytes(s, file);
	return st;
}

enum qstatus store_bulk_nosync(struct store *s, int on, struct qerr *err)
{
	int rc = s->env->set_flags(s->env, DB_TXN_NOSYNC, on ? 1 : 0);
	if (rc)
		return dberr(NULL, rc, err, "set_flags");
	if (!on && (rc = s->env->log_flush(s->env, NULL)))
		return dberr(NULL, rc, err, "log_flush");
	return Q_OK;
}

enum qstatus store_backup(struct store *s, const char *dir, struct qerr *err)
{
	int rc;
	if ((rc = s->env->txn_checkpoint(s->env, 0, 0, 0)))
		return dberr(NULL, rc, err, "checkpoint");
	if ((rc = s->env->backup(s->env, dir, DB_CREATE | DB_BACKUP_CLEAN)))
		return qerr_set(err, Q_EDB, NULL, "backup to %s failed: %s", dir, db_strerror(rc));
	/* Make the copy consistent on its own: catastrophic recovery there. */
	DB_ENV *b;
	if ((rc = db_env_create(&b, 0)))
		return dberr(NULL, rc, err, "db_env_create");
	b->set_errcall(b, on_error);
	/* Catastrophic recovery of a sizeable database needs the real cache
	 * size, not the default 256 KiB of a private environment. */
	b->set_cachesize(b, 0, 64u << 20, 1);
	rc = b->open(b, dir, DB_CREATE | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL |
			     DB_INIT_TXN | DB_RECOVER_FATAL | DB_PRIVATE, 0600);
	/* Recovered and checkpointed, the copy needs only its last log file:
	 * the others are removed so the backup holds no more than it needs. */
	if (!rc && !(rc = b->txn_checkpoint(b, 0, 0, DB_FORCE)))
		rc = b->log_archive(b, NULL, DB_ARCH_REMOVE);
	b->close(b, 0);
	if (rc)
		return qerr_set(err, Q_EDB, NULL, "recovering the backup in %s failed: %s", dir,
				db_strerror(rc));
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/DB_CONFIG", dir);
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(db_config, f);
		fclose(f);
	}
	return Q_OK;
}

static int verify_one(const char *home, const char *file)
{
	char path[PATH_MAX];
	DB *db;
	snprintf(path, sizeof path, "%s/%s", home, file);
	if (db_create(&db, NULL, 0))
		return -1;
	db->set_errcall(db, on_error);
	int rc = db->verify(db, path, NULL, NULL, 0);   /* frees db */
	if (rc) {
		QLOG_ERR("verify %s: %s", file, db_strerror(rc));
		return -1;
	}
	return 0;
}

enum qstatus store_verify_files(const char *home, struct qerr *err)
{
	return store_verify_files_step(home, NULL, NULL, err);
}

enum qstatus store_verify_files_step(const char *home,
				     void (*step)(void *arg, size_t done, size_t total),
				     void *arg, struct qerr *err)
{
	int bad = 0;
	size_t total = T_TABLE_MAX + I_INDEX_MAX, done = 0;
	for (int i = 0; i < T_TABLE_MAX; i++) {
		bad += verify_one(home, table_def[i].file) < 0;
		if (step)
			step(arg, ++done, total);
	}
	for (int i = 0; i < I_INDEX_MAX; i++) {
		bad += verify_one(home, index_def[i].file) < 0;
		if (step)
			step(arg, ++done, total);
	}
	if (bad)
		return qerr_set(err, Q_EDB, NULL, "%d database files failed verification", bad);
	return Q_OK;
}

struct check_ctx {
	struct stxn *t;
	enum store_index ix;
	size_t problems;
	size_t seen;
	struct qerr *err;
	enum qstatus st;
};

static int check_record(const char *pk, void *arg)
{
	struct check_ctx *c = arg;
	json_t *rec;
	c->st = store_get(c->t, index_def[c->ix].table, pk, &rec, 0, c->err);
	if (c->st != Q_OK)
		return 1;
	struct store_key k;
	index_key(c->ix, rec, pk, &k);
	json_decref(rec);
	DBT key, val;
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = k.b;
	key.size = (u_int32_t)k.len;
	val.flags = DB_DBT_PARTIAL;
	DB *db = c->t->s->indexes[c->ix];
	int rc = db->get(db, c->t->txn, &key, &val, 0);
	if (rc == DB_NOTFOUND) {
		QLOG_ERR("index %s lacks record %s", index_def[c->ix].file, pk);
		c->problems++;
	} else if (rc) {   /* not an answer about the index: the check stops */
		c->st = dberr(c->t, rc, c->err, index_def[c->ix].file);
		return 1;
	}
	c->seen++;
	return 0;
}

static enum qstatus check_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct check_ctx *c = arg;
	c->t = t;
	c->problems = 0;
	for (c->ix = 0; c->ix < I_INDEX_MAX; c->ix++) {
		size_t entries;
		struct store_key empty;
		store_key_init(&empty);
		c->seen = 0;
		c->st = Q_OK;
		enum qstatus st = store_scan_table(t, index_def[c->ix].table, check_record, c, err);
		if (st != Q_OK)
			return st;
		if (c->st != Q_OK)
			return c->st;
		if ((st = store_count(t, c->ix, &empty, &entries, err)) != Q_OK)
			return st;
		if (entries != c->seen) {
			QLOG_ERR("index %s has %zu entries for %zu records", index_def[c->ix].file,
				 entries, c->seen);
			c->problems++;
		}
	}
	return Q_OK;
}

enum qstatus store_check_indexes(struct store *s, size_t *problems, struct qerr *err)
{
	struct check_ctx c = {.err = err};
	/* a read lock per page of every table, held to the end, was past
	 * the lock table at a million chunks */
	enum qstatus st = store_run_committed(s, check_fn, &c, err);
	*problems = c.problems;
	return st;
}

/* ---- the change log (changelog.h) ----------------------------------------- */

static int filter_fields_differ(json_t *a, json_t *b)
{
	const char *const *fields = filter_fields;
	for (size_t i = 0; i < sizeof filter_fields / sizeof *filter_fields; i++) {
		json_t *x = json_object_get(a, fields[i]), *y = json_object_get(b, fields[i]);
		if ((x || y) && !(x && y && json_equal(x, y)))
			return 1;
	}
	return 0;
}

void changelog_key(uint64_t seq, char *out, size_t n)
{
	snprintf(out, n, "vlog:%016" PRIx64, seq);
}

static enum qstatus changelog_note(struct stxn *t, enum store_table tb, const char *pk,
				   json_t *old, json_t *rec, struct qerr *err)
{
	char kind;
	if (tb == T_VECTORS)
		kind = 'v';
	else if (tb == T_DOCS && old && (!rec || filter_fields_differ(old, rec)))
		kind = 'd';   /* a new document is read when first met: no entry */
	else
		return Q_OK;
	json_t *s;
	uint64_t epoch = 0, seq = 0;
	enum qstatus st = store_get(t, T_STATS, CHANGELOG_SEQ_KEY, &s, STORE_RMW, err);
	if (st == Q_OK) {
		epoch = (uint64_t)json_integer_value(json_object_get(s, "epoch"));
		seq = (uint64_t)json_integer_value(json_object_get(s, "seq"));
		json_decref(s);
	} else if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		q_random(&epoch, sizeof epoch);
		epoch &= (1ull << 52) - 1;   /* exact in any JSON reader */
	} else {
		return st;
	}
	seq++;
	s = json_pack("{s:I, s:I}", "epoch", (json_int_t)epoch, "seq", (json_int_t)seq);
	if (!s)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	st = store_put(t, T_STATS, CHANGELOG_SEQ_KEY, s, err);
	json_decref(s);
	char key[32], val[STORE_KEY_MAX + 2];
	int len = snprintf(val, sizeof val, "%c%s", kind, pk);
	changelog_key(seq, key, sizeof key);
	if (st == Q_OK)
		st = store_put_raw(t, T_STATS, key, val, (size_t)len, err);
	if (st == Q_OK && seq > CHANGELOG_KEEP) {
		changelog_key(seq - CHANGELOG_KEEP, key, sizeof key);
		if ((st = store_del(t, T_STATS, key, err)) == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
		}
	}
	return st;
}
