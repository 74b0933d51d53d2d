/* queue.h: the job queue over the jobs table. A job is pending, processing
 * (claimed, with a lease: locked_at), completed or failed. Claims happen in
 * a transaction with DB_RMW reads, so each job is claimed by exactly one
 * process; an expired lease returns the job to pending; a retriable failure
 * backs off (next_us) and retries up to a maximum number of attempts. */
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
/* Return jobs of kind processing for longer than lease_us to pending;
 * *n counts them. */
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

#endif
