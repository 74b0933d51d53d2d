/* store.h: the storage module, the only code that touches Berkeley DB.
 *
 * One transactional environment in DATADIR/db holding JSON records in
 * B-tree tables, each with hand-maintained secondary indexes updated in the
 * same transaction as the record. Index trees use DB_RECNUM, so counting a
 * key range and skipping to an offset cost O(log n) (lists stay fast at
 * 100,000 documents).
 *
 * Processes: the owner (quired, or a tool holding the data directory lock)
 * opens with STORE_OWNER, which creates missing databases and runs normal
 * recovery; workers open with STORE_JOIN (no DB_CREATE, DB_RECOVER or
 * DB_REGISTER). See docs/storage.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_STORE_H
#define QUIRE_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/status.h"

struct store;
struct stxn;

enum store_mode {
	STORE_OWNER,  /* create + recover: single process, nobody else attached */
	STORE_JOIN,   /* join an environment the owner has recovered */
};

enum store_table {
	T_ACCOUNTS,   /* account id -> {id, name, created_at, default_kb} */
	T_KEYS,       /* hex SHA-256 of the key -> {prefix, account, scopes, ...} */
	T_KBS,        /* knowledge base id -> {id, account, slug, name, ...} */
	T_DOCS,       /* document id -> document record */
	T_CONTENT,    /* document id -> raw text (not JSON) */
	T_JOBS,       /* job id -> {id, kind, document_id, status, ...} */
	T_IDEMPOTENCY,/* account + Idempotency-Key -> {document_id} */
	T_CHUNKS,     /* document id ":" position -> chunk record */
	T_VECTORS,    /* chunk key -> raw vector (vectors.c) */
	T_POSTINGS,   /* account tag, term \0 [last chunk number] -> postings blocks (lexical.c) */
	T_STATS,      /* name -> collection statistics (JSON) */
	/* --- chat (chat_store.c) --- */
	T_CONVERSATIONS, /* conversation id -> {id, account, org, user, messages, ...} */
	T_MESSAGES,   /* conversation id ":" 10-digit seq -> {role, content, citations, ...} */
	/* --- end of chat --- */
	T_UPLOAD_TOKENS, /* upload token id -> {uses, expires_at} (http/uptoken.h) */
	T_TABLE_MAX
};

enum store_index {
	I_ACCOUNTS_BY_NAME,  /* name */
	I_KEYS_BY_ACCOUNT,   /* account id, created */
	I_KBS_BY_SLUG,       /* account id, slug */
	I_DOCS_BY_ACCOUNT,   /* account id, created (oldest first) */
	I_JOBS_BY_DOC,       /* document id, created */
	I_JOBS_BY_STATUS,    /* kind, status, created */
	I_CHUNKS_BY_DOC,     /* document id, position */
	I_DOCS_BY_BLOB,      /* blob SHA-256 ("" for text), knowledge base */
	I_JOBS_BY_ACCOUNT,   /* account, kind, created */
	I_MESSAGES_BY_CONV,  /* conversation id, seq (chat) */
	I_JOBS_BY_QUEUE,     /* kind, status, account, created: per-account queues */
	I_INDEX_MAX
};

/* Index key prefixes are built with these helpers; a prefix is the leading
 * bytes of an index key, so a scan over it lists the matching records. */
#define STORE_KEY_MAX 512
struct store_key {
	unsigned char b[STORE_KEY_MAX];
	size_t len;
};
void store_key_init(struct store_key *k);
/* Append a string and a 0 separator. */
void store_key_str(struct store_key *k, const char *s);
/* Append a 64-bit value big-endian (sorts numerically). */
void store_key_u64(struct store_key *k, uint64_t v);

/* Open the environment in home (created when mode is STORE_OWNER). *out is
 * new; release with store_close. */
/* The Berkeley DB cache size (MiB, at least 16) of environments opened
 * from now on as STORE_OWNER (created or recovered): db_cache_mb. */
