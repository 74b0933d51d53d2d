/* backup.c: whole backups (database snapshot + the blobs it references),
 * restore into a stopped data directory, and the blob check of verify. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/backup.h"
#include "base/log.h"
#include "base/util.h"
#include "store/blob.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the blobs a store references ---------------------------------------- */

struct blobset {
	struct stxn *t;
	char (*sha)[BLOB_HASH_HEX];
	size_t n, cap;
	struct qerr *err;
	enum qstatus st;
};

static int blob_of_doc(const char *pk, void *arg)
{
	struct blobset *b = arg;
	json_t *rec;
	b->st = store_get(b->t, T_DOCS, pk, &rec, 0, b->err);
	if (b->st != Q_OK)
		return 1;
	const char *sha = json_string_value(json_object_get(rec, "blob"));
	if (sha && blob_hash_valid(sha)) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 256;
			void *p = realloc(b->sha, cap * sizeof *b->sha);
			if (!p) {
				json_decref(rec);
				b->st = qerr_set(b->err, Q_ENOMEM, NULL, "out of memory");
				return 1;
			}
			b->sha = p;
			b->cap = cap;
		}
		snprintf(b->sha[b->n++], BLOB_HASH_HEX, "%s", sha);
	}
	json_decref(rec);
	return 0;
}

static enum qstatus blobset_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct blobset *b = arg;
	b->t = t;
	b->n = 0;
	b->err = err;
	b->st = Q_OK;
	enum qstatus st = store_scan_table(t, T_DOCS, blob_of_doc, b, err);
	return st == Q_OK ? b->st : st;
}

/* Every blob hash the documents of s reference (duplicates possible). */
static enum qstatus blobs_referenced(struct store *s, struct blobset *b, struct qerr *err)
{
	memset(b, 0, sizeof *b);
	return store_run(s, blobset_fn, b, err);
}

/* ---- files ----------------------------------------------------------------- */

/* q_read_each's piece of copy_file: written to the descriptor at arg. */
static int copy_piece(const void *p, size_t n, void *arg)
{
	return q_write_all(*(int *)arg, p, n);
}

/* Copy src to dst (created, fsynced); bytes copied added to *bytes. */
static int copy_file(const char *src, const char *dst, unsigned long long *bytes)
{
	unsigned long long n = 0;
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	if (in < 0)
		goto out;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (out < 0)
		goto out;
	rc = q_read_each(in, copy_piece, &out, &n);
	*bytes += n;
	if (rc == 0 && fsync(out) < 0)
		rc = -1;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	return rc;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Copy blob sha from the data directory from to the one under to. */
static int copy_blob(const char *from, const char *to, const char *sha,
		     unsigned long long *bytes)
{
	char src[PATH_MAX], dst[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 8];
	blob_path(from, sha, src);
	blob_path(to, sha, dst);
	if (access(dst, F_OK) == 0)
		return 0;   /* content-addressed: the same name is the same bytes */
	snprintf(dir, sizeof dir, "%s/blobs", to);
	mkdir(dir, 0750);
	snprintf(dir, sizeof dir, "%s/blobs/%.2s", to, sha);
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.part", dst);
	if (copy_file(src, tmp, bytes) < 0 || rename(tmp, dst) < 0) {
		unlink(tmp);
		return -1;
	}
	fsync_dir(dir);
	return 0;
}

struct du {
	unsigned long long db_bytes, log_bytes;
	size_t db_files, log_files;
};

/* The database and log files of an environment directory. */
static void env_usage(const char *home, struct du *u)
{
	DIR *d = opendir(home);
	struct dirent *e;
	memset(u, 0, sizeof *u);
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat sb;
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "__db.", 5))
			continue;
		snprintf(path, sizeof path, "%s/%s", home, e->d_name);
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (!strncmp(e->d_name, "log.", 4)) {
			u->log_files++;
			u->log_bytes += (unsigned long long)sb.st_size;
		} else {
			u->db_files++;
			u->db_bytes += (unsigned long long)sb.st_size;
		}
	}
	if (d)
		closedir(d);
}

