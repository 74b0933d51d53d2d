/* test_store.c: the Berkeley DB store: records, raw values, transactions,
 * index scans and counts, index upkeep, the index check, backups, and
 * deadlock victims run again. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/store.h"
#include "store/changelog.h"
#include "unit.h"
#include "base/util.h"

#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NACCOUNTS 12
#define NDOCS 3000

static char dir[PATH_MAX];
static const char *accounts[NACCOUNTS] = {"acc1", "acc10", "acc11", "acc2", "acc3", "acc4",
					  "acc5", "acc6", "acc7", "acc8", "acc9", "b"};
static int doc_account[NDOCS];   /* which account each "d%05d" belongs to */

/* ---- small transactions used by the tests ---------------------------- */

struct put_arg {
	enum store_table tb;
	const char *pk;
	json_t *rec;
	enum qstatus then;   /* status fn returns after the put (abort unless Q_OK) */
};

static enum qstatus put_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put_arg *a = arg;
	enum qstatus st = store_put(t, a->tb, a->pk, a->rec, err);
	if (st != Q_OK)
		return st;
	return a->then ? qerr_set(err, a->then, NULL, "abort on purpose") : Q_OK;
}

static enum qstatus put(struct store *s, enum store_table tb, const char *pk, json_t *rec)
{
	struct put_arg a = {tb, pk, rec, Q_OK};
	struct qerr err;
	return store_run(s, put_fn, &a, &err);
}

struct get_arg {
	enum store_table tb;
	const char *pk;
	json_t *rec;
};

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_arg *a = arg;
	return store_get(t, a->tb, a->pk, &a->rec, 0, err);
}

/* The record (new) or NULL. */
static json_t *get(struct store *s, enum store_table tb, const char *pk)
{
	struct get_arg a = {tb, pk, NULL};
	struct qerr err;
	return store_run(s, get_fn, &a, &err) == Q_OK ? a.rec : NULL;
}

struct del_arg {
	enum store_table tb;
	const char *pk;
};

static enum qstatus del_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct del_arg *a = arg;
	return store_del(t, a->tb, a->pk, err);
}

static enum qstatus del(struct store *s, enum store_table tb, const char *pk)
{
	struct del_arg a = {tb, pk};
	struct qerr err;
	return store_run(s, del_fn, &a, &err);
}

struct count_arg {
	enum store_index ix;
	struct store_key k;
	size_t n;
};

static enum qstatus count_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct count_arg *a = arg;
	return store_count(t, a->ix, &a->k, &a->n, err);
}

/* Entries of ix under the prefix of string str (NULL: the whole index). */
static size_t count(struct store *s, enum store_index ix, const char *str)
{
	struct count_arg a = {.ix = ix};
	struct qerr err;
	store_key_init(&a.k);
	if (str)
		store_key_str(&a.k, str);
	if (store_run(s, count_fn, &a, &err) != Q_OK) {
		diag("store_count: %s", err.msg);
		return (size_t)-1;
	}
	return a.n;
}

struct scan_arg {
	enum store_index ix;
	struct store_key k;
	size_t offset, limit;
	struct store_ids ids;
};

static enum qstatus scan_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct scan_arg *a = arg;
	store_ids_free(&a->ids);
	return store_scan(t, a->ix, &a->k, a->offset, a->limit, store_collect, &a->ids, err);
}

/* Primary keys of ix under the prefix str (NULL: the whole index). */
static enum qstatus scan(struct store *s, enum store_index ix, const char *str, size_t offset,
			 size_t limit, struct store_ids *out)
{
	struct scan_arg a = {.ix = ix, .offset = offset, .limit = limit};
	struct qerr err;
	store_key_init(&a.k);
	if (str)
		store_key_str(&a.k, str);
	enum qstatus st = store_run(s, scan_fn, &a, &err);
	*out = a.ids;
	return st;
}

/* ---- tests -------------------------------------------------------------- */

static void test_keys(void)
{
	struct store_key k;
	store_key_init(&k);
	store_key_str(&k, "ab");
	store_key_u64(&k, 0x0102030405060708ull);
	is_int(k.len, 3 + 8, "key: string, separator and 8 bytes");
	ok(!memcmp(k.b, "ab\0\x01\x02\x03\x04\x05\x06\x07\x08", 11), "key: big-endian u64");

	struct store_key a, b;
	store_key_init(&a);
	store_key_u64(&a, 255);
	store_key_init(&b);
	store_key_u64(&b, 256);
	ok(memcmp(a.b, b.b, 8) < 0, "key: u64 keys sort numerically");

	char big[STORE_KEY_MAX * 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	store_key_init(&k);
	store_key_str(&k, big);
	is_int(k.len, STORE_KEY_MAX, "key: a long string is cut to the key size");
	is_int(k.b[STORE_KEY_MAX - 1], 0, "key: ... and still ends in a separator");
	store_key_u64(&k, 1);
	is_int(k.len, STORE_KEY_MAX, "key: a full key takes no more bytes");
}

static void test_records(struct store *s)
{
	json_t *rec = json_pack("{s:s, s:s, s:I}", "id", "a1", "name", "alpha", "created_us",
				(json_int_t)1);
	is_int(put(s, T_ACCOUNTS, "a1", rec), Q_OK, "records: put");
	json_t *got = get(s, T_ACCOUNTS, "a1");
	ok(got && json_equal(got, rec), "records: get returns what was put");
	json_decref(got);

	json_object_set_new(rec, "name", json_string("alpha2"));
	is_int(put(s, T_ACCOUNTS, "a1", rec), Q_OK, "records: replace");
	got = get(s, T_ACCOUNTS, "a1");
	is_str(json_string_value(json_object_get(got, "name")), "alpha2", "records: replaced");
	json_decref(got);
	is_int(count(s, I_ACCOUNTS_BY_NAME, "alpha"), 0, "records: old index entry gone");
	is_int(count(s, I_ACCOUNTS_BY_NAME, "alpha2"), 1, "records: new index entry");

	ok(get(s, T_ACCOUNTS, "nope") == NULL, "records: missing record");
	struct get_arg g = {T_ACCOUNTS, "nope", NULL};
	struct qerr err;
	is_int(store_run(s, get_fn, &g, &err), Q_ENOTFOUND, "records: missing is Q_ENOTFOUND");

	is_int(del(s, T_ACCOUNTS, "a1"), Q_OK, "records: del");
	ok(get(s, T_ACCOUNTS, "a1") == NULL, "records: deleted record is gone");
	is_int(count(s, I_ACCOUNTS_BY_NAME, "alpha2"), 0, "records: del removes index entries");
	is_int(del(s, T_ACCOUNTS, "a1"), Q_ENOTFOUND, "records: del twice is Q_ENOTFOUND");
	is_int(del(s, T_CONTENT, "never"), Q_ENOTFOUND, "records: del of missing raw value");

	/* A failing transaction leaves nothing behind. */
	struct put_arg p = {T_ACCOUNTS, "a2", rec, Q_ECONFLICT};
	is_int(store_run(s, put_fn, &p, &err), Q_ECONFLICT, "txn: fn's status is returned");
	is_str(err.msg, "abort on purpose", "txn: ... with fn's message");
	ok(get(s, T_ACCOUNTS, "a2") == NULL, "txn: the aborted put is not visible");
	is_int(count(s, I_ACCOUNTS_BY_NAME, "alpha2"), 0, "txn: nor its index entry");
	json_decref(rec);
}

struct raw_arg {
	const char *pk;
	const void *data;
	size_t len;
	char *out;
	size_t outlen;
};

static enum qstatus raw_put_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct raw_arg *a = arg;
	return store_put_raw(t, T_CONTENT, a->pk, a->data, a->len, err);
}

static enum qstatus raw_get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct raw_arg *a = arg;
	return store_get_raw(t, T_CONTENT, a->pk, &a->out, &a->outlen, err);
}