void store_set_cache_mb(unsigned mb);
/* Where environments created from now on as STORE_OWNER keep Berkeley DB's
 * regions (db_region_memory): 0 in files beside the database (__db.001...),
 * 1 in System V shared memory at the data directory's keys, falling back to
 * files (logged) when a key is taken or the kernel refuses the segments.
 * Only quired sets 1: it removes the segments at a clean stop. */
void store_set_region_memory(int system);
/* 1 when s's environment keeps its regions in System V memory. */
int store_regions_system(const struct store *s);
/* The first of the 16 System V keys reserved for home's environment (from
 * its device and inode), never 0; 0 when home cannot be read. */
long store_shm_key(const char *home);
/* Remove an environment left in System V memory (a 24-byte __db.001 naming
 * its primary segment) with no process attached: the segments and the
 * region files go. 0 when there was none or it went, -1 otherwise (logged).
 * Only while no process has the environment open. */
int store_remove_regions(const char *home);
/* How long store_run reruns a deadlock victim (db_retry_ms). */
void store_set_retry_ms(unsigned ms);
/* The cache size (MiB) of s's environment, as Berkeley DB reports it. */
unsigned store_cache_mb(struct store *s);
enum qstatus store_open(struct store **out, const char *home, enum store_mode mode,
			struct qerr *err);
void store_close(struct store *s);
/* 1 once Berkeley DB reported a panic: the process must stop using it. */
int store_panicked(const struct store *s);

typedef enum qstatus (*store_fn)(struct stxn *t, void *arg, struct qerr *err);
/* Run fn in one transaction: commit (durable, DB_TXN_SYNC) when it returns
 * Q_OK, abort otherwise. A deadlock or lock timeout aborts and reruns fn up
 * to 10 times with growing jitter, so fn must not keep side effects outside the
 * transaction across runs. Q_OK means the commit returned. */
enum qstatus store_run(struct store *s, store_fn fn, void *arg, struct qerr *err);
/* store_run for a pass over a whole table (a check, a count): every read
 * releases its page's lock once done (DB_READ_COMMITTED), where a
 * transaction keeps its read locks to its end, one per page read: past the
 * lock table at a million chunks. Its reads are each current, not one
 * snapshot; its writes keep their locks as store_run's do. */
enum qstatus store_run_committed(struct store *s, store_fn fn, void *arg, struct qerr *err);
/* store_run, but the commit does not wait for the disk
 * (DB_TXN_WRITE_NOSYNC): the log is written to the operating system at
 * commit, so a killed process loses nothing, but an OS crash or a power
 * loss may lose it until store_flush or any synchronous commit (of any
 * process: the log is one sequence) has run. Only for work that is re-run
 * when lost: the job queue's intermediate states (docs/reliability.md,
 * "Group commit"). */
enum qstatus store_run_lazy(struct store *s, store_fn fn, void *arg, struct qerr *err);
/* store_run for a client's write that many writers make at once: the
 * commit does not wait for the disk (DB_TXN_WRITE_NOSYNC) and so releases
 * the transaction's locks at once; then the log is flushed
 * (DB_ENV->log_flush) before Q_OK is returned. Writers flushing at once
 * share one fsync (Berkeley DB's group commit: one leader writes the log,
 * the others wait for it), where a synchronous commit held its locks, and
 * so every other writer of the same pages, through its own fsync. Durable
 * when it returns Q_OK, as store_run: answer the client only then. Another
 * reader may see the record before the flush ends (never a state reported
 * final: those stay synchronous). */
enum qstatus store_run_flushed(struct store *s, store_fn fn, void *arg, struct qerr *err);
/* In a store_run_lazy function: this transaction's commit waits for the
 * disk after all (it reports something final: a document completed or
 * failed), as store_run's does; no reader sees it before it is there. */
void store_txn_sync(struct stxn *t);
/* Take, for writing and until this transaction ends, a lock on a name of
 * Quire's own (a Berkeley DB lock object, not a record): the transactions
 * that take it run one at a time across processes, a waiter blocked before
 * it holds anything the name does not cover, and the deadlock detector
 * sees the wait as any other. Busy (rerun) on a deadlock or lock timeout.
 * STORE_LOCK_JOBS: the job queue's claims and creates (docs/ingest.md,
 * tenth round). */
