/* bench_authtiming.c: timing of a right prefix with a wrong secret against
 * an unknown prefix (RELIABILITY A2): both distributions and a comparison. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_authtiming [N]: a store of 1,000 keys; N (default 100,000) lookups
 * per case, the cases interleaved in random order, each timed around
 * store_run(auth_lookup) as a request runs it:
 *   prefix   the first 60 of an existing key's 64 secret digits, the last 4
 *            changed, checksum valid (reaches the keys table)
 *   unknown  a random secret, checksum valid (reaches the keys table)
 *   typo     a random secret with a wrong checksum (refused before the
 *            table: the control, a difference the comparison must see)
 * Prints percentiles of each and, for prefix against unknown and for typo
 * against unknown, the Mann-Whitney U test (z, two-sided p) and the
 * two-sample Kolmogorov-Smirnov statistic D (asymptotic p). Never gates. */
#include "config.h"
#include "base/util.h"
#include "http/auth.h"
#include "store/store.h"
#include "bench_stats.h"

#include <jansson.h>
#include <math.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEYS 1000
enum { C_PREFIX, C_UNKNOWN, C_TYPO, C_N };
static const char *const names[C_N] = {"prefix", "unknown", "typo"};

static char stored[KEYS][AUTH_KEY_LEN + 1];

/* The checksum of a key's 64 secret digits (auth.h): the first 4 bytes of
 * SHA-256("quire:" + secret), in hex, written after the secret. */
static void seal(char *key)
{
	unsigned char buf[6 + 64], d[SHA256_DIGEST_LENGTH];
	memcpy(buf, "quire:", 6);
	memcpy(buf + 6, key + 8, 64);
	SHA256(buf, sizeof buf, d);
	for (int i = 0; i < 4; i++)
		sprintf(key + 72 + 2 * i, "%02x", d[i]);
}

static void random_hex(char *p, size_t n)
{
	unsigned char b[64];
	q_random(b, n);
	for (size_t i = 0; i < n; i++)
		p[i] = "0123456789abcdef"[b[i] & 15];
}

static void make_key(int c, char *key)
{
	if (c == C_PREFIX) {
		unsigned r;
		q_random(&r, sizeof r);
		memcpy(key, stored[r % KEYS], AUTH_KEY_LEN + 1);
		random_hex(key + 8 + 60, 4);
		seal(key);
		if (!memcmp(key, stored[r % KEYS], AUTH_KEY_LEN))
			key[8 + 63] = key[8 + 63] == '0' ? '1' : '0', seal(key);
		return;
	}
	memcpy(key, AUTH_KEY_PREFIX, 8);
	random_hex(key + 8, 64);
	key[AUTH_KEY_LEN] = 0;
	seal(key);
	if (c == C_TYPO)
		key[79] = key[79] == '0' ? '1' : '0';
}

static enum qstatus add_fn(struct stxn *t, void *arg, struct qerr *err)
{
	char *key = arg, hash[AUTH_HASH_HEX], id[AUTH_KEY_ID_LEN + 1];
	enum qstatus st = auth_key_new(key, hash, err);
	if (st != Q_OK)
		return st;
	auth_key_id(hash, id);
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:b}", "hash", hash, "key_id", id,
				"account", "bench", "name", "", "scopes", 7, "created_us",
				(json_int_t)q_now_us(), "revoked", 0);
	st = store_put(t, T_KEYS, hash, rec, err);
	json_decref(rec);
	return st;
}

struct look {
	const char *key;
	enum qstatus got;
};

static enum qstatus look_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct look *l = arg;
	struct principal who;
	l->got = auth_lookup(t, l->key, strlen(l->key), &who, err);
	return l->got == Q_EAUTH ? Q_OK : l->got;
}

static void percentiles(const char *name, double *v, size_t n)
{
	bench_sort(v, n);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("%-8s n=%zu  mean %.2f us  p1 %.2f  p10 %.2f  p50 %.2f  p90 %.2f  p99 %.2f  "
	       "p99.9 %.2f\n", name, n, sum / n, bench_pct(v, n, 10), bench_pct(v, n, 100),
	       bench_pct(v, n, 500), bench_pct(v, n, 900), bench_pct(v, n, 990),
	       bench_pct(v, n, 999));
}