static void test_raw(struct store *s)
{
	static const char bin[] = "text\0with\0NULs\xff\xfe";
	struct raw_arg a = {"doc-raw", bin, sizeof bin - 1, NULL, 0};
	struct qerr err;

	is_int(store_run(s, raw_put_fn, &a, &err), Q_OK, "raw: put binary");
	is_int(store_run(s, raw_get_fn, &a, &err), Q_OK, "raw: get");
	is_int(a.outlen, sizeof bin - 1, "raw: length with NULs inside");
	ok(a.out && !memcmp(a.out, bin, sizeof bin - 1), "raw: bytes round-trip");
	ok(a.out && a.out[a.outlen] == '\0', "raw: NUL-terminated");
	free(a.out);

	size_t big = 1u << 20;
	char *p = malloc(big);
	for (size_t i = 0; i < big; i++)
		p[i] = (char)('a' + i % 26);
	struct raw_arg b = {"doc-big", p, big, NULL, 0};
	is_int(store_run(s, raw_put_fn, &b, &err), Q_OK, "raw: put 1 MiB");
	is_int(store_run(s, raw_get_fn, &b, &err), Q_OK, "raw: get 1 MiB");
	ok(b.outlen == big && !memcmp(b.out, p, big), "raw: 1 MiB round-trips");
	free(b.out);
	free(p);

	struct raw_arg c = {"doc-none", NULL, 0, NULL, 0};
	is_int(store_run(s, raw_get_fn, &c, &err), Q_ENOTFOUND, "raw: missing is Q_ENOTFOUND");
	is_int(del(s, T_CONTENT, "doc-raw"), Q_OK, "raw: del");
	is_int(store_run(s, raw_get_fn, &a, &err), Q_ENOTFOUND, "raw: gone after del");
}

/* A prefix scan over many bulk reads: the first read is small and the
 * buffer doubles (store.c, SCAN_BULK_FIRST), one record is larger than
 * the first buffer, and records under the neighbouring keys must not be
 * passed on. */
#define BULK_N 300
#define BULK_BIG 150   /* this one is 20,000 bytes (an overflow item) */

static size_t bulk_len(int i)
{
	return i == BULK_BIG ? 20000 : 700 + (size_t)i % 400;
}

static void bulk_key(struct store_key *k, const char *name, int i)
{
	store_key_init(k);
	store_key_str(k, name);
	for (int b = 3; b >= 0; b--)
		k->b[k->len++] = (unsigned char)((unsigned)i >> (8 * b));
}

static enum qstatus bulk_fill(struct stxn *t, void *arg, struct qerr *err)
{
	static unsigned char v[20000];
	enum qstatus st = Q_OK;
	struct store_key k;
	(void)arg;
	for (int i = 0; st == Q_OK && i < BULK_N; i++) {
		for (size_t j = 0; j < bulk_len(i); j++)
			v[j] = (unsigned char)(i * 7 + j);
		bulk_key(&k, "bulk", i);
		st = store_put_rawkey(t, T_POSTINGS, &k, v, bulk_len(i), err);
		for (int n = 0; st == Q_OK && n < 2; n++) {   /* neighbours before and after */
			bulk_key(&k, n ? "bull" : "bulj", i);
			st = store_put_rawkey(t, T_POSTINGS, &k, v, 900, err);
		}
	}
	return st;
}

struct bulk_scan {
	int from, stop, n, bad;
};

static int bulk_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct bulk_scan *b = arg;
	const unsigned char *k = key, *v = val;
	int i = b->from + b->n;
	struct store_key want;
	bulk_key(&want, "bulk", i);
	if (klen != want.len || memcmp(k, want.b, klen) || vlen != bulk_len(i))
		b->bad++;
	else
		for (size_t j = 0; j < vlen; j++)
			if (v[j] != (unsigned char)(i * 7 + j)) {
				b->bad++;
				break;
			}
	b->n++;
	return b->stop >= 0 && i >= b->stop;
}

static enum qstatus bulk_scan_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct bulk_scan *b = arg;
	struct store_key prefix, from;
	store_key_init(&prefix);
	store_key_str(&prefix, "bulk");
	if (!b->from)
		return store_scan_raw(t, T_POSTINGS, &prefix, bulk_cb, b, err);
	bulk_key(&from, "bulk", b->from);
	return store_scan_raw_from(t, T_POSTINGS, &prefix, &from, bulk_cb, b, err);
}

static void test_scan_bulk(struct store *s)
{
	struct qerr err;
	struct bulk_scan all = {0, -1, 0, 0}, stop = {0, 200, 0, 0}, from = {100, -1, 0, 0};
	if (store_run(s, bulk_fill, NULL, &err) != Q_OK)
		bail_out("bulk fill: %s", err.msg);
	enum qstatus st = store_run(s, bulk_scan_fn, &all, &err);
	ok(st == Q_OK && all.n == BULK_N && !all.bad,
	   "scan: every record under the prefix, in order, over many bulk reads (%d, %d bad)",
	   all.n, all.bad);
	st = store_run(s, bulk_scan_fn, &stop, &err);
	ok(st == Q_OK && stop.n == 201 && !stop.bad, "scan: stops where the callback asks (%d)",
	   stop.n);
	st = store_run(s, bulk_scan_fn, &from, &err);
	ok(st == Q_OK && from.n == BULK_N - 100 && !from.bad,
	   "scan: from a key inside the prefix (%d, %d bad)", from.n, from.bad);
}

/* Insert NDOCS documents spread over the accounts, 500 per transaction. */
struct fill_arg {
	int from, to;
};

static enum qstatus fill_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct fill_arg *a = arg;
	for (int i = a->from; i < a->to; i++) {
		char pk[16];
		snprintf(pk, sizeof pk, "d%05d", i);
		json_t *rec = json_pack("{s:s, s:s, s:I, s:s, s:s}", "id", pk, "account",
					accounts[doc_account[i]], "created_us", (json_int_t)(1000 + i),
					"kb", "kb1", "blob", i % 3 ? "" : "blobhash");
		enum qstatus st = store_put(t, T_DOCS, pk, rec, err);
		json_decref(rec);
		if (st != Q_OK)
			return st;
	}
	return Q_OK;
}

/* The brute count: walk the whole index and read every record. */
struct brute {
	struct stxn *t;
	size_t per[NACCOUNTS];
	size_t other;
	enum qstatus st;
	struct qerr *err;
};

static int brute_one(const char *pk, void *arg)
{
	struct brute *b = arg;
	json_t *rec;
	if ((b->st = store_get(b->t, T_DOCS, pk, &rec, 0, b->err)) != Q_OK)
		return 1;
	const char *acc = json_string_value(json_object_get(rec, "account"));
	int found = 0;
	for (int i = 0; i < NACCOUNTS && acc; i++)
		if (!strcmp(acc, accounts[i])) {
			b->per[i]++;
			found = 1;
		}
	b->other += !found;
	json_decref(rec);
	return 0;
}

static enum qstatus brute_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct brute *b = arg;
	struct store_key empty;
	memset(b->per, 0, sizeof b->per);
	b->other = 0;
	b->t = t;
	b->err = err;
	b->st = Q_OK;
	store_key_init(&empty);
	enum qstatus st = store_scan(t, I_DOCS_BY_ACCOUNT, &empty, 0, 0, brute_one, b, err);
	return st != Q_OK ? st : b->st;
}

/* store_count of every account against the brute count. */
static int counts_agree(struct store *s, const char *when)
{
	struct brute b;
	struct qerr err;
	int agree = 1;
	if (store_run(s, brute_fn, &b, &err) != Q_OK) {
		diag("brute count: %s", err.msg);
		return 0;
	}
	size_t sum = b.other;
	for (int i = 0; i < NACCOUNTS; i++) {
		size_t n = count(s, I_DOCS_BY_ACCOUNT, accounts[i]);
		sum += b.per[i];
		if (n != b.per[i]) {
			diag("%s: %s: store_count %zu, brute %zu", when, accounts[i], n, b.per[i]);
			agree = 0;
		}
	}
	if (count(s, I_DOCS_BY_ACCOUNT, NULL) != sum) {
		diag("%s: whole index %zu, brute %zu", when, count(s, I_DOCS_BY_ACCOUNT, NULL), sum);
		agree = 0;
	}
	return agree;
}