#define STORE_LOCK_JOBS "quire:jobs"
enum qstatus store_txn_lock(struct stxn *t, const char *name, struct qerr *err);
/* Write the log to disk (DB_ENV->log_flush, one fsync) when a lazy commit
 * of this handle is not there yet; nothing otherwise. */
enum qstatus store_flush(struct store *s, struct qerr *err);
/* Milliseconds since the oldest lazy commit of this handle that no flush
 * or synchronous commit has covered yet; -1 when none. */
int64_t store_unflushed_ms(const struct store *s);
/* Microseconds this process has spent in commits and log flushes (the
 * stage breakdown's "commit", docs/ingest.md). */
uint64_t store_commit_us(void);

#define STORE_RMW 1u  /* lock for update: the read precedes a write */
/* Record get. *out is new (caller json_decref). Q_ENOTFOUND when absent. */
enum qstatus store_get(struct stxn *t, enum store_table tb, const char *pk,
		       json_t **out, unsigned flags, struct qerr *err);
/* Insert or replace rec (borrowed) under pk and update the table's indexes. */
enum qstatus store_put(struct stxn *t, enum store_table tb, const char *pk,
		       json_t *rec, struct qerr *err);
/* Delete the record and its index entries. Q_ENOTFOUND when absent. */
enum qstatus store_del(struct stxn *t, enum store_table tb, const char *pk,
		       struct qerr *err);
/* Raw values (T_CONTENT): *out is new (free), *len its size; the data is
 * NUL-terminated for convenience. */
enum qstatus store_get_raw(struct stxn *t, enum store_table tb, const char *pk,
			   char **out, size_t *len, struct qerr *err);
enum qstatus store_put_raw(struct stxn *t, enum store_table tb, const char *pk,
			   const void *data, size_t len, struct qerr *err);
/* Read path without allocations: the value into b (struct qbuf of
 * util.h; what it held is dropped, its memory reused, NUL-terminated).
 * Q_ENOTFOUND when absent, Q_ENOMEM when it does not fit b's cap. */
struct qbuf;
enum qstatus store_get_buf(struct stxn *t, enum store_table tb, const char *pk,
			   struct qbuf *b, struct qerr *err);
/* store_get_buf locking the record for update (STORE_RMW), for a read
 * that only checks a few fields (jsonscan.h) before the record is written
 * or deleted in the same transaction: no parse, so a later store_put or
 * store_del reads the index keys it needs itself. */
enum qstatus store_get_buf_rmw(struct stxn *t, enum store_table tb, const char *pk,
			       struct qbuf *b, struct qerr *err);

/* Call cb(pk, arg) for index entries starting with prefix, skipping the
 * first offset and stopping after limit (0 = no limit) or when cb returns
 * non-zero. Entries come in key order. */
typedef int (*store_scan_cb)(const char *pk, void *arg);
enum qstatus store_scan(struct stxn *t, enum store_index ix, const struct store_key *prefix,
			size_t offset, size_t limit, store_scan_cb cb, void *arg,
			struct qerr *err);
/* The first key of ix at or after from (in key order) into *out.
 * Q_ENOTFOUND when there is none. Lets a caller skip from one group of
 * keys to the next (one account's queue to the next) without reading the
 * entries between. */
enum qstatus store_seek(struct stxn *t, enum store_index ix, const struct store_key *from,
			struct store_key *out, struct qerr *err);
/* Number of index entries starting with prefix, in O(log n). */
enum qstatus store_count(struct stxn *t, enum store_index ix, const struct store_key *prefix,
			 size_t *count, struct qerr *err);
/* A list of primary keys, filled by passing store_collect as the scan
 * callback; release with store_ids_free. oom is set when memory ran out. */
#define STORE_ID_MAX 72
struct store_ids {
	char (*ids)[STORE_ID_MAX];
	size_t n, alloc;
	int oom;
};
int store_collect(const char *pk, void *arg);
void store_ids_free(struct store_ids *l);

/* Raw records of a table (T_POSTINGS) whose keys start with prefix, in
 * key order (cb gets key, value, and lengths). */
