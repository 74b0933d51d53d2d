/* queue.h: the job queue over the jobs table. A job is pending, processing
 * (claimed, with a lease: locked_at), completed or failed. Claims happen in
 * a transaction with DB_RMW reads, so each job is claimed by exactly one
 * process; an expired lease returns the job to pending; a retriable failure
 * backs off (next_us) and retries up to a maximum number of attempts. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_QUEUE_H
#define QUIRE_QUEUE_H

#include <jansson.h>
#include <stdint.h>
#include "base/status.h"

struct stxn;
struct store_ids;

/* Claim up to max pending jobs of kind that are due (oldest first): each
 * becomes processing with locked_at = now and attempts + 1. Their ids are
 * appended to out; *locked_at (may be NULL) receives the stamp, which is
 * this claim's lease: only its holder may complete or fail the jobs. */
enum qstatus queue_claim(struct stxn *t, const char *kind, size_t max,
			 struct store_ids *out, int64_t *locked_at, struct qerr *err);
/* Claim one due pending job of kind fairly across accounts (the policy of
 * docs/ingest.md): an account with account_cap jobs of kind processing is
 * skipped (with lend, only while some account under its cap has a due
 * job: otherwise the best text document, no file, of the accounts at
 * their cap is claimed, by the same order); among the others the one with the fewest in flight goes first,
 * ties to the one whose chosen job has waited longest; within an account,
 * among its `window` oldest due jobs, the lowest cost goes first, where
 * cost = file size in MiB - seconds waited (small files pass a big one,
 * which still comes up after waiting its size in seconds). job_id (at
 * least STORE_ID_MAX bytes) is "" when nothing is due. others (or NULL):
 * set to 1 when an account other than the claimed job's has jobs of kind
 * pending (due or not), else 0. */
enum qstatus queue_claim_fair(struct stxn *t, const char *kind, int account_cap, int lend,
			      int window, char *job_id, int64_t *locked_at, int *others,
			      struct qerr *err);
/* Claim the best due pending job of kind of one account (its window
 * oldest, by the cost above) whatever its jobs in flight: an ingest
 * process adding to the batch it holds for that account (ingest.c).
 * no_files: nothing is claimed when that job's document has a file. */
enum qstatus queue_claim_account(struct stxn *t, const char *kind, const char *account,
				 int window, int no_files, char *job_id, int64_t *locked_at,
				 struct qerr *err);
/* Jobs of kind of one account that are pending or processing. */
enum qstatus queue_account_backlog(struct stxn *t, const char *kind, const char *account,
				   size_t *n, struct qerr *err);
/* Renew the lease of a claimed job: its holder (locked_at) is still
 * working. Q_ECONFLICT when the job is no longer ours, Q_ENOTFOUND when
 * it vanished. */
enum qstatus queue_renew(struct stxn *t, const char *job_id, int64_t locked_at,
			 struct qerr *err);
/* The job is still its holder's (locked_at): processing under that lease.
 * Read for update (a write of it or of its work follows in the
 * transaction) and scanned, not parsed (jsonscan.h; b: scratch space).
 * Q_ECONFLICT when it is no longer ours, Q_ENOTFOUND when it vanished. */
struct qbuf;
enum qstatus queue_held(struct stxn *t, const char *job_id, int64_t locked_at,
			struct qbuf *b, struct qerr *err);
/* Give a claimed job back (its holder could not work on it: the database
 * stayed busy past db_retry_ms): pending again after delay_s, the claim's
 * attempt not counted, instead of waiting out its lease with its account's
 * other jobs behind it. Q_ECONFLICT when the job is no longer ours. */
enum qstatus queue_release(struct stxn *t, const char *job_id, int64_t locked_at, int delay_s,
			   struct qerr *err);
/* Every job of kind processing back to pending (after a backoff by its
 * attempts): quired calls it at recovery, when no process can hold a
 * lease any more. *n counts them. */
enum qstatus queue_release_all(struct stxn *t, const char *kind, size_t *n, struct qerr *err);
/* Return jobs of kind processing for longer than lease_us (since their
 * claim or last renewal) to pending; *n counts them. */
enum qstatus queue_expire(struct stxn *t, const char *kind, int64_t lease_us, size_t *n,
			  struct qerr *err);
/* Mark a claimed job completed. Q_ENOTFOUND when it vanished (its document
 * was deleted): callers drop the work. */
enum qstatus queue_complete(struct stxn *t, const char *job_id, struct qerr *err);
/* Record a failure: with retriable and attempts < max_attempts the job goes
 * back to pending after a backoff (retry_after_s, else 2 s after the
 * first attempt, doubling per attempt up to 512 s), otherwise it fails. *failed tells which. */
enum qstatus queue_fail(struct stxn *t, const char *job_id, const char *error, int retriable,
			int max_attempts, int retry_after_s, int *failed, struct qerr *err);
/* A failed job back to pending (the retry API); Q_ESTATE when not failed.
 * attempts keeps counting every attempt; the job gets a fresh budget of
 * max_attempts (attempts_base marks where it starts). */
enum qstatus queue_retry(struct stxn *t, const char *job_id, json_t **job, struct qerr *err);
/* Any job back to pending with a fresh attempt budget (attempts still
 * counts all), no error and no lease (a model change: reembed). A holder
 * of the old lease can no longer save it. */
enum qstatus queue_reset(struct stxn *t, const char *job_id, struct qerr *err);
/* Wake a sleeping quire-embed (DATADIR/embed.wake FIFO); never blocks. */
void queue_wake(const char *datadir);
/* Wake the sleeping ingest processes (DATADIR/ingest.wake); never blocks. */
void queue_wake_ingest(const char *datadir);
/* Open the FIFO DATADIR/NAME (created) for a sleeper to poll; -1 on failure. */
int queue_wake_open(const char *datadir, const char *name);

#endif