static void test_index(struct store *s)
{
	struct qerr err;
	size_t want[NACCOUNTS] = {0};

	/* Uneven, deterministic spread; "acc1" is a prefix of "acc10" and
	 * "acc11" as strings, but not as index keys. */
	srand(7);
	for (int i = 0; i < NDOCS; i++) {
		int r = rand() % 100;
		doc_account[i] = r < 30 ? 0 : r < 35 ? 1 : r < 36 ? 2 : 3 + r % (NACCOUNTS - 3);
		want[doc_account[i]]++;
	}
	for (int from = 0; from < NDOCS; from += 500) {
		struct fill_arg a = {from, from + 500 < NDOCS ? from + 500 : NDOCS};
		if (store_run(s, fill_fn, &a, &err) != Q_OK)
			bail_out("filling: %s", err.msg);
	}
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc1"), want[0], "count: acc1 (not acc10, acc11)");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc10"), want[1], "count: acc10");
	is_int(count(s, I_DOCS_BY_ACCOUNT, NULL), NDOCS, "count: the whole index");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc0"), 0, "count: an absent prefix before others");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc"), 0, "count: a string prefix is not a key prefix");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "zzz"), 0, "count: an absent prefix past the end");
	is_int(count(s, I_DOCS_BY_BLOB, "blobhash"), NDOCS / 3, "count: second index of a table");
	ok(counts_agree(s, "after fill"), "count: store_count equals the brute count");

	/* Offsets and limits within one prefix, in key (creation) order. */
	struct store_ids ids;
	int first = -1, last = -1, tenth = -1, n1 = 0;
	for (int i = 0; i < NDOCS; i++)
		if (doc_account[i] == 1) {
			if (first < 0)
				first = i;
			if (n1 == 10)
				tenth = i;
			last = i;
			n1++;
		}
	char want_pk[16];
	is_int(scan(s, I_DOCS_BY_ACCOUNT, "acc10", 0, 0, &ids), Q_OK, "scan: all of acc10");
	is_int(ids.n, want[1], "scan: all entries of the prefix, none of the neighbours");
	snprintf(want_pk, sizeof want_pk, "d%05d", first);
	ok(ids.n && !strcmp(ids.ids[0], want_pk), "scan: oldest first (%s)", want_pk);
	int sorted = 1;
	for (size_t i = 1; i < ids.n; i++)
		if (strcmp(ids.ids[i - 1], ids.ids[i]) >= 0)
			sorted = 0;
	ok(sorted, "scan: in created order");
	store_ids_free(&ids);

	scan(s, I_DOCS_BY_ACCOUNT, "acc10", 10, 5, &ids);
	is_int(ids.n, 5, "scan: offset 10 limit 5 gives 5");
	snprintf(want_pk, sizeof want_pk, "d%05d", tenth);
	ok(ids.n && !strcmp(ids.ids[0], want_pk), "scan: ... starting at the 11th (%s)", want_pk);
	store_ids_free(&ids);

	scan(s, I_DOCS_BY_ACCOUNT, "acc10", want[1] - 1, 10, &ids);
	snprintf(want_pk, sizeof want_pk, "d%05d", last);
	ok(ids.n == 1 && !strcmp(ids.ids[0], want_pk), "scan: offset n-1 gives the last");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, "acc10", want[1], 10, &ids);
	is_int(ids.n, 0, "scan: offset n gives nothing, not the next account's entries");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, "b", want[NACCOUNTS - 1] + 5, 10, &ids);
	is_int(ids.n, 0, "scan: offset past the end of the whole index");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, "acc10", 3, 0, &ids);
	is_int(ids.n, want[1] - 3, "scan: offset with no limit gives the rest");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, "zzz", 0, 0, &ids);
	is_int(ids.n, 0, "scan: absent prefix past the end");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, "acc0", 0, 0, &ids);
	is_int(ids.n, 0, "scan: absent prefix between keys");
	store_ids_free(&ids);
	scan(s, I_DOCS_BY_ACCOUNT, NULL, NDOCS - 2, 0, &ids);
	is_int(ids.n, 2, "scan: empty prefix with an offset");
	store_ids_free(&ids);

	/* Update index fields: move documents between accounts, change the
	 * creation stamp (the sort key), drop a blob. */
	int moved = 0;
	for (int i = 0; i < NDOCS && moved < 40; i++) {
		if (doc_account[i] != 0)
			continue;
		char pk[16];
		snprintf(pk, sizeof pk, "d%05d", i);
		json_t *rec = get(s, T_DOCS, pk);
		json_object_set_new(rec, "account", json_string("acc10"));
		json_object_set_new(rec, "created_us", json_integer(1000000 + i));
		json_object_set_new(rec, "blob", json_string(""));
		json_object_set_new(rec, "title", json_string("moved"));
		if (put(s, T_DOCS, pk, rec) == Q_OK) {
			doc_account[i] = 1;
			moved++;
		}
		json_decref(rec);
	}
	is_int(moved, 40, "update: moved 40 documents");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc1"), want[0] - 40, "update: acc1 lost 40");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "acc10"), want[1] + 40, "update: acc10 gained 40");
	is_int(count(s, I_DOCS_BY_ACCOUNT, NULL), NDOCS, "update: no stale entries remain");
	ok(counts_agree(s, "after moves"), "update: store_count equals the brute count");
	scan(s, I_DOCS_BY_ACCOUNT, "acc10", want[1], 0, &ids);
	int all_moved = ids.n == 40;
	for (size_t i = 0; i < ids.n; i++) {
		json_t *rec = get(s, T_DOCS, ids.ids[i]);
		if (!rec || strcmp(json_string_value(json_object_get(rec, "title")) ?: "", "moved"))
			all_moved = 0;
		json_decref(rec);
	}
	ok(all_moved, "update: the moved ones sort last by their new stamp");
	store_ids_free(&ids);

	/* A change to a field no index uses keeps every index as it was. */
	json_t *rec = get(s, T_DOCS, "d00001");
	size_t before = count(s, I_DOCS_BY_BLOB, "blobhash");
	json_object_set_new(rec, "title", json_string("retitled"));
	put(s, T_DOCS, "d00001", rec);
	json_decref(rec);
	is_int(count(s, I_DOCS_BY_BLOB, "blobhash"), before, "update: unrelated field");

	/* Deletes. */
	int deleted = 0;
	for (int i = 0; i < NDOCS; i += 10) {
		char pk[16];
		snprintf(pk, sizeof pk, "d%05d", i);
		if (del(s, T_DOCS, pk) == Q_OK) {
			doc_account[i] = -1;
			deleted++;
		}
	}
	is_int(deleted, NDOCS / 10, "delete: every tenth document");
	is_int(count(s, I_DOCS_BY_ACCOUNT, NULL), NDOCS - NDOCS / 10, "delete: index shrank");
	ok(counts_agree(s, "after deletes"), "delete: store_count equals the brute count");

	size_t problems = 99;
	is_int(store_check_indexes(s, &problems, &err), Q_OK, "check: runs");
	is_int(problems, 0, "check: no problems after puts, updates and deletes");
}

static enum qstatus put_raw_json_fn(struct stxn *t, void *arg, struct qerr *err)
{
	const char *text = "{\"id\":\"rogue\",\"account\":\"acc1\",\"created_us\":5}";
	return store_put_raw(t, T_DOCS, "rogue", text, strlen(text), err);
}

static void test_check_finds(struct store *s)
{
	struct qerr err;
	size_t problems = 0;

	/* A record written around store_put has no index entries. */
	store_run(s, put_raw_json_fn, NULL, &err);
	is_int(store_check_indexes(s, &problems, &err), Q_OK, "check: runs over a bad index");
	ok(problems >= 2, "check: finds the unindexed record (%zu problems)", problems);
	is_int(del(s, T_DOCS, "rogue"), Q_OK, "check: store_del copes with missing entries");
	store_check_indexes(s, &problems, &err);
	is_int(problems, 0, "check: clean again");
}

/* ---- a put after the transaction's own read (store.c, struct seen) ---- */