typedef int (*store_raw_cb)(const void *key, size_t klen, const void *val, size_t vlen,
			    void *arg);
enum qstatus store_scan_raw(struct stxn *t, enum store_table tb, const struct store_key *prefix,
			    store_raw_cb cb, void *arg, struct qerr *err);
/* store_scan_raw starting at the key from (at or after prefix), still
 * stopping at the end of prefix: a seek into a range. */
enum qstatus store_scan_raw_from(struct stxn *t, enum store_table tb, const struct store_key *prefix,
				 const struct store_key *from, store_raw_cb cb, void *arg,
				 struct qerr *err);
/* store_scan_raw reading committed data only (DB_READ_COMMITTED): each
 * page's read lock goes as the cursor leaves it, so a scan of a whole
 * large table does not run out of lock entries; the caller keeps what it
 * read consistent by other means (the vector cache: a change log whose
 * sequence record the transaction has read). */
enum qstatus store_scan_raw_committed(struct stxn *t, enum store_table tb,
				      const struct store_key *prefix, store_raw_cb cb, void *arg,
				      struct qerr *err);
/* The value under a binary key into buf (cap bytes), *len its size;
 * flags STORE_RMW locks it for update. Q_ENOTFOUND when absent, Q_ENOMEM
 * when it does not fit. */
enum qstatus store_get_rawkey(struct stxn *t, enum store_table tb, const struct store_key *key,
			      void *buf, size_t cap, size_t *len, unsigned flags, struct qerr *err);
/* A read for update and its rewrite through one cursor, so the rewrite
 * does not search the B-tree again: store_rawcur_get reads the value
 * under key into buf as store_get_rawkey with STORE_RMW does (the same
 * answers) and keeps the cursor on it; store_rawcur_put writes data there
 * (or puts it under key when the get found nothing) and closes the
 * cursor. store_rawcur_close closes it without a write (any path that
 * does not put). Other writes to the table in between are allowed. */
struct store_rawcur {
	void *c;   /* the Berkeley DB cursor (DBC *) */
	enum store_table tb;
	int positioned;
};
enum qstatus store_rawcur_get(struct stxn *t, enum store_table tb, const struct store_key *key,
			      void *buf, size_t cap, size_t *len, struct store_rawcur *cur,
			      struct qerr *err);
enum qstatus store_rawcur_put(struct stxn *t, struct store_rawcur *cur,
			      const struct store_key *key, const void *data, size_t len,
			      struct qerr *err);
void store_rawcur_close(struct store_rawcur *cur);
/* Raw put/delete with a binary key. */
enum qstatus store_put_rawkey(struct stxn *t, enum store_table tb, const struct store_key *key,
			      const void *data, size_t len, struct qerr *err);
enum qstatus store_del_rawkey(struct stxn *t, enum store_table tb, const struct store_key *key,
			      struct qerr *err);

/* Removes tb's first records (a table without secondary indexes) in the
 * transaction, until about max_bytes of keys and values are gone; *count
 * gets the number removed, *more 1 when records remain. A big table is
 * emptied by steps of this in transactions of their own: DB->truncate in
 * one transaction takes a lock per page, past the lock table of a
 * million-chunk index. */
enum qstatus store_remove_some(struct stxn *t, enum store_table tb, size_t max_bytes,
			       size_t *count, int *more, struct qerr *err);

/* Call cb for every primary key of tb, in key order. The cursor holds no
 * page's read lock once past it (degree 2): a scan of a million chunks
 * would otherwise hold a lock per page to the transaction's end, past the
 * lock table. */
enum qstatus store_scan_table(struct stxn *t, enum store_table tb, store_scan_cb cb,
			      void *arg, struct qerr *err);

/* Lock waits (RELIABILITY D13): every lock request of a store_run
 * transaction waits at most db_lock_timeout_ms (store_set_lock_timeout_ms);
 * a function whose transaction met a deadlock or a lock timeout is aborted
 * and run again, with jittered pauses, until db_retry_ms
 * (store_set_retry_ms) have passed since store_run began, then answered
 * Q_EBUSY (503, Retry-After). The last
 * attempt waits no longer than the time left, so a writer behind a long
 * reader is answered within about retry_ms. A transaction that met a
 * conflict is dead: every later call on it answers Q_EBUSY without reaching
 * Berkeley DB, and store_run never commits it, even if fn returned Q_OK.
 * Defaults 5000 and 10000; set once at start, before any store_run. */