/* Region files (__db.*) an opening left in home: a backup holds none. */
static void drop_regions(const char *home)
{
	DIR *d = opendir(home);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		if (strncmp(e->d_name, "__db.", 5))
			continue;
		snprintf(path, sizeof path, "%s/%s", home, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static double mib(unsigned long long b)
{
	return (double)b / (1024.0 * 1024.0);
}

/* ---- backup ------------------------------------------------------------------ */

static int cmp_sha(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Copy the blobs the snapshot in dir/db references from datadir (those
 * already in dir, from an earlier backup into it, are kept): *nblobs and
 * *bytes are the referenced blobs and their size. */
static int backup_blobs(const char *datadir, const char *dir, size_t *nblobs,
			unsigned long long *bytes, FILE *errf)
{
	char home[PATH_MAX];
	struct qerr err;
	struct store *copy;
	struct blobset b;
	int rc = -1;
	snprintf(home, sizeof home, "%s/db", dir);
	if (store_open(&copy, home, STORE_OWNER, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return -1;
	}
	enum qstatus st = blobs_referenced(copy, &b, &err);
	store_close(copy);
	drop_regions(home);
	if (st != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		goto out;
	}
	if (b.n)
		qsort(b.sha, b.n, sizeof *b.sha, cmp_sha);
	*nblobs = 0;
	for (size_t i = 0; i < b.n; i++) {
		char dst[PATH_MAX];
		unsigned long long copied = 0;
		struct stat sb;
		if (i && !strcmp(b.sha[i], b.sha[i - 1]))
			continue;   /* one file for documents with the same bytes */
		if (copy_blob(datadir, dir, b.sha[i], &copied) < 0) {
			fprintf(errf, "quire-admin: cannot copy blob %s: %s\n", b.sha[i], strerror(errno));
			goto out;
		}
		blob_path(dir, b.sha[i], dst);
		if (stat(dst, &sb) == 0)
			*bytes += (unsigned long long)sb.st_size;
		(*nblobs)++;
	}
	rc = 0;
out:
	free(b.sha);
	return rc;
}

int admin_backup(struct store *s, const struct qconf *conf, const char *dir, FILE *out,
		 FILE *errf)
{
	char home[PATH_MAX];
	struct qerr err;
	struct du u;
	size_t nblobs = 0;
	unsigned long long blob_bytes = 0;
	int rc = 1;
	if (q_mkdir_p(dir, 0750) < 0) {
		fprintf(errf, "quire-admin: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(home, sizeof home, "%s/db", dir);
	/* Held shared from before the snapshot until its blobs are copied: a
	 * delete removes its blob only under the lock exclusive, so every blob
	 * the snapshot references is still there to copy. Uploads share it. */
	int lock = blob_lock(conf->datadir, 0);
	if (store_backup(s, home, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		goto out;
	}
	if (backup_blobs(conf->datadir, dir, &nblobs, &blob_bytes, errf) < 0)
		goto out;
	fsync_dir(dir);
	env_usage(home, &u);
	fprintf(out,
		"backup written to %s: %zu database files (%.1f MiB), %zu log files (%.1f MiB), "
		"%zu blobs (%.1f MiB); %.1f MiB in all\n",
		dir, u.db_files, mib(u.db_bytes), u.log_files, mib(u.log_bytes), nblobs,
		mib(blob_bytes), mib(u.db_bytes + u.log_bytes + blob_bytes));
	rc = 0;
out:
	blob_unlock(lock);
	return rc;
}

/* ---- verify's blob check ---------------------------------------------------- */

int admin_check_blobs(struct store *s, const char *datadir, FILE *out, FILE *errf)
{
	struct qerr err;
	struct blobset b;
	size_t missing = 0;
	if (blobs_referenced(s, &b, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		free(b.sha);
		return -1;
	}
	for (size_t i = 0; i < b.n; i++) {
		char path[PATH_MAX];
		blob_path(datadir, b.sha[i], path);
		if (access(path, R_OK) < 0) {
			fprintf(errf, "quire-admin: blob %s is referenced but missing\n", b.sha[i]);
			missing++;
		}
	}
	size_t n = b.n;
	free(b.sha);
	if (missing) {
		fprintf(errf, "quire-admin: %zu of %zu referenced blobs are missing\n", missing, n);
		return -1;
	}
	fprintf(out, "verify: all %zu referenced blobs are present\n", n);
	return 0;
}

/* Temporary directories of verify: DATADIR/verify.* (left by versions that
 * copied into the data directory) and TMPDIR/quire-verify.PID.* whose
 * process is gone. */
void admin_verify_sweep(const char *datadir, const char *tmpdir)
{
	DIR *d = opendir(datadir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		if (strncmp(e->d_name, "verify.", 7))
			continue;
		snprintf(path, sizeof path, "%s/%s", datadir, e->d_name);
		QLOG_WARN("removing %s, left by an interrupted verify", path);
		rm_tree(path);
	}
	if (d)
		closedir(d);
	d = opendir(tmpdir);
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		long pid;
		if (sscanf(e->d_name, "quire-verify.%ld.", &pid) != 1 || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		rm_tree(path);
	}
	if (d)
		closedir(d);
}

/* ---- restore ---------------------------------------------------------------- */

/* The backup's blobs into datadir; 0, or -1 with a message. */
static int restore_blobs(const char *dir, const char *datadir, size_t *n,
			 unsigned long long *bytes, FILE *errf)
{
	char root[PATH_MAX];
	snprintf(root, sizeof root, "%s/blobs", dir);
	DIR *d = opendir(root);
	struct dirent *e;
	*n = 0;
	if (!d)
		return 0;   /* a backup of text documents only */
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (strlen(e->d_name) != 2 || e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", root, e->d_name);
		DIR *b = opendir(sub);
		struct dirent *f;
		while (rc == 0 && b && (f = readdir(b))) {
			if (!blob_hash_valid(f->d_name))
				continue;
			if (copy_blob(dir, datadir, f->d_name, bytes) < 0) {
				fprintf(errf, "quire-admin: cannot restore blob %s: %s\n", f->d_name,
					strerror(errno));
				rc = -1;
			}
			(*n)++;
		}
		if (b)
			closedir(b);
	}
	closedir(d);
	return rc;
}

/* Copy the backup's database and log files into a new directory. */
static int restore_env(const char *from, const char *to, FILE *errf)
{
	DIR *d = opendir(from);
	struct dirent *e;
	unsigned long long bytes = 0;
	if (!d) {
		fprintf(errf, "quire-admin: %s: %s\n", from, strerror(errno));
		return -1;
	}
	if (mkdir(to, 0750) < 0) {
		fprintf(errf, "quire-admin: cannot create %s: %s\n", to, strerror(errno));
		closedir(d);
		return -1;
	}
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		char src[PATH_MAX], dst[PATH_MAX];
		struct stat sb;
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "__db.", 5))
			continue;
		snprintf(src, sizeof src, "%s/%s", from, e->d_name);
		snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
		if (stat(src, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (copy_file(src, dst, &bytes) < 0) {
			fprintf(errf, "quire-admin: cannot copy %s: %s\n", src, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	fsync_dir(to);
	return rc;
}

int admin_restore(const struct qconf *conf, const char *dir, FILE *out, FILE *errf)
{
	char from[PATH_MAX], fresh[PATH_MAX], live[PATH_MAX], aside[PATH_MAX];
	struct qerr err;
	struct store *s;
	struct du u;
	size_t nblobs = 0;
	unsigned long long blob_bytes = 0;
	if (!dir) {
		fprintf(errf, "quire-admin: restore DIR\n");
		return 2;
	}
	snprintf(from, sizeof from, "%s/db", dir);
	env_usage(from, &u);
	if (u.db_files == 0) {
		fprintf(errf, "quire-admin: %s is not a backup (no database files in %s)\n", dir,
			from);
		return 1;
	}
	qconf_datapath(conf, "db", live);
	snprintf(fresh, sizeof fresh, "%s.restoring", live);
	rm_tree(fresh);   /* an interrupted restore's copy */
	/* Blobs first: they are immutable and only added, so the data
	 * directory is never left with documents whose files are missing. */
	if (restore_blobs(dir, conf->datadir, &nblobs, &blob_bytes, errf) < 0 ||
	    restore_env(from, fresh, errf) < 0) {
		rm_tree(fresh);
		return 1;
	}
	/* The copy must open and recover before it replaces anything. */
	if (store_open(&s, fresh, STORE_OWNER, &err) != Q_OK) {
		fprintf(errf, "quire-admin: the backup does not open: %s\n", err.msg);
		rm_tree(fresh);
		return 1;
	}
	int bad = admin_check_blobs(s, conf->datadir, out, errf) < 0;
	store_close(s);
	if (bad) {
		rm_tree(fresh);
		return 1;
	}
	aside[0] = '\0';
	if (access(live, F_OK) == 0) {
		snprintf(aside, sizeof aside, "%s.before-restore.%lld", live, (long long)time(NULL));
		if (rename(live, aside) < 0) {
			fprintf(errf, "quire-admin: cannot move %s aside: %s\n", live, strerror(errno));
			rm_tree(fresh);
			return 1;
		}
	}
	if (rename(fresh, live) < 0) {
		fprintf(errf, "quire-admin: cannot put the restored database in place: %s\n",
			strerror(errno));
		if (aside[0])
			rename(aside, live);
		return 1;
	}
	fsync_dir(conf->datadir);
	fprintf(out, "restored %s into %s: %zu database files, %zu blobs (%.1f MiB copied)\n", dir,
		conf->datadir, u.db_files, nblobs, mib(blob_bytes));
	if (aside[0])
		fprintf(out, "the previous database is kept in %s (remove it when the restore is "
			     "confirmed)\n", aside);
	return 0;
}