/* The change log's sequence number (0 before the first entry). */
static json_int_t changelog_seq(struct store *s)
{
	json_t *r = get(s, T_STATS, CHANGELOG_SEQ_KEY);
	json_int_t n = r ? json_integer_value(json_object_get(r, "seq")) : 0;
	json_decref(r);
	return n;
}

static enum qstatus set_str(struct stxn *t, const char *pk, const char *field, const char *v,
			    struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_DOCS, pk, &rec, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	json_object_set_new(rec, field, json_string(v));
	st = store_put(t, T_DOCS, pk, rec, err);
	json_decref(rec);
	return st;
}

/* One transaction: a document read for update and written three times
 * (account seen1 -> seen2 -> seen3: each put must delete the key the one
 * before wrote), deleted, written again from nothing; another read and
 * written once; and 40 documents read, then all written (more than the
 * transaction keeps). */
static enum qstatus seen_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	json_t *rec;
	enum qstatus st = store_get(t, T_DOCS, "s0", &rec, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	json_object_set_new(rec, "account", json_string("seen2"));
	if ((st = store_put(t, T_DOCS, "s0", rec, err)) == Q_OK) {
		json_object_set_new(rec, "account", json_string("seen3"));
		st = store_put(t, T_DOCS, "s0", rec, err);
	}
	if (st == Q_OK)
		st = store_del(t, T_DOCS, "s0", err);
	if (st == Q_OK && store_del(t, T_DOCS, "s0", err) != Q_ENOTFOUND)
		st = qerr_set(err, Q_EDB, NULL, "a record deleted in the transaction was found");
	qerr_clear(err);
	if (st == Q_OK) {
		json_object_set_new(rec, "account", json_string("seen4"));
		st = store_put(t, T_DOCS, "s0", rec, err);
	}
	json_decref(rec);
	if (st != Q_OK)
		return st;

	if ((st = store_get(t, T_DOCS, "s1", &rec, STORE_RMW, err)) != Q_OK)
		return st;
	json_object_set_new(rec, "account", json_string("seen6"));
	st = store_put(t, T_DOCS, "s1", rec, err);
	json_decref(rec);

	json_t *many[40] = {0};
	char pk[16];
	for (int i = 0; st == Q_OK && i < 40; i++) {
		snprintf(pk, sizeof pk, "m%02d", i);
		st = store_get(t, T_DOCS, pk, &many[i], STORE_RMW, err);
	}
	for (int i = 0; st == Q_OK && i < 40; i++) {
		snprintf(pk, sizeof pk, "m%02d", i);
		json_object_set_new(many[i], "account", json_string("seen8"));
		st = store_put(t, T_DOCS, pk, many[i], err);
	}
	for (int i = 0; i < 40; i++)
		json_decref(many[i]);
	return st;
}

static enum qstatus filter_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	enum qstatus st = set_str(t, "s1", "folder_id", "f1", err);   /* logged */
	if (st == Q_OK)
		st = set_str(t, "s1", "title", "t", err);               /* not logged */
	if (st == Q_OK)
		st = set_str(t, "s1", "folder_id", "f1", err);          /* the same: not logged */
	if (st == Q_OK)
		st = set_str(t, "s1", "folder_id", "f2", err);          /* logged */
	return st;
}

static void put_new(struct store *s, const char *pk, const char *account, int created)
{
	json_t *rec = json_pack("{s:s, s:s, s:i}", "id", pk, "account", account,
				"created_us", created);
	put(s, T_DOCS, pk, rec);
	json_decref(rec);
}

static void test_seen(struct store *s)
{
	struct qerr err;
	char pk[16];
	put_new(s, "s0", "seen1", 1);
	put_new(s, "s1", "seen1", 2);
	for (int i = 0; i < 40; i++) {
		snprintf(pk, sizeof pk, "m%02d", i);
		put_new(s, pk, "seen7", 10 + i);
	}
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen1"), 2, "seen: two documents of seen1");
	is_int(store_run(s, seen_fn, NULL, &err), Q_OK, "seen: writes after reads run");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen1"), 0, "seen: no key left of the first account");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen2") + count(s, I_DOCS_BY_ACCOUNT, "seen3"), 0,
	       "seen: no key left of the puts before the delete");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen4"), 1, "seen: the put after the delete indexed");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen6"), 1, "seen: the put after a read indexed");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen7"), 0, "seen: 40 documents' old keys deleted");
	is_int(count(s, I_DOCS_BY_ACCOUNT, "seen8"), 40, "seen: 40 documents' new keys written");
	size_t problems = 99;
	is_int(store_check_indexes(s, &problems, &err), Q_OK, "seen: check runs");
	is_int(problems, 0, "seen: the indexes match the records");

	json_int_t seq = changelog_seq(s);
	is_int(store_run(s, filter_fn, NULL, &err), Q_OK, "seen: filter field updates run");
	is_int(changelog_seq(s) - seq, 2, "seen: the change log has the two filter changes");

	del(s, T_DOCS, "s0");
	del(s, T_DOCS, "s1");
	for (int i = 0; i < 40; i++) {
		snprintf(pk, sizeof pk, "m%02d", i);
		del(s, T_DOCS, pk);
	}
}

static void test_backup(struct store *s)
{
	char bdir[PATH_MAX + 16];
	struct qerr err;
	struct store *b;

	json_t *rec = json_pack("{s:s, s:s, s:I}", "id", "bk", "name", "backed-up", "created_us",
				(json_int_t)1);
	put(s, T_ACCOUNTS, "bk", rec);
	json_decref(rec);

	snprintf(bdir, sizeof bdir, "%s/backup", dir);
	is_int(store_backup(s, bdir, &err), Q_OK, "backup: hot backup");
	struct stat sb;
	char cfg[PATH_MAX + 32];
	snprintf(cfg, sizeof cfg, "%s/DB_CONFIG", bdir);
	ok(stat(cfg, &sb) == 0, "backup: DB_CONFIG is copied");

	/* Writes after the backup must not appear in it. */
	rec = json_pack("{s:s, s:s, s:I}", "id", "late", "name", "late", "created_us",
			(json_int_t)1);
	put(s, T_ACCOUNTS, "late", rec);
	json_decref(rec);

	is_int(store_verify_files(bdir, &err), Q_OK, "backup: every file verifies");
	is_int(store_open(&b, bdir, STORE_OWNER, &err), Q_OK, "backup: opens");
	if (!b)
		return;
	json_t *got = get(b, T_ACCOUNTS, "bk");
	is_str(json_string_value(json_object_get(got, "name")), "backed-up", "backup: has data");
	json_decref(got);
	ok(get(b, T_ACCOUNTS, "late") == NULL, "backup: later writes are not in it");
	is_int(count(b, I_DOCS_BY_ACCOUNT, NULL), count(s, I_DOCS_BY_ACCOUNT, NULL),
	       "backup: same index size");
	is_int(count(b, I_DOCS_BY_ACCOUNT, "acc10"), count(s, I_DOCS_BY_ACCOUNT, "acc10"),
	       "backup: same count for a prefix");
	size_t problems = 99;
	store_check_indexes(b, &problems, &err);
	is_int(problems, 0, "backup: indexes agree");
	store_close(b);

	/* Backing up again into the same directory empties it first. */
	is_int(store_backup(s, bdir, &err), Q_OK, "backup: again into the same directory");
	is_int(store_open(&b, bdir, STORE_OWNER, &err), Q_OK, "backup: second copy opens");
	got = b ? get(b, T_ACCOUNTS, "late") : NULL;
	ok(got != NULL, "backup: second copy has the later write");
	json_decref(got);
	store_close(b);
}