void store_set_lock_timeout_ms(unsigned ms);
/* Attempts store_run has run again in this process (deadlocks and lock
 * timeouts met). */
unsigned long store_rerun_count(void);

/* Start a thread that joins the environment in home with its own handle
 * and expires lock requests waiting past their timeout every 500 ms:
 * Berkeley DB checks timeouts only when its detector runs, and a blocked
 * process cannot run it, so without this a writer behind a long reader
 * waited as long as the reader (measured 25 s). The ingest processes and
 * quire-embed start one under quired (more than one is harmless). The
 * thread lives until store_lock_watch_stop or the environment panics. 0,
 * or -1. */
int store_lock_watch_start(const char *home);
/* End the lock watch (within 100 ms) before the process exits. */
void store_lock_watch_stop(void);

/* The lock table's use: locks held now (*now) and the most held at once
 * (*max) since the environment was made or, with reset, since this call. */
enum qstatus store_lock_use(struct store *s, size_t *now, size_t *max, int reset,
			    struct qerr *err);

/* Maintenance (owner or a joined maintenance process). */
enum qstatus store_checkpoint(struct store *s, int remove_logs, struct qerr *err);
/* What store_compact did to one file. */
struct store_compact {
	uint64_t bytes_before, bytes_after;   /* the file's size */
	uint64_t examined, freed, truncated;  /* pages: looked at, emptied by
					       * merging, given back to the
					       * file system */
	unsigned steps;
};
/* The file names of every table and index, in store order: the i-th, or
 * NULL past the last. */
const char *store_file_name(size_t i);
/* That file's page size in bytes (0 for an unknown name). */
unsigned store_file_pagesize(struct store *s, const char *file);
/* Packs one database file (a name store_file_name gives) the way
 * `quire-admin compact` does: DB->compact with DB_FREE_SPACE, which merges
 * half-empty B-tree pages and gives the emptied pages at the file's end
 * back to the file system. In steps of at most step_pages pages freed,
 * each run in Berkeley DB's own short transactions (readers and writers
 * go on beside it; a deadlock reruns a step), with a checkpoint after each
 * that removes the log the step wrote, so the log never holds more than
 * about a step's worth of it. step(arg, c) after every step; nonzero stops
 * early (what was done stays done). Q_ENOTFOUND for an unknown name. */
enum qstatus store_compact(struct store *s, const char *file, unsigned step_pages,
			   int (*step)(void *arg, const struct store_compact *c), void *arg,
			   struct store_compact *c, struct qerr *err);
/* Benchmarks' bulk loading only (tests/bench; the product never calls
 * it): while on, commits do not wait for the disk (DB_TXN_NOSYNC); turning
 * it off flushes the log once, the one sync at the end of the load. */
enum qstatus store_bulk_nosync(struct store *s, int on, struct qerr *err);
/* Hot backup into dir (created; emptied first), then catastrophic recovery
 * there so the copy is consistent and openable. */
enum qstatus store_backup(struct store *s, const char *dir, struct qerr *err);
/* DB->verify every database file of the environment in home, which nobody
 * may have open. Writes one line per problem to stderr. */
enum qstatus store_verify_files(const char *home, struct qerr *err);
/* The same, calling step(arg, files done, files in all) after each file
 * (quire-admin's progress line); step may be NULL. */
enum qstatus store_verify_files_step(const char *home,
				     void (*step)(void *arg, size_t done, size_t total),
				     void *arg, struct qerr *err);
/* Check the secondary indexes agree with their tables; *problems counts
 * mismatches (each logged). */
enum qstatus store_check_indexes(struct store *s, size_t *problems, struct qerr *err);

/* The key of change log entry seq ("vlog:%016x", changelog.h). */
void changelog_key(uint64_t seq, char *out, size_t n);

#endif