/* a and b sorted. Mann-Whitney z (ties averaged) and KS D, with p. */
static void compare(const char *what, const double *a, size_t na, const double *b, size_t nb)
{
	double ra = 0, d = 0;
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		double x = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j];
		size_t ti = i, tj = j;
		while (ti < na && a[ti] == x)
			ti++;
		while (tj < nb && b[tj] == x)
			tj++;
		double rank = (double)(i + j) + ((double)(ti - i) + (double)(tj - j) + 1) / 2;
		ra += rank * (double)(ti - i);
		i = ti;
		j = tj;
		double diff = fabs((double)i / na - (double)j / nb);
		if (diff > d)
			d = diff;
	}
	double u = ra - (double)na * (na + 1) / 2, mu = (double)na * nb / 2;
	double sigma = sqrt((double)na * nb * (na + nb + 1) / 12.0);
	double z = (u - mu) / sigma, pu = erfc(fabs(z) / sqrt(2));
	double ne = (double)na * nb / (na + nb), lambda = (sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) * d;
	double pk = 0;
	for (int k = 1; k <= 100; k++)
		pk += 2 * ((k & 1) ? 1 : -1) * exp(-2.0 * k * k * lambda * lambda);
	if (pk > 1)
		pk = 1;
	if (pk < 0)
		pk = 0;
	printf("%-18s Mann-Whitney z %+.2f (p %.3g), P(a < b) %.4f; KS D %.4f (p %.3g)\n", what, z,
	       pu, u / ((double)na * nb), d, pk);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/quire-authtiming-XXXXXX", home[64], cmd[128];
	struct store *s;
	struct qerr err;
	if (n < 100 || !mkdtemp(dir))
		return 2;
	snprintf(home, sizeof home, "%s/db", dir);
	if (store_open(&s, home, STORE_OWNER, &err) != Q_OK) {
		fprintf(stderr, "store: %s\n", err.msg);
		return 1;
	}
	auth_init();
	for (int i = 0; i < KEYS; i++)
		if (store_run(s, add_fn, stored[i], &err) != Q_OK) {
			fprintf(stderr, "key: %s\n", err.msg);
			return 1;
		}
	double *t[C_N];
	size_t got[C_N] = {0};
	for (int c = 0; c < C_N; c++)
		if (!(t[c] = malloc(n * sizeof **t)))
			return 1;
	/* warm the cache and the code paths */
	for (size_t i = 0; i < 2000; i++) {
		char key[AUTH_KEY_LEN + 1];
		struct look l = {key, Q_OK};
		make_key((int)(i % C_N), key);
		store_run(s, look_fn, &l, &err);
	}
	while (got[C_PREFIX] < n || got[C_UNKNOWN] < n || got[C_TYPO] < n) {
		unsigned r;
		q_random(&r, sizeof r);
		int c = (int)(r % C_N);
		if (got[c] == n)
			continue;
		char key[AUTH_KEY_LEN + 1];
		struct look l = {key, Q_OK};
		struct timespec a, b;
		make_key(c, key);
		clock_gettime(CLOCK_MONOTONIC, &a);
		enum qstatus st = store_run(s, look_fn, &l, &err);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (st != Q_OK || l.got != Q_EAUTH) {
			fprintf(stderr, "a %s key was not refused\n", names[c]);
			return 1;
		}
		t[c][got[c]++] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
	}
	printf("auth_lookup in store_run, %d stored keys, %zu lookups per case, interleaved\n", KEYS,
	       n);
	for (int c = 0; c < C_N; c++)
		percentiles(names[c], t[c], n);
	compare("prefix vs unknown", t[C_PREFIX], n, t[C_UNKNOWN], n);
	compare("typo vs unknown", t[C_TYPO], n, t[C_UNKNOWN], n);
	printf("(the typo control must differ; prefix vs unknown should not)\n");
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