static void test_reopen(struct store **s)
{
	char home[PATH_MAX + 8];
	struct qerr err;
	size_t before = count(*s, I_DOCS_BY_ACCOUNT, "acc10");
	store_checkpoint(*s, 1, &err);
	store_close(*s);
	snprintf(home, sizeof home, "%s/db", dir);
	is_int(store_open(s, home, STORE_OWNER, &err), Q_OK, "reopen: owner recovers and opens");
	is_int(count(*s, I_DOCS_BY_ACCOUNT, "acc10"), before, "reopen: data survived");
	struct store *j;
	is_int(store_open(&j, home, STORE_JOIN, &err), Q_OK, "reopen: a second process joins");
	if (j) {
		is_int(count(j, I_DOCS_BY_ACCOUNT, "acc10"), before, "reopen: joined view agrees");
		store_close(j);
	}
	char nowhere[PATH_MAX + 16];
	snprintf(nowhere, sizeof nowhere, "%s/absent", dir);
	is_int(store_open(&j, nowhere, STORE_JOIN, &err), Q_EDB,
	       "reopen: joining a missing environment fails");
	ok(j == NULL, "reopen: ... with no store");

	/* db_cache_mb: given by the owner through the API; an older Quire's
	 * DB_CONFIG with its fixed 64 MiB (which would override the API) is
	 * rewritten. */
	char cfg[PATH_MAX + 16];
	snprintf(cfg, sizeof cfg, "%s/DB_CONFIG", home);
	FILE *f = fopen(cfg, "w");
	fputs("set_cachesize 0 67108864 1\n", f);
	fclose(f);
	store_close(*s);
	store_set_cache_mb(48);
	is_int(store_open(s, home, STORE_OWNER, &err), Q_OK, "cache: owner opens with db_cache_mb 48");
	ok(store_cache_mb(*s) >= 48 && store_cache_mb(*s) < 64, "cache: the environment has 48 MiB (%u)",
	   store_cache_mb(*s));
	char line[256] = "";
	int fixed = 0;
	if ((f = fopen(cfg, "r"))) {
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "set_cachesize", 13))
				fixed = 1;
		fclose(f);
	}
	ok(!fixed, "cache: the old DB_CONFIG's set_cachesize line is gone");
	store_set_cache_mb(256);
}

/* ---- deadlock victims are run again (db_retry_ms) ---------------------- */

/* Two writers take T_DOCS's key and T_JOBS's key in opposite orders; a pipe
 * barrier makes each hold its first lock before either asks for its second,
 * so Berkeley DB's detector must abort one of them. */
struct cross_arg {
	enum store_table first, second;
	int tell, hear;   /* barrier pipes, used on the first attempt only */
	int attempts;
};

/* T_TABLE_MAX as first or second: store_txn_lock's STORE_LOCK_JOBS instead */
static enum qstatus cross_take(struct stxn *t, enum store_table tb, json_t *rec,
			       struct qerr *err)
{
	if (tb == T_TABLE_MAX)
		return store_txn_lock(t, STORE_LOCK_JOBS, err);
	return store_put(t, tb, "crossed", rec, err);
}

static enum qstatus cross_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct cross_arg *a = arg;
	json_t *rec = json_pack("{s:i}", "pid", (int)getpid());
	enum qstatus st = cross_take(t, a->first, rec, err);
	if (st == Q_OK && a->attempts++ == 0) {
		char c = 'x';
		if (write(a->tell, &c, 1) != 1 || read(a->hear, &c, 1) != 1)
			st = qerr_set(err, Q_EINTERNAL, NULL, "barrier");
	}
	if (st == Q_OK)
		st = cross_take(t, a->second, rec, err);
	json_decref(rec);
	return st;
}

/* Runs the crossing pair; returns the child's status in *child and the
 * parent's as the result, with the attempts both made in *attempts. */
static enum qstatus cross_pair_on(struct store *s, enum store_table one, enum store_table two,
				  unsigned retry_ms, enum qstatus *child, int *attempts)
{
	int ab[2], ba[2], res[2];
	if (pipe(ab) || pipe(ba) || pipe(res))
		return Q_EINTERNAL;
	store_set_retry_ms(retry_ms);
	pid_t pid = fork();
	if (pid == 0) {
		struct store *cs = NULL;
		struct qerr err;
		struct cross_arg a = {two, one, ba[1], ab[0], 0};
		int out[2] = {Q_EINTERNAL, 0};
		char home[PATH_MAX + 8];
		close(ab[1]);   /* the other side's ends: a failed child ends the barrier */
		close(ba[0]);
		close(res[0]);
		snprintf(home, sizeof home, "%s/db", dir);
		if (store_open(&cs, home, STORE_JOIN, &err) == Q_OK) {
			out[0] = store_run(cs, cross_fn, &a, &err);
			out[1] = a.attempts;
			store_close(cs);
		}
		if (write(res[1], out, sizeof out) != sizeof out)
			_exit(1);
		_exit(0);
	}
	struct qerr err;
	struct cross_arg a = {one, two, ab[1], ba[0], 0};
	close(ab[0]);
	close(ba[1]);
	close(res[1]);
	enum qstatus st = pid > 0 ? store_run(s, cross_fn, &a, &err) : Q_EINTERNAL;
	int out[2] = {Q_EINTERNAL, 0};
	if (read(res[0], out, sizeof out) != sizeof out)
		out[0] = Q_EINTERNAL;
	if (pid > 0)
		waitpid(pid, NULL, 0);
	close(ab[1]);
	close(ba[0]);
	close(res[0]);
	*child = out[0];
	*attempts = a.attempts + out[1];
	return st;
}

static enum qstatus cross_pair(struct store *s, unsigned retry_ms, enum qstatus *child, int *attempts)
{
	return cross_pair_on(s, T_DOCS, T_JOBS, retry_ms, child, attempts);
}

/* store_txn_lock's name is a lock like a record's: one holder at a time
 * across processes, waits the detector sees (a record and the name taken
 * in opposite orders deadlock, and one side is rerun, not left waiting
 * until a lock timeout), let go of when the transaction ends (the rerun
 * gets it). The job queue's claims and creates count on all three. */
static void test_named_lock(struct store *s)
{
	enum qstatus child;
	int attempts;
	enum qstatus st = cross_pair_on(s, T_DOCS, T_TABLE_MAX, 10000, &child, &attempts);
	ok(st == Q_OK && child == Q_OK, "named lock: both crossing writers commit (%d, %d)", st, child);
	is_int(attempts, 3, "named lock: the deadlock over it seen, the victim run a second time");
	st = cross_pair_on(s, T_TABLE_MAX, T_JOBS, 0, &child, &attempts);
	ok((st == Q_EBUSY) != (child == Q_EBUSY) && (st == Q_OK || child == Q_OK),
	   "named lock first, db_retry_ms 0: one busy, the other commits (%d, %d)", st, child);
	is_int(attempts, 2, "named lock first, db_retry_ms 0: no rerun");
	store_set_retry_ms(10000);
}

static void test_deadlock_rerun(struct store *s)
{
	enum qstatus child;
	int attempts;
	enum qstatus st = cross_pair(s, 10000, &child, &attempts);
	ok(st == Q_OK && child == Q_OK, "deadlock: both crossing writers commit (%d, %d)", st, child);
	is_int(attempts, 3, "deadlock: the victim was run a second time");
	st = cross_pair(s, 0, &child, &attempts);
	ok((st == Q_EBUSY) != (child == Q_EBUSY) && (st == Q_OK || child == Q_OK),
	   "deadlock with db_retry_ms 0: the victim is answered busy, the other commits (%d, %d)", st, child);
	is_int(attempts, 2, "deadlock with db_retry_ms 0: no rerun");
	store_set_retry_ms(10000);
}

/* put (del 0) or delete doc pk of account acc */
struct churn_arg {
	const char *pk, *acc;
	int del;
};

static enum qstatus churn_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct churn_arg *a = arg;
	if (a->del)
		return store_del(t, T_DOCS, a->pk, err);
	json_t *rec = json_pack("{s:s, s:s, s:I, s:s, s:s}", "id", a->pk, "account", a->acc,
				"created_us", (json_int_t)q_now_us(), "kb", "kb1", "blob", "");
	enum qstatus st = store_put(t, T_DOCS, a->pk, rec, err);
	json_decref(rec);
	return st;
}

/* A count is one state's while other processes commit around it: entries
 * put and deleted before a counted range (a create, a claimed job)
 * never make its count wrong. A count read the range's two ends' record
 * numbers in two descents of the tree, and the index's size for a range
 * at its end, and a commit landing between them shifted one against
 * the other (a /metrics sample saw two ingest jobs processing under a cap
 * of one). */
static void test_count_racing(struct store *s)
{
	/* a small range inside the index, one at its end, and one counted
	 * by record numbers (over store.c's COUNT_WALK) */
	static const char *const still[] = {"mm-still", "zz-still", "mn-still"};
	static const size_t want[] = {3, 3, 40};
	struct qerr err;
	char pk[32];
	for (int a = 0; a < 3; a++)
		for (size_t i = 0; i < want[a]; i++) {
			snprintf(pk, sizeof pk, "still-%d-%zu", a, i);
			struct churn_arg c = {pk, still[a], 0};
			if (store_run(s, churn_fn, &c, &err) != Q_OK)
				bail_out("still: %s", err.msg);
		}
	int go[2];
	if (pipe(go))
		bail_out("pipe");
	pid_t pid = fork();
	if (pid == 0) {   /* the churn: a put and a delete before both ranges */
		struct store *cs = NULL;
		char home[PATH_MAX + 8], p[32], prev[32] = "";
		close(go[0]);
		snprintf(home, sizeof home, "%s/db", dir);
		if (store_open(&cs, home, STORE_JOIN, &err) != Q_OK)
			_exit(1);
		if (write(go[1], "g", 1) != 1)
			_exit(1);
		int64_t t0 = q_now_us();
		for (int n = 0; q_now_us() - t0 < 2000000 && n < 200000; n++) {
			snprintf(p, sizeof p, "churn%07d", n);
			struct churn_arg put = {p, n % 2 ? "ab-churn" : "mc-churn", 0};
			struct churn_arg del = {prev, NULL, 1};
			if (store_run(cs, churn_fn, &put, &err) != Q_OK ||
			    (prev[0] && store_run(cs, churn_fn, &del, &err) != Q_OK))
				_exit(1);
			snprintf(prev, sizeof prev, "%s", p);
		}
		struct churn_arg del = {prev, NULL, 1};
		int bad = prev[0] && store_run(cs, churn_fn, &del, &err) != Q_OK;
		store_close(cs);
		_exit(bad);
	}
	close(go[1]);
	char g;
	int started = pid > 0 && read(go[0], &g, 1) == 1;
	close(go[0]);
	size_t counts = 0, wrong[3] = {0, 0, 0};
	int64_t t0 = q_now_us();
	while (started && q_now_us() - t0 < 2000000)
		for (int a = 0; a < 3; a++, counts++) {
			size_t n = count(s, I_DOCS_BY_ACCOUNT, still[a]);
			if (n != want[a] && wrong[a]++ < 3)
				diag("count of %s while others commit: %zu, not %zu", still[a], n, want[a]);
		}
	int status = 1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(started && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "count race: the other process put and deleted entries before both ranges");
	ok(counts > 100 && !wrong[0], "count race: a range inside the index counted right (%zu of %zu wrong)",
	   wrong[0], counts / 3);
	ok(counts > 100 && !wrong[1], "count race: a range at the index's end counted right (%zu of %zu wrong)",
	   wrong[1], counts / 3);
	ok(counts > 100 && !wrong[2], "count race: a range of 40 counted right (%zu of %zu wrong)",
	   wrong[2], counts / 3);
	for (int a = 0; a < 3; a++)
		for (size_t i = 0; i < want[a]; i++) {
			snprintf(pk, sizeof pk, "still-%d-%zu", a, i);
			struct churn_arg c = {pk, NULL, 1};
			if (store_run(s, churn_fn, &c, &err) != Q_OK)
				bail_out("still: %s", err.msg);
		}
}

/* ---- compaction ---------------------------------------------------------- */

#define CTERMS 40
#define CBLOCKS 150
#define CVAL 300

struct craw {
	int op;   /* 0 put, 1 delete */
	int term, block;
	const char *tag;
};

static void craw_key(struct store_key *k, const char *tag, int term, int block)
{
	store_key_init(k);
	store_key_str(k, tag);
	store_key_u64(k, (uint64_t)term);
	store_key_u64(k, (uint64_t)block);
}

static void craw_val(unsigned char *v, int term, int block)
{
	for (int i = 0; i < CVAL; i++)
		v[i] = (unsigned char)(term * 31 + block * 7 + i);
}

/* One term's next block per call, the way ingestion writes postings:
 * every term's range grows in the middle of the key space. */
static enum qstatus craw_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct craw *a = arg;
	struct store_key k;
	unsigned char v[CVAL];
	craw_key(&k, a->tag, a->term, a->block);
	if (a->op)
		return store_del_rawkey(t, T_POSTINGS, &k, err);
	craw_val(v, a->term, a->block);
	return store_put_rawkey(t, T_POSTINGS, &k, v, sizeof v, err);
}

struct csum {
	size_t n, bad;
	uint64_t h;
	const char *tag;
};

static int csum_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct csum *c = arg;
	const unsigned char *kk = key, *vv = val;
	for (size_t i = 0; i < klen; i++)
		c->h = (c->h ^ kk[i]) * 1099511628211u;
	for (size_t i = 0; i < vlen; i++)
		c->h = (c->h ^ vv[i]) * 1099511628211u;
	c->n++;
	return 0;
}

static enum qstatus csum_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct csum *c = arg;
	struct store_key k;
	c->n = 0;
	c->h = 14695981039346656037u;
	store_key_init(&k);
	store_key_str(&k, c->tag);
	return store_scan_raw(t, T_POSTINGS, &k, csum_cb, c, err);
}

static int csteps;
static int compact_step(void *arg, const struct store_compact *c)
{
	(void)arg;
	csteps = (int)c->steps;
	return 0;
}

static void test_compact(struct store *s)
{
	struct qerr err;
	struct store_compact c;
	is_int(store_compact(s, "nothing.db", 16, NULL, NULL, &c, &err), Q_ENOTFOUND,
	       "compact: an unknown file is Q_ENOTFOUND");
	ok(store_file_pagesize(s, "postings.db") == 4096 && store_file_pagesize(s, "content.db") == 65536,
	   "compact: the files' page sizes");
	for (int b = 0; b < CBLOCKS; b++)
		for (int t = 0; t < CTERMS; t++) {
			struct craw a = {0, t, b, "cpt"};
			if (store_run(s, craw_fn, &a, &err) != Q_OK)
				bail_out("compact fill: %s", err.msg);
		}
	/* two blocks of three removed, as deleted documents leave them */
	for (int b = 0; b < CBLOCKS; b++)
		for (int t = 0; t < CTERMS; t++) {
			struct craw a = {1, t, b, "cpt"};
			if (b % 3 && store_run(s, craw_fn, &a, &err) != Q_OK)
				bail_out("compact delete: %s", err.msg);
		}
	if (store_checkpoint(s, 1, &err) != Q_OK)
		bail_out("checkpoint: %s", err.msg);
	struct csum before = {.tag = "cpt"}, after = {.tag = "cpt"};
	if (store_run(s, csum_fn, &before, &err) != Q_OK)
		bail_out("checksum: %s", err.msg);

	/* another process writes and reads beside the compaction */
	int go[2], res[2], stop[2];
	if (pipe(go) || pipe(res) || pipe(stop))
		bail_out("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		struct store *cs = NULL;
		char home[PATH_MAX + 8];
		close(go[0]);
		close(res[0]);
		close(stop[1]);
		snprintf(home, sizeof home, "%s/db", dir);
		if (store_open(&cs, home, STORE_JOIN, &err) != Q_OK)
			_exit(1);
		if (write(go[1], "g", 1) != 1)
			_exit(1);
		int n = 0, bad = 0;
		int64_t t0 = q_now_us();
		/* until the compaction ends (stop closed; one write at least), 1.5 s
		 * at most */
		struct pollfd pf = {stop[0], POLLIN, 0};
		for (; q_now_us() - t0 < 1500000 && n < 20000 && (!n || poll(&pf, 1, 0) == 0); n++) {
			struct craw a = {0, n % CTERMS, CBLOCKS + n / CTERMS, "cpt-live"};
			struct csum c2 = {.tag = "cpt-live"};
			if (store_run(cs, craw_fn, &a, &err) != Q_OK ||
			    store_run(cs, csum_fn, &c2, &err) != Q_OK || c2.n != (size_t)n + 1)
				bad++;
		}
		store_close(cs);
		if (write(res[1], &n, sizeof n) != sizeof n)
			_exit(1);
		_exit(bad ? 2 : 0);
	}
	close(go[1]);
	close(res[1]);
	close(stop[0]);
	char g;
	int started = pid > 0 && read(go[0], &g, 1) == 1;
	close(go[0]);
	enum qstatus st = store_compact(s, "postings.db", 16, compact_step, NULL, &c, &err);
	close(stop[1]);   /* the writer stops */
	int status = 1, written = 0;
	if (read(res[0], &written, sizeof written) != sizeof written)
		written = -1;
	close(res[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	is_int(st, Q_OK, "compact: postings.db compacted beside a writer");
	diag("compact: %" PRIu64 " -> %" PRIu64 " bytes, %" PRIu64 " examined, %" PRIu64
	     " freed, %" PRIu64 " given back, %u steps",
	     c.bytes_before, c.bytes_after, c.examined, c.freed, c.truncated, c.steps);
	ok(c.steps > 1 && csteps == (int)c.steps, "compact: in steps of 16 pages freed, each reported (%u)",
	   c.steps);
	ok(c.freed >= 16 && c.truncated > 0, "compact: pages freed and given back to the file system");
	ok(c.bytes_after > 0 && c.bytes_after * 10 < c.bytes_before * 7,
	   "compact: the file at least 30%% smaller (%" PRIu64 " -> %" PRIu64 ")", c.bytes_before,
	   c.bytes_after);
	ok(started && WIFEXITED(status) && WEXITSTATUS(status) == 0 && written > 0,
	   "compact: the other process's %d writes and reads all succeeded", written);
	if (store_run(s, csum_fn, &after, &err) != Q_OK)
		bail_out("checksum: %s", err.msg);
	ok(after.n == before.n && after.h == before.h && before.n == CTERMS * CBLOCKS / 3,
	   "compact: the same %zu records, byte for byte", after.n);
	struct csum live = {.tag = "cpt-live"};
	st = store_run(s, csum_fn, &live, &err);
	ok(st == Q_OK && written > 0 && live.n == (size_t)written,
	   "compact: every write made beside it is there (%zu)", live.n);
	/* with nothing else writing (the writer may have written between the
	 * compaction's end and its stop, growing the file) */
	struct store_compact again;
	st = store_compact(s, "postings.db", 1 << 20, NULL, NULL, &again, &err);
	ok(st == Q_OK && again.steps == 1 && again.bytes_after <= again.bytes_before,
	   "compact: once more in one step, nothing grows");
	struct stat sb;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/db/postings.db", dir);
	ok(stat(path, &sb) == 0 && (uint64_t)sb.st_size == again.bytes_after,
	   "compact: the size it reports is the file's");
	diag("compact again: %" PRIu64 " -> %" PRIu64 " bytes, %" PRIu64 " examined, %" PRIu64
	     " freed, %" PRIu64 " given back, %u steps",
	     again.bytes_before, again.bytes_after, again.examined, again.freed, again.truncated, again.steps);
}

/* A compaction killed part way (after three steps, into the fourth): the owner's recovery
 * leaves every record as it was, and a compaction afterwards finishes. */
static int kill_step(void *arg, const struct store_compact *c)
{
	(void)c;
	return write(*(int *)arg, "s", 1) != 1;
}

static void test_compact_killed(struct store **s)
{
	struct qerr err;
	enum { KTERMS = 40, KBLOCKS = 450 };
	for (int b = 0; b < KBLOCKS; b++)
		for (int t = 0; t < KTERMS; t++) {
			struct craw a = {0, t, b, "cpk"};
			if (store_run(*s, craw_fn, &a, &err) != Q_OK)
				bail_out("kill fill: %s", err.msg);
		}
	for (int b = 0; b < KBLOCKS; b++)
		for (int t = 0; t < KTERMS; t++) {
			struct craw a = {1, t, b, "cpk"};
			if (b % 3 && store_run(*s, craw_fn, &a, &err) != Q_OK)
				bail_out("kill delete: %s", err.msg);
		}
	store_checkpoint(*s, 1, &err);
	struct csum before = {.tag = "cpk"}, after = {.tag = "cpk"}, other = {.tag = "cpt"},
		    other_after = {.tag = "cpt"};
	if (store_run(*s, csum_fn, &before, &err) != Q_OK || store_run(*s, csum_fn, &other, &err) != Q_OK)
		bail_out("checksum: %s", err.msg);
	/* the test lets go of the environment first: a process killed
	 * inside Berkeley DB leaves its mutexes held, and only recovery
	 * (what quired's supervisor runs when a child dies) frees them */
	store_checkpoint(*s, 0, &err);
	store_close(*s);
	*s = NULL;
	int steps[2];
	if (pipe(steps))
		bail_out("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		struct store *cs = NULL;
		char home[PATH_MAX + 8];
		struct store_compact c;
		close(steps[0]);
		snprintf(home, sizeof home, "%s/db", dir);
		if (store_open(&cs, home, STORE_JOIN, &err) != Q_OK)
			_exit(1);
		store_compact(cs, "postings.db", 4, kill_step, &steps[1], &c, &err);
		_exit(3);   /* finished before the kill: the test says so */
	}
	close(steps[1]);
	char buf[8];
	int got = 0;
	while (got < 3 && read(steps[0], buf, 1) == 1)
		got++;
	usleep(3000);   /* into the next step's pages */
	if (pid > 0)
		kill(pid, SIGKILL);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(steps[0]);
	ok(got == 3 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	   "compact killed: the process died by SIGKILL after %d steps", got);
	char home[PATH_MAX + 8];
	snprintf(home, sizeof home, "%s/db", dir);
	is_int(store_open(s, home, STORE_OWNER, &err), Q_OK, "compact killed: the owner recovers");
	if (!*s)
		bail_out("no store after recovery: %s", err.msg);
	if (store_run(*s, csum_fn, &after, &err) != Q_OK || store_run(*s, csum_fn, &other_after, &err) != Q_OK)
		bail_out("checksum: %s", err.msg);
	ok(after.n == before.n && after.h == before.h && other_after.n == other.n && other_after.h == other.h,
	   "compact killed: every record as it was (%zu and %zu)", after.n, other_after.n);
	struct store_compact c;
	enum qstatus st = store_compact(*s, "postings.db", 1 << 20, NULL, NULL, &c, &err);
	ok(st == Q_OK && c.bytes_after < c.bytes_before,
	   "compact killed: a compaction afterwards finishes (%" PRIu64 " -> %" PRIu64 ")", c.bytes_before,
	   c.bytes_after);
	memset(&after, 0, sizeof after);
	after.tag = "cpk";
	ok(store_run(*s, csum_fn, &after, &err) == Q_OK && after.n == before.n && after.h == before.h,
	   "compact killed: ... and leaves them as they were");
}

/* ---- db_region_memory = system ------------------------------------------ */

/* Segments at the 16 keys from key; *first: the id at key itself (-1). */
static int segments_at(long key, int *first)
{
	int n = 0;
	if (first)
		*first = shmget((key_t)key, 0, 0);
	for (int i = 0; i < 16; i++)
		n += shmget((key_t)(key + i), 0, 0) >= 0;
	return n;
}

static off_t db001_size(const char *home)
{
	char path[PATH_MAX + 16];
	struct stat st;
	snprintf(path, sizeof path, "%s/__db.001", home);
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* A process that opens home as owner and dies by SIGKILL, as a killed
 * quired: its segments stay behind. */
static void owner_killed(const char *home)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct store *o;
		struct qerr err;
		if (store_open(&o, home, STORE_OWNER, &err) != Q_OK)
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status), "regions: an owner killed by SIGKILL");
}

static void test_region_memory(void)
{
	char a[PATH_MAX + 16], b[PATH_MAX + 16];
	struct qerr err;
	struct store *s, *j;
	snprintf(a, sizeof a, "%s/sysmem-a", dir);
	snprintf(b, sizeof b, "%s/sysmem-b", dir);
	mkdir(a, 0700);
	mkdir(b, 0700);
	long ka = store_shm_key(a), kb = store_shm_key(b);
	ok(ka > 0 && kb > 0 && ka % 16 == 0 && kb % 16 == 0, "regions: keys %#lx and %#lx, positive, "
	   "spaced by 16", ka, kb);
	ok(ka != kb, "regions: two data directories get different keys");
	is_int(store_shm_key(a), ka, "regions: the same directory gets its key again");
	ok(segments_at(ka, NULL) == 0, "regions: nothing at the keys before (else another test "
	   "run's leftovers)");

	/* In System V memory: __db.001 is the 24-byte reference; a joiner
	 * (another process) needs no key and sees the data, and so does
	 * db5.3_stat. */
	store_set_cache_mb(16);
	store_set_region_memory(1);
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: the owner opens in system memory");
	ok(s && store_regions_system(s), "regions: ... and its regions are System V segments");
	int first = -1, n = segments_at(ka, &first);
	ok(n >= 1 && first >= 0, "regions: %d segments at the directory's keys", n);
	is_int(db001_size(a), 24, "regions: __db.001 is the 24-byte reference");
	json_t *rec = json_pack("{s:s}", "title", "in system memory");
	is_int(put(s, T_DOCS, "sys1", rec), Q_OK, "regions: a record written");
	json_decref(rec);
	store_close(s);
	pid_t pid = fork();
	if (pid == 0) {
		struct qerr e2;
		if (store_open(&j, a, STORE_JOIN, &e2) != Q_OK)
			_exit(2);
		json_t *r = get(j, T_DOCS, "sys1");
		int good = r && store_regions_system(j)
			   && !strcmp(json_string_value(json_object_get(r, "title")), "in system memory");
		json_decref(r);
		store_close(j);
		_exit(good ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "regions: a joining process sees the record (status %d)", status);
	/* db5.3-util is a build dependency (scripts/deps.sh). */
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "db5.3_stat -e -h '%s' >/dev/null 2>&1", a);
	is_int(system(cmd), 0, "regions: db5.3_stat -e reads the environment");

	/* kill -9 leaves the segments; the next owner replaces them, the
	 * count at the keys does not grow, the data is there. */
	owner_killed(a);
	int killed_first = -1;
	is_int(segments_at(ka, &killed_first), n, "regions: the killed owner's segments stayed");
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: the next owner recovers");
	int now_first = -1;
	is_int(segments_at(ka, &now_first), n, "regions: ... the segment count did not grow");
	ok(now_first >= 0 && now_first != killed_first, "regions: ... the killed owner's were replaced");
	rec = s ? get(s, T_DOCS, "sys1") : NULL;
	ok(rec != NULL, "regions: ... the record is there");
	json_decref(rec);
	store_close(s);

	/* The same with __db.001 lost (deleted by hand): the segments a dead
	 * process of ours left at the keys are replaced all the same. */
	owner_killed(a);
	char ref[PATH_MAX + 16];
	snprintf(ref, sizeof ref, "%s/__db.001", a);
	unlink(ref);
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: reference lost: the owner opens");
	ok(s && store_regions_system(s), "regions: reference lost: ... in system memory");
	is_int(segments_at(ka, NULL), n, "regions: reference lost: ... the segment count did not grow");
	store_close(s);

	/* What quired does at a clean stop. */
	is_int(store_remove_regions(a), 0, "regions: removed at the stop");
	is_int(segments_at(ka, NULL), 0, "regions: ... no segment left at the keys");
	is_int(db001_size(a), -1, "regions: ... nor __db.001");

	/* Someone else's segment at one of the keys, attached: Berkeley DB
	 * would remove it. The owner falls back to files and leaves it. */
	int fid = shmget((key_t)(ka + 1), 4096, IPC_CREAT | IPC_EXCL | 0600);
	char *fmem = fid >= 0 ? shmat(fid, NULL, 0) : (void *)-1;
	ok(fmem != (void *)-1, "regions: a foreign segment at key + 1");
	if (fmem != (void *)-1)
		strcpy(fmem, "not quire's");
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: foreign: the owner opens");
	ok(s && !store_regions_system(s), "regions: foreign: ... in files");
	ok(db001_size(a) > 24, "regions: foreign: ... __db.001 is a region file");
	rec = s ? get(s, T_DOCS, "sys1") : NULL;
	ok(rec != NULL, "regions: foreign: ... with the data");
	json_decref(rec);
	store_close(s);
	struct shmid_ds ds;
	ok(shmget((key_t)(ka + 1), 0, 0) == fid && shmctl(fid, IPC_STAT, &ds) == 0
	   && !(ds.shm_perm.mode & SHM_DEST) && fmem != (void *)-1 && !strcmp(fmem, "not quire's"),
	   "regions: foreign: the segment is untouched");
	/* Not attached any more, but still not this directory's: the same. */
	if (fmem != (void *)-1)
		shmdt(fmem);
	is_int(store_open(&s, b, STORE_OWNER, &err), Q_OK, "regions: another directory opens");
	ok(s && store_regions_system(s), "regions: ... in system memory (its own keys are free)");
	store_close(s);
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: detached foreign: the owner opens");
	ok(s && !store_regions_system(s), "regions: detached foreign: ... in files");
	store_close(s);
	ok(shmget((key_t)(ka + 1), 0, 0) == fid, "regions: detached foreign: the segment is there");
	shmctl(fid, IPC_RMID, NULL);
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: key free again: the owner opens");
	ok(s && store_regions_system(s), "regions: key free again: ... in system memory");
	store_close(s);

	/* Back to files after a kill -9 in system memory: the owner removes
	 * the left segments first. */
	owner_killed(a);
	ok(segments_at(ka, NULL) == n, "regions: to files: the killed owner's segments stayed");
	store_set_region_memory(0);
	is_int(store_open(&s, a, STORE_OWNER, &err), Q_OK, "regions: to files: the owner opens");
	ok(s && !store_regions_system(s), "regions: to files: ... in files");
	is_int(segments_at(ka, NULL), 0, "regions: to files: ... no segment left");
	rec = s ? get(s, T_DOCS, "sys1") : NULL;
	ok(rec != NULL, "regions: to files: ... the record is there");
	json_decref(rec);
	store_close(s);
	/* The kernel refuses the segments: in a private IPC namespace (root
	 * only) with kernel.shmmax at 1 MiB, the owner falls back to files. */
	pid = fork();
	if (pid == 0) {
		FILE *mx;
		if (unshare(CLONE_NEWIPC) < 0 || !(mx = fopen("/proc/sys/kernel/shmmax", "w")))
			_exit(77);
		if (fputs("1048576\n", mx) < 0 || fclose(mx) != 0)
			_exit(77);
		struct store *o;
		struct qerr e2;
		store_set_region_memory(1);
		if (store_open(&o, a, STORE_OWNER, &e2) != Q_OK)
			_exit(2);
		json_t *r = get(o, T_DOCS, "sys1");
		int good = !store_regions_system(o) && db001_size(a) > 24 && r;
		json_decref(r);
		store_close(o);
		_exit(good ? 0 : 1);
	}
	status = -1;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		ok(1, "regions: refused # SKIP no private IPC namespace (not root)");
	else
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "regions: refused (shmmax 1 MiB): the owner opens in files, with the data (status %d)",
		   status);
	store_remove_regions(b);
	is_int(segments_at(kb, NULL), 0, "regions: nothing left at either directory's keys");
	store_set_cache_mb(256);
}

int main(void)
{
	unit_tmpdir(dir, "store");
	struct store *s = unit_store(dir);
	test_keys();
	test_records(s);
	test_raw(s);
	test_scan_bulk(s);
	test_index(s);
	test_check_finds(s);
	test_seen(s);
	test_backup(s);
	test_deadlock_rerun(s);
	test_named_lock(s);
	test_count_racing(s);
	test_compact(s);
	test_compact_killed(&s);
	test_reopen(&s);
	test_region_memory();
	ok(!store_panicked(s), "no panic");
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
