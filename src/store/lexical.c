/* lexical.c: the keyword index's writers (postings blocks, chunk
 * numbers, collection statistics) and the reading of query words. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/lexical_impl.h"
#include "store/postings.h"
#include "store/store.h"
#include "base/util.h"
#include "text/text_compound.h"
#include "text/text_langid.h"
#include "text/text_spelling.h"
#include "text/text_stem.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEXICAL_ACCOUNT_SEED 0x6c6578   /* text_hash seed of the postings' account tag */

/* A small set of terms with counts, for one chunk: its body's stems and
 * compounds, and its fields' stems after their byte (lexical.h). */
#define TERM_MAX (TEXT_TOKEN_MAX + 1)
struct termset {
	struct tentry {
		char term[TERM_MAX];
		unsigned char len;
		unsigned tf;
	} *v;
	size_t n, alloc, total;
	enum text_lang lang;
	char prefix;              /* of the terms being added: 0 body, LEXICAL_FIELD_* */
	int oom;
};

static int add_term(struct termset *s, const char *tok, size_t len)
{
	size_t slen, pre = s->prefix != 0;
	char term[TERM_MAX];
	const char *stem = text_stem(text_stemmer_get(s->lang), tok, len, &slen);
	term[0] = s->prefix;
	memcpy(term + pre, stem, slen);
	slen += pre;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].len == slen && !memcmp(s->v[i].term, term, slen)) {
			s->v[i].tf++;
			return 0;
		}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 64;
		void *p = realloc(s->v, na * sizeof *s->v);
		if (!p) {
			s->oom = 1;
			return 1;
		}
		s->v = p;
		s->alloc = na;
	}
	memcpy(s->v[s->n].term, term, slen);
	s->v[s->n].len = (unsigned char)slen;
	s->v[s->n].tf = 1;
	s->n++;
	return 0;
}

/* A word: a term unless a stop word; a body word counts in the length. */
static int add_token(const char *tok, size_t len, void *arg)
{
	struct termset *s = arg;
	if (text_is_stop(s->lang, tok, len))
		return 0;
	if (!s->prefix)
		s->total++;
	return add_term(s, tok, len);
}

/* A compound: a term beside its parts, not counted in the length. */
static int add_compound(const char *tok, size_t len, void *arg)
{
	return add_term(arg, tok, len);
}

/* The terms of text (NULL: none) with prefix added to s. */
static void field_terms(struct termset *s, const char *text, char prefix)
{
	if (!text || !*text || s->oom)
		return;
	s->prefix = prefix;
	text_tokens(text, strlen(text), add_token, s);
	if (!s->oom)
		text_compounds(text, strlen(text), add_compound, s);
	if (!s->oom)
		text_cjk_bigrams(text, strlen(text), add_compound, s);
	s->prefix = 0;
}

/* The terms of a chunk. The title is left out of the chunk whose text
 * holds it (usually the first): its words count there already, and
 * twice they would favour that chunk over the document's others. */
static void terms_of(const struct lexical_chunk *c, struct termset *s)
{
	const char *body = c->text ? c->text : "";
	memset(s, 0, sizeof *s);
	s->lang = c->lang;
	field_terms(s, body, 0);
	if (c->title && *c->title && !strstr(body, c->title))
		field_terms(s, c->title, LEXICAL_FIELD_TITLE);
	field_terms(s, c->section, LEXICAL_FIELD_SECTION);
}

/* The body terms of text as a chunk in lang is indexed (stems of its
 * words that are not stop words; no compounds or pairs), each with its
 * count, and the text's length in terms. */
enum qstatus lexical_text_terms(const char *text, enum text_lang lang, lexical_term_fn cb,
				void *arg, struct qerr *err)
{
	struct termset s;
	enum qstatus st = Q_OK;
	memset(&s, 0, sizeof s);
	s.lang = lang;
	if (text)
		text_tokens(text, strlen(text), add_token, &s);
	if (s.oom) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.n; i++)
		cb(s.v[i].term, s.v[i].len, s.v[i].tf, s.total, arg);
out:
	free(s.v);
	return st;
}

/* The account's tag in its keys: 8 bytes, not the id's 36, since
 * postings are most of the store. Two accounts whose ids hash alike
 * (2^-64) would share statistics, never results: search filters every
 * chunk by its document's account. */
uint64_t lexical_tag(const char *account)
{
	return text_hash(account, strlen(account), LEXICAL_ACCOUNT_SEED);
}

void lexical_term_key(struct store_key *k, uint64_t tag, const char *term, size_t len)
{
	char t[TEXT_TOKEN_MAX];
	if (len >= TEXT_TOKEN_MAX)
		len = TEXT_TOKEN_MAX - 1;
	memcpy(t, term, len);
	t[len] = '\0';
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, t);
}

void lexical_key_u32(struct store_key *k, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		k->b[k->len++] = (unsigned char)(v >> (8 * i));
}

void lexical_num_key(struct store_key *k, uint64_t tag, long long num)
{
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, "\001n");
	if (num >= 0)
		lexical_key_u32(k, (uint32_t)num);
}

void lexical_chunk_key(struct store_key *k, uint64_t tag, const char *chunk_key)
{
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, "\001k");
	store_key_str(k, chunk_key);
}

double lexical_idf(double n, double df)
{
	return log(1.0 + (n - df + 0.5) / (df + 0.5));
}

enum qstatus lexical_chunk_num(struct stxn *t, uint64_t tag, const char *chunk_key, uint32_t *num,
			       struct qerr *err)
{
	struct store_key k;
	unsigned char v[4];
	size_t len;
	if (strlen(chunk_key) > STORE_KEY_MAX - 16)
		return qerr_set(err, Q_ENOTFOUND, NULL, "chunk key too long");
	lexical_chunk_key(&k, tag, chunk_key);
	enum qstatus st = store_get_rawkey(t, T_POSTINGS, &k, v, sizeof v, &len, 0, err);
	if (st == Q_OK && len != 4)
		return qerr_set(err, Q_ENOTFOUND, NULL, "not a chunk number");
	if (st == Q_OK)
		memcpy(num, v, 4);
	return st;
}

/* T_STATS key of an account's statistics. */
static void stats_key(const char *account, char *out, size_t n)
{
	snprintf(out, n, "bm25:%s", account);
}

/* The index's version record: LEXICAL_VERSION, partial while a rebuild
 * has not ended. */
static enum qstatus version_put(struct stxn *t, int partial, struct qerr *err)
{
	json_t *rec = partial ? json_pack("{s:i,s:b}", "v", LEXICAL_VERSION, "partial", 1)
			      : json_pack("{s:i}", "v", LEXICAL_VERSION);
	enum qstatus st = rec ? store_put(t, T_STATS, "bm25", rec, err)
			      : qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	json_decref(rec);
	return st;
}

/* The version record, written with the first chunk indexed. */
static enum qstatus version_mark(struct stxn *t, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	if (st == Q_OK) {
		json_decref(rec);
		return Q_OK;
	}
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	return version_put(t, 0, err);
}

/* The mark of an index being cleared (lexical_clear_begin to
 * lexical_clear_end): its own record, read by every writer without
 * parsing. */
#define CLEARING_KEY "bm25-clearing"

/* *on 1 while the index is being cleared. The read lock is held to the
 * transaction's end, so the clearing's first and last steps wait for a
 * writer that read the mark the other way. */
static enum qstatus clearing(struct stxn *t, int *on, struct qerr *err)
{
	/* the key as store_put_raw writes it (no terminating 0), read into
	 * a buffer on the stack: every chunk indexed or removed asks */
	struct store_key k;
	char v[8];
	size_t len;
	store_key_init(&k);
	memcpy(k.b, CLEARING_KEY, sizeof CLEARING_KEY - 1);
	k.len = sizeof CLEARING_KEY - 1;
	enum qstatus st = store_get_rawkey(t, T_STATS, &k, v, sizeof v, &len, 0, err);
	*on = st == Q_OK || st == Q_ENOMEM;   /* present, whatever its value */
	if (st == Q_ENOTFOUND || st == Q_ENOMEM) {
		qerr_clear(err);
		st = Q_OK;
	}
	return st;
}

/* An account's chunk count and length, its next chunk number, an epoch
 * (a rebuild starts numbering over: a process's table of chunk numbers
 * must then be read anew), and its chunks per language ("langs", by enum
 * text_lang: what a query of no clear language is read as,
 * lexical_query_langs), and a random "gen" changed with every change
 * (the postings cache's check). One record per account: writers of different
 * accounts never wait on each other's statistics. *num (when not NULL)
 * gets a new chunk number. */
static enum qstatus stats_add(struct stxn *t, const char *account, long chunks, long terms,
			      enum text_lang lang, uint32_t *num, double *avgdl, struct qerr *err)
{
	json_t *rec;
	char key[STORE_KEY_MAX];
	stats_key(account, key, sizeof key);
	enum qstatus st = store_get(t, T_STATS, key, &rec, STORE_RMW, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		if ((st = version_mark(t, err)) != Q_OK)
			return st;
		rec = json_pack("{s:I, s:I, s:I, s:I}", "n", (json_int_t)0, "len", (json_int_t)0,
				"next", (json_int_t)0, "epoch", (json_int_t)q_now_us());
	} else if (st != Q_OK) {
		return st;
	}
	json_int_t n = json_integer_value(json_object_get(rec, "n")) + chunks;
	json_int_t len = json_integer_value(json_object_get(rec, "len")) + terms;
	json_object_set_new(rec, "n", json_integer(n > 0 ? n : 0));
	json_object_set_new(rec, "len", json_integer(len > 0 ? len : 0));
	/* chunks added and removed, ever: how far stored word contexts are
	 * behind (search_word_context_stale) */
	json_object_set_new(rec, "ch", json_integer(json_integer_value(json_object_get(rec, "ch")) +
						    (chunks < 0 ? -chunks : chunks)));
	if (avgdl)
		*avgdl = n > 0 && len > 0 ? (double)len / (double)n : 1;
	if (num) {
		json_int_t next = json_integer_value(json_object_get(rec, "next"));
		*num = (uint32_t)next;
		json_object_set_new(rec, "next", json_integer(next + 1));
	}
	json_t *langs = json_object_get(rec, "langs");
	if (!json_is_array(langs)) {
		langs = json_array();
		json_object_set_new(rec, "langs", langs);
	}
	while (json_array_size(langs) < LANG_MAX)
		json_array_append_new(langs, json_integer(0));
	if (lang < LANG_MAX) {
		json_int_t c = json_integer_value(json_array_get(langs, lang)) + chunks;
		json_array_set_new(langs, lang, json_integer(c > 0 ? c : 0));
	}
	/* a fresh nonce with every change: a process's cached postings of the
	 * account hold for as long as it reads the same (lexical_query.c); a
	 * random one, so a change rolled back never names another change */
	uint32_t gen = 0;
	if (q_random(&gen, sizeof gen) < 0)
		gen = (uint32_t)q_now_us();
	json_object_set_new(rec, "gen", json_integer((json_int_t)gen));
	st = store_put(t, T_STATS, key, rec, err);
	json_decref(rec);
	return st;
}

/* A term's head record: its pending postings (not yet sealed into a
 * block), then its df and how many are pending (lexical.h). Appending
 * rewrites it with the new postings at the end: Berkeley DB logs the
 * bytes between the old and new records' common prefix and suffix, so a
 * rewrite logs the new postings and the counts, not the record. The
 * pending postings used to be records of their own, one put when written
 * and one delete when sealed: most of an ingestion's log (LEXICAL_VERSION
 * 6). */
struct head {
	uint32_t df, npend;
	uint32_t num[POSTINGS_BLOCK], tf[POSTINGS_BLOCK], dl[POSTINGS_BLOCK];
	size_t bytes;   /* the pending postings' encoded size */
};

/* Sealed early past this many bytes of pending postings: heads stay
 * small items of postings.db's 4 KiB pages (no overflow pages). */
#define HEAD_PENDING_BYTES 768
#define HEAD_MAX (HEAD_PENDING_BYTES + 3 * 5 + 5)

/* A head's bytes into h: 0, or -1 when they are not a head of this
 * layout (h left empty). */
static int head_decode(const unsigned char *buf, size_t len, struct head *h)
{
	size_t o = 0;
	uint32_t prev = 0;
	h->df = h->npend = 0;
	h->bytes = 0;
	if (len < 5 || buf[len - 1] >= POSTINGS_BLOCK)
		return -1;
	uint32_t n = buf[len - 1], df = lexical_u32_at(buf + len - 5);
	for (uint32_t i = 0; i < n; i++) {
		size_t a, b, c;
		uint32_t gap;
		if (!(a = varint_get(buf + o, len - 5 - o, &gap)) ||
		    !(b = varint_get(buf + o + a, len - 5 - o - a, &h->tf[i])) ||
		    !(c = varint_get(buf + o + a + b, len - 5 - o - a - b, &h->dl[i])) ||
		    (i && !gap))
			return -1;
		h->num[i] = prev += gap;
		o += a + b + c;
	}
	if (o != len - 5)
		return -1;
	h->df = df;
	h->npend = n;
	h->bytes = o;
	return 0;
}

int lexical_head_pending(const void *val, size_t vlen, uint32_t *df, struct pblock *tail,
			 double avgdl)
{
	struct head h;
	*df = 0;
	if (vlen > HEAD_MAX || head_decode(val, vlen, &h))
		return -1;
	*df = h.df;
	for (uint32_t i = 0; i < h.npend; i++)
		if (pblock_append(tail, h.num[i], h.tf[i], h.dl[i], avgdl))
			return -1;
	return 0;
}

static size_t head_encode(const struct head *h, unsigned char *buf)
{
	size_t o = 0;
	for (uint32_t i = 0; i < h->npend; i++) {
		o += varint_put(buf + o, i ? h->num[i] - h->num[i - 1] : h->num[0]);
		o += varint_put(buf + o, h->tf[i]);
		o += varint_put(buf + o, h->dl[i]);
	}
	buf[o++] = (unsigned char)(h->df >> 24);
	buf[o++] = (unsigned char)(h->df >> 16);
	buf[o++] = (unsigned char)(h->df >> 8);
	buf[o++] = (unsigned char)h->df;
	buf[o++] = (unsigned char)h->npend;
	return o;
}

static enum qstatus head_get(struct stxn *t, const struct store_key *k, struct head *h,
			     struct store_rawcur *cur, struct qerr *err)
{
	unsigned char buf[HEAD_MAX];
	size_t len;
	enum qstatus st = cur ? store_rawcur_get(t, T_POSTINGS, k, buf, sizeof buf, &len, cur, err)
			      : store_get_rawkey(t, T_POSTINGS, k, buf, sizeof buf, &len, STORE_RMW,
						 err);
	h->df = h->npend = 0;
	h->bytes = 0;
	if (st == Q_ENOTFOUND || st == Q_ENOMEM) {   /* absent, or not ours (an older layout) */
		qerr_clear(err);
		if (cur)
			cur->positioned = 0;   /* written anew, as a put would */
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	head_decode(buf, len, h);
	return Q_OK;
}

/* The head written back (through cur when the read took one: the same
 * record, no second search), or deleted when it holds nothing. */
static enum qstatus head_put(struct stxn *t, const struct store_key *k, const struct head *h,
			     struct store_rawcur *cur, struct qerr *err)
{
	unsigned char buf[HEAD_MAX];
	if (!h->df && !h->npend) {
		if (cur)
			store_rawcur_close(cur);
		enum qstatus st = store_del_rawkey(t, T_POSTINGS, k, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
		}
		return st;
	}
	size_t n = head_encode(h, buf);
	return cur ? store_rawcur_put(t, cur, k, buf, n, err)
		   : store_put_rawkey(t, T_POSTINGS, k, buf, n, err);
}

/* The head's pending postings become one sealed block (under its last
 * number); the head keeps none. */
static enum qstatus seal(struct stxn *t, const struct store_key *term, struct head *h,
			 double avgdl, struct qerr *err)
{
	struct pblock b;
	unsigned char buf[POSTINGS_BLOCK_BYTES];
	memset(&b, 0, sizeof b);
	for (uint32_t i = 0; i < h->npend; i++)
		if (pblock_append(&b, h->num[i], h->tf[i], h->dl[i], avgdl))
			return qerr_set(err, Q_EINTERNAL, NULL, "pending postings damaged");
	struct store_key bk = *term;
	lexical_key_u32(&bk, b.doc[b.n - 1]);
	h->npend = 0;
	h->bytes = 0;
	return store_put_rawkey(t, T_POSTINGS, &bk, buf, pblock_encode(&b, buf), err);
}

/* A posting to write: a chunk's entry for one term of an account. */
struct bposting {
	uint64_t tag;
	struct tentry e;
	uint32_t num, dl;
	double avgdl;
};

/* One term's postings v[0..n) appended to its head's pending ones,
 * sealed into a block when POSTINGS_BLOCK (or HEAD_PENDING_BYTES) are
 * pending; the head read and written once (posting_add: one;
 * lexical_batch_write: a batch's, the same records). */
static enum qstatus term_write(struct stxn *t, const struct bposting *v, size_t n,
			       struct qerr *err)
{
	struct store_key k;
	struct head h;
	unsigned char tmp[15];
	struct store_rawcur cur;
	lexical_term_key(&k, v[0].tag, v[0].e.term, v[0].e.len);
	enum qstatus st = head_get(t, &k, &h, &cur, err);
	for (size_t i = 0; st == Q_OK && i < n; i++) {
		uint32_t tf = v[i].e.tf > 65535 ? 65535 : v[i].e.tf;
		if (h.npend && v[i].num <= h.num[h.npend - 1]) {
			st = qerr_set(err, Q_EINTERNAL, NULL, "postings out of order");
			break;
		}
		h.num[h.npend] = v[i].num;
		h.tf[h.npend] = tf;
		h.dl[h.npend] = v[i].dl;
		h.bytes += varint_put(tmp, h.npend ? v[i].num - h.num[h.npend - 1] : v[i].num);
		h.bytes += varint_put(tmp, tf) + varint_put(tmp, v[i].dl);
		h.npend++;
		h.df++;
		if (h.npend >= POSTINGS_BLOCK || h.bytes >= HEAD_PENDING_BYTES)
			st = seal(t, &k, &h, v[i].avgdl, err);
	}
	if (st != Q_OK) {
		store_rawcur_close(&cur);
		return st;
	}
	return head_put(t, &k, &h, &cur, err);
}

/* Append chunk num to a term's postings. */
static enum qstatus posting_add(struct stxn *t, uint64_t tag, const struct tentry *e, uint32_t num,
				uint32_t dl, double avgdl, struct qerr *err)
{
	struct bposting p = {tag, *e, num, dl, avgdl};
	return term_write(t, &p, 1, err);
}

/* The first sealed block of a term at or after from: its key and bytes. */
struct sealed {
	size_t plen;
	struct store_key k;
	unsigned char v[POSTINGS_BLOCK_BYTES];
	size_t vlen;
	int found;
};

static int sealed_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct sealed *s = arg;
	if (klen != s->plen + 4 || vlen > sizeof s->v)
		return 0;
	memcpy(s->k.b, key, klen);
	s->k.len = klen;
	memcpy(s->v, val, vlen);
	s->vlen = vlen;
	s->found = 1;
	return 1;
}

/* Remove chunk num from a sealed block (the first whose last number is
 * num or above); *removed 1 when it was there. */
static enum qstatus sealed_remove(struct stxn *t, const struct store_key *prefix, uint32_t num,
				  int *removed, struct qerr *err)
{
	struct sealed s;
	struct pblock b;
	struct store_key from = *prefix;
	s.plen = prefix->len;
	s.found = 0;
	*removed = 0;
	lexical_key_u32(&from, num);
	enum qstatus st = store_scan_raw_from(t, T_POSTINGS, prefix, &from, sealed_cb, &s, err);
	if (st != Q_OK || !s.found || pblock_decode(s.v, s.vlen, &b) || !pblock_remove(&b, num))
		return st;
	*removed = 1;
	if (!b.n)
		return store_del_rawkey(t, T_POSTINGS, &s.k, err);
	s.vlen = pblock_encode(&b, s.v);
	return store_put_rawkey(t, T_POSTINGS, &s.k, s.v, s.vlen, err);
}

static enum qstatus posting_remove(struct stxn *t, uint64_t tag, const struct tentry *e,
				   uint32_t num, struct qerr *err)
{
	struct store_key k;
	struct head h;
	int removed = 0;
	lexical_term_key(&k, tag, e->term, e->len);
	enum qstatus st = head_get(t, &k, &h, NULL, err);
	if (st != Q_OK)
		return st;
	for (uint32_t i = 0; i < h.npend && !removed; i++) {
		if (h.num[i] != num)
			continue;
		memmove(h.num + i, h.num + i + 1, (h.npend - i - 1) * sizeof *h.num);
		memmove(h.tf + i, h.tf + i + 1, (h.npend - i - 1) * sizeof *h.tf);
		memmove(h.dl + i, h.dl + i + 1, (h.npend - i - 1) * sizeof *h.dl);
		h.npend--;
		removed = 1;
	}
	if (!removed)
		st = sealed_remove(t, &k, num, &removed, err);
	if (st != Q_OK || !removed)
		return st;
	if (h.df)
		h.df--;
	return head_put(t, &k, &h, NULL, err);
}

/* The records of chunk num: its number by key, its length and key by
 * number. */
static enum qstatus chunk_map_put(struct stxn *t, uint64_t tag, const char *chunk_key,
				  uint32_t num, uint32_t dl, struct qerr *err)
{
	struct store_key k;
	unsigned char v[4 + STORE_KEY_MAX];
	size_t kl = strlen(chunk_key);
	if (kl > STORE_KEY_MAX - 16)
		return qerr_set(err, Q_EINVAL, NULL, "chunk key too long");
	lexical_chunk_key(&k, tag, chunk_key);
	enum qstatus st = store_put_rawkey(t, T_POSTINGS, &k, &num, 4, err);
	if (st != Q_OK)
		return st;
	memcpy(v, &dl, 4);
	memcpy(v + 4, chunk_key, kl);
	lexical_num_key(&k, tag, num);
	return store_put_rawkey(t, T_POSTINGS, &k, v, 4 + kl, err);
}

static enum qstatus chunk_map_del(struct stxn *t, uint64_t tag, const char *chunk_key,
				  uint32_t num, struct qerr *err)
{
	struct store_key k;
	lexical_chunk_key(&k, tag, chunk_key);
	enum qstatus st = store_del_rawkey(t, T_POSTINGS, &k, err);
	if (st == Q_OK || st == Q_ENOTFOUND) {
		qerr_clear(err);
		lexical_num_key(&k, tag, num);
		st = store_del_rawkey(t, T_POSTINGS, &k, err);
	}
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	return st;
}

/* Postings of several chunks held to be written term by term
 * (lexical_batch_write): a term the chunks share has its head record
 * read and written once, not once per chunk. */
struct lexical_batch {
	struct bposting *v;
	size_t n, alloc;
};

struct lexical_batch *lexical_batch_new(void)
{
	return calloc(1, sizeof(struct lexical_batch));
}

void lexical_batch_free(struct lexical_batch *b)
{
	if (b)
		free(b->v);
	free(b);
}

static enum qstatus batch_add(struct lexical_batch *b, uint64_t tag, const struct tentry *e,
			      uint32_t num, uint32_t dl, double avgdl, struct qerr *err)
{
	if (b->n == b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : 1024;
		void *p = realloc(b->v, na * sizeof *b->v);
		if (!p)
			return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		b->v = p;
		b->alloc = na;
	}
	struct bposting *p = &b->v[b->n++];
	p->tag = tag;
	p->e = *e;
	p->num = num;
	p->dl = dl;
	p->avgdl = avgdl;
	return Q_OK;
}

/* By account tag, term, then chunk number (the order they were added). */
static int bposting_cmp(const void *a, const void *b)
{
	const struct bposting *x = a, *y = b;
	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	size_t n = x->e.len < y->e.len ? x->e.len : y->e.len;
	int c = memcmp(x->e.term, y->e.term, n);
	if (c || x->e.len != y->e.len)
		return c ? c : x->e.len < y->e.len ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

enum qstatus lexical_batch_write(struct stxn *t, struct lexical_batch *b, struct qerr *err)
{
	enum qstatus st = Q_OK;
	qsort(b->v, b->n, sizeof *b->v, bposting_cmp);
	for (size_t i = 0, j; st == Q_OK && i < b->n; i = j) {
		for (j = i + 1; j < b->n && b->v[j].tag == b->v[i].tag &&
				b->v[j].e.len == b->v[i].e.len &&
				!memcmp(b->v[j].e.term, b->v[i].e.term, b->v[i].e.len);
		     j++)
			;
		st = term_write(t, b->v + i, j - i, err);
	}
	b->n = 0;
	return st;
}

static enum qstatus index_chunk(struct stxn *t, const char *account, uint64_t tag,
				const char *chunk_key, const struct termset *s,
				struct lexical_batch *b, struct qerr *err)
{
	uint32_t num, old, dl = (uint32_t)s->total;
	double avgdl = 1;
	enum qstatus st = lexical_chunk_num(t, tag, chunk_key, &old, err);
	if (st == Q_OK)   /* indexed again without removal: its old number goes */
		st = chunk_map_del(t, tag, chunk_key, old, err);
	else if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	/* the number first: its write lock orders this account's writers */
	if (st == Q_OK)
		st = stats_add(t, account, 1, (long)dl, s->lang, &num, &avgdl, err);
	if (st == Q_OK)
		st = chunk_map_put(t, tag, chunk_key, num, dl, err);
	for (size_t i = 0; st == Q_OK && i < s->n; i++)
		st = b ? batch_add(b, tag, &s->v[i], num, dl, avgdl, err)
		       : posting_add(t, tag, &s->v[i], num, dl, avgdl, err);
	return st;
}

static enum qstatus unindex_chunk(struct stxn *t, const char *account, uint64_t tag,
				  const char *chunk_key, const struct termset *s, struct qerr *err)
{
	uint32_t num;
	enum qstatus st = lexical_chunk_num(t, tag, chunk_key, &num, err);
	if (st == Q_ENOTFOUND) {   /* not indexed (an older layout, cleared): not counted */
		qerr_clear(err);
		return s->n ? Q_OK : stats_add(t, account, -1, 0, s->lang, NULL, NULL, err);
	}
	for (size_t i = 0; st == Q_OK && i < s->n; i++)
		st = posting_remove(t, tag, &s->v[i], num, err);
	if (st == Q_OK)
		st = chunk_map_del(t, tag, chunk_key, num, err);
	if (st == Q_OK)
		st = stats_add(t, account, -1, -(long)s->total, s->lang, NULL, NULL, err);
	return st;
}

static enum qstatus update(struct stxn *t, const char *account, const char *chunk_key,
			   const struct lexical_chunk *c, int add, struct lexical_batch *b,
			   struct qerr *err)
{
	struct termset s;
	uint64_t tag = lexical_tag(account);
	int cleared;
	enum qstatus st = clearing(t, &cleared, err);
	if (st != Q_OK || cleared)
		return st;   /* a rebuild clears the index: it indexes this chunk after */
	terms_of(c, &s);
	if (s.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	else
		st = add ? index_chunk(t, account, tag, chunk_key, &s, b, err)
			 : unindex_chunk(t, account, tag, chunk_key, &s, err);
	free(s.v);
	return st;
}

enum qstatus lexical_add(struct stxn *t, const char *account, const char *chunk_key,
			 const struct lexical_chunk *c, struct qerr *err)
{
	return update(t, account, chunk_key, c, 1, NULL, err);
}

enum qstatus lexical_add_to(struct stxn *t, const char *account, const char *chunk_key,
			    const struct lexical_chunk *c, struct lexical_batch *b,
			    struct qerr *err)
{
	return update(t, account, chunk_key, c, 1, b, err);
}

enum qstatus lexical_remove(struct stxn *t, const char *account, const char *chunk_key,
			    const struct lexical_chunk *c, struct qerr *err)
{
	return update(t, account, chunk_key, c, 0, NULL, err);
}

/* The words of a query: each read in every language of the mask, its
 * distinct stems (a stop word of a language has none in it). */
#define TYPED_MAX 8
struct qwords {
	struct lexical_word *v;
	struct typed {            /* text_word_hash of a word's forms as typed */
		uint64_t h[TYPED_MAX];
		int n;
	} *typed;
	size_t n, alloc;
	unsigned mask;
	double weight;            /* of the words being added */
	double repeat;            /* what a repeat adds, times weight */
	int compound;             /* they are compounds: no stop words */
	int spelling;             /* English words' other spellings too */
	int oom;
};

static int qwords_grow(struct qwords *q)
{
	if (q->n < q->alloc)
		return 0;
	size_t na = q->alloc ? q->alloc * 2 : 16;
	void *p = realloc(q->v, na * sizeof *q->v), *t;
	if (p)
		q->v = p;
	if (!p || !(t = realloc(q->typed, na * sizeof *q->typed))) {
		q->oom = 1;
		return 1;
	}
	q->typed = t;
	q->alloc = na;
	return 0;
}

/* Another form of the word at i: a repeat as typed adds weight times
 * repeat; another form of its stem ("increase", "increased") nothing. */
static void qword_again(struct qwords *q, size_t i, uint64_t h)
{
	struct typed *ty = &q->typed[i];
	int k = 0;
	while (k < ty->n && ty->h[k] != h)
		k++;
	if (k < ty->n)
		q->v[i].weight += q->weight * q->repeat;
	else if (ty->n < TYPED_MAX)
		ty->h[ty->n++] = h;
}

/* The stems of tok's other English spellings as more terms of w. */
static void spelling_alts(struct lexical_word *w, const char *tok, size_t len)
{
	char v[TEXT_SPELLING_MAX][TEXT_TOKEN_MAX];
	int nv = text_spelling_variants(tok, len, v);
	for (int i = 0; i < nv && w->nalt < LANG_MAX; i++) {
		size_t sl;
		const char *stem = text_stem(text_stemmer_get(LANG_EN), v[i], strlen(v[i]), &sl);
		int dup = 0;
		for (int j = 0; j < w->nalt && !dup; j++)
			dup = w->len[j] == sl && !memcmp(w->term[j], stem, sl);
		if (!dup && sl <= TEXT_TOKEN_MAX) {
			memcpy(w->term[w->nalt], stem, sl);
			w->len[w->nalt++] = (unsigned char)sl;
			w->one_term = 1;
		}
	}
}

static int add_qword(const char *tok, size_t len, void *arg)
{
	struct qwords *q = arg;
	struct lexical_word w;
	uint64_t h = text_word_hash(tok, len);
	memset(&w, 0, sizeof w);
	w.weight = q->weight;
	for (int l = 0; l < LANG_MAX; l++) {
		if (!(q->mask >> l & 1) || (!q->compound && text_is_stop((enum text_lang)l, tok, len)))
			continue;
		size_t sl;
		const char *stem = text_stem(text_stemmer_get((enum text_lang)l), tok, len, &sl);
		int dup = 0;
		for (int j = 0; j < w.nalt && !dup; j++)
			dup = w.len[j] == sl && !memcmp(w.term[j], stem, sl);
		if (!dup) {
			memcpy(w.term[w.nalt], stem, sl);
			w.len[w.nalt++] = (unsigned char)sl;
		}
		if (l == LANG_EN && q->spelling && !q->compound)
			spelling_alts(&w, tok, len);
	}
	if (!w.nalt)
		return 0;
	/* the same word twice, or two words with one stem: one word */
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].len[0] == w.len[0] && !memcmp(q->v[i].term[0], w.term[0], w.len[0])) {
			qword_again(q, i, h);
			return 0;
		}
	if (qwords_grow(q))
		return 1;
	q->typed[q->n] = (struct typed){{h}, 1};
	q->v[q->n++] = w;
	return 0;
}

/* A hyphenated compound of two words ("up-regulated", "pro-inflammatory")
 * written joined ("upregulated"): a term of its last part's word, so a
 * chunk writing it joined holds that word. */
static int joined_alt(const char *tok, size_t len, void *arg)
{
	struct qwords *q = arg;
	const char *dash = memchr(tok, '-', len);
	char j[TEXT_TOKEN_MAX];
	size_t sl, ll;
	if (!dash || dash == tok || dash == tok + len - 1 || memchr(dash + 1, '-', len - (size_t)(dash + 1 - tok)))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((tok[i] >= '0' && tok[i] <= '9') || tok[i] == '/' || tok[i] == '.' || tok[i] == ',')
			return 0;   /* words only */
	size_t al = (size_t)(dash - tok), bl = len - al - 1;
	char last[TEXT_TOKEN_MAX + 1];
	const char *stem = text_stem(text_stemmer_get(LANG_EN), dash + 1, bl, &ll);
	memcpy(last, stem, ll);
	memcpy(j, tok, al);
	memcpy(j + al, dash + 1, bl);
	stem = text_stem(text_stemmer_get(LANG_EN), j, len - 1, &sl);
	for (size_t i = 0; i < q->n; i++) {
		struct lexical_word *w = &q->v[i];
		if (w->len[0] != ll || memcmp(w->term[0], last, ll))
			continue;
		int dup = 0;
		for (int k = 0; k < w->nalt && !dup; k++)
			dup = w->len[k] == sl && !memcmp(w->term[k], stem, sl);
		if (!dup && w->nalt < LANG_MAX && sl <= TEXT_TOKEN_MAX) {
			memcpy(w->term[w->nalt], stem, sl);
			w->len[w->nalt++] = (unsigned char)sl;
			w->one_term = 1;
		}
		break;
	}
	return 0;
}

/* Each word again in field f (its terms after the field's byte), its
 * weight times fw. */
static void field_words(struct qwords *q, size_t nbody, enum lexical_field f, double fw)
{
	static const char prefix[LEX_FIELDS] = {0, LEXICAL_FIELD_TITLE, LEXICAL_FIELD_SECTION};
	for (size_t i = 0; i < nbody && !q->oom; i++) {
		if (qwords_grow(q))
			return;
		struct lexical_word w = q->v[i];
		for (int j = 0; j < w.nalt; j++) {
			memmove(w.term[j] + 1, w.term[j], w.len[j]);
			w.term[j][0] = prefix[f];
			w.len[j]++;
		}
		w.weight *= fw;
		w.field = f;
		q->typed[q->n].n = 0;
		q->v[q->n++] = w;
	}
}

enum qstatus lexical_query_words(const char *query, const struct lexical_wopts *o,
				 struct lexical_word **out, size_t *n, struct qerr *err)
{
	size_t len = strlen(query);
	struct qwords w = {0};
	w.mask = o->langs & ((1u << LANG_MAX) - 1) ? o->langs : 1u << LANG_EN;
	w.weight = 1;
	w.repeat = o->repeat_weight;
	w.spelling = o->spelling;
	text_tokens(query, len, add_qword, &w);
	if (!w.oom && o->spelling && (w.mask & 1u << LANG_EN))
		text_compounds(query, len, joined_alt, &w);
	w.weight = o->compound_weight;
	w.compound = 1;
	if (!w.oom && o->compound_weight > 0)
		text_compounds(query, len, add_qword, &w);
	/* pairs of CJK characters as typed: a word of two or more characters
	 * (图书馆) weighs more in the chunks that write it than in those
	 * holding its characters apart */
	w.weight = LEXICAL_BIGRAM_WEIGHT;
	if (!w.oom)
		text_cjk_bigrams(query, len, add_qword, &w);
	size_t nbody = w.n;
	for (int f = LEX_TITLE; f < LEX_FIELDS; f++)
		if (o->field_weight[f] > 0)
			field_words(&w, nbody, (enum lexical_field)f, o->field_weight[f]);
	free(w.typed);
	*out = NULL;
	*n = 0;
	if (w.oom) {
		free(w.v);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	*out = w.v;
	*n = w.n;
	return Q_OK;
}

enum qstatus lexical_words(const char *query, unsigned mask, struct lexical_word **out,
			   size_t *n, struct qerr *err)
{
	struct lexical_wopts o = {mask, {0}, 0, 0, 0};
	return lexical_query_words(query, &o, out, n, err);
}

/* Chunks per language from the statistics (zeros when not recorded). */
static void stats_langs(json_t *rec, double counts[LANG_MAX])
{
	json_t *langs = json_object_get(rec, "langs");
	for (int l = 0; l < LANG_MAX; l++)
		counts[l] = (double)json_integer_value(json_array_get(langs, (size_t)l));
}

unsigned lexical_pick_langs(const char *query, size_t n, const double chunks[LANG_MAX],
			    enum text_lang *primary)
{
	unsigned c[LANG_MAX], best = 0, tied = 0;
	text_stop_counts(query, n, c);
	for (int l = 0; l < LANG_MAX; l++)
		best = c[l] > best ? c[l] : best;
	for (int l = 0; l < LANG_MAX; l++)
		if (c[l] == best)
			tied |= 1u << l;
	if (best && (tied & (tied - 1)) == 0) {   /* one language's stop words */
		*primary = (enum text_lang)__builtin_ctz(tied);
		return tied;
	}
	unsigned mask = 0;
	int top = -1;
	for (int l = 0; l < LANG_MAX; l++)
		if ((tied >> l & 1) && chunks[l] > 0) {
			mask |= 1u << l;
			if (top < 0 || chunks[l] > chunks[top])
				top = l;
		}
	/* A query in another script than Latin (Cyrillic, Greek, Han, ...)
	 * is read in the languages of that script the collection holds, the
	 * script's first language primary (Russian before the languages
	 * without a stemmer), so a Russian question is stemmed as Russian
	 * chunks were even where Chinese ones outnumber them. */
	enum text_lang sl[LANG_MAX];
	size_t ns = text_script_stems(query, n, sl);
	unsigned smask = 0;
	for (size_t i = 0; i < ns; i++)
		if (chunks[sl[i]] > 0) {
			if (!smask)
				*primary = sl[i];
			smask |= 1u << sl[i];
		}
	if (smask)
		return smask;
	if (!mask) {   /* the collection holds none of them: as detection says */
		*primary = text_detect(query, n);
		return 1u << *primary;
	}
	*primary = (enum text_lang)top;
	return mask;
}

/* An account's statistics record; *rec NULL when it has none. */
enum qstatus lexical_stats_get(struct stxn *t, const char *account, json_t **rec, struct qerr *err)
{
	char key[STORE_KEY_MAX];
	stats_key(account, key, sizeof key);
	enum qstatus st = store_get(t, T_STATS, key, rec, 0, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		*rec = NULL;
		return Q_OK;
	}
	return st;
}

enum qstatus lexical_query_langs(struct stxn *t, const char *account, const char *query,
				 unsigned *mask, enum text_lang *primary, struct qerr *err)
{
	json_t *rec;
	double chunks[LANG_MAX] = {0};
	enum qstatus st = lexical_stats_get(t, account, &rec, err);
	if (st != Q_OK)
		return st;
	if (rec) {
		stats_langs(rec, chunks);
		json_decref(rec);
	}
	size_t n = strlen(query);
	*mask = lexical_pick_langs(query, n < 4096 ? n : 4096, chunks, primary);
	return Q_OK;
}

enum qstatus lexical_collection(struct stxn *t, const char *account, double *n, double *avgdl,
				struct qerr *err)
{
	json_t *rec;
	enum qstatus st = lexical_stats_get(t, account, &rec, err);
	*n = 0;
	*avgdl = 1;
	if (st != Q_OK || !rec)
		return st;
	*n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	json_decref(rec);
	*avgdl = *n > 0 ? len / *n : 1;
	return Q_OK;
}

/* BM25's k1 and b (lexical_set_bm25). */
static pthread_mutex_t bm25_lock = PTHREAD_MUTEX_INITIALIZER;
static double bm25_k1 = BM25_K1, bm25_b = BM25_B;

void lexical_set_bm25(double k1, double b)
{
	if (!(k1 >= 0) || !(b >= 0 && b <= 1))
		return;   /* conf.c keeps them in range: nothing to score with */
	pthread_mutex_lock(&bm25_lock);
	bm25_k1 = k1;
	bm25_b = b;
	pthread_mutex_unlock(&bm25_lock);
}

void lexical_bm25(double *k1, double *b)
{
	pthread_mutex_lock(&bm25_lock);
	*k1 = bm25_k1;
	*b = bm25_b;
	pthread_mutex_unlock(&bm25_lock);
}

enum qstatus lexical_length_norm(struct stxn *t, const char *account, const char *text,
				 enum text_lang lang, double *norm, struct qerr *err)
{
	double n, avgdl;
	struct termset s;
	enum qstatus st = lexical_collection(t, account, &n, &avgdl, err);
	*norm = 1;
	if (st != Q_OK || n <= 0 || avgdl <= 0)
		return st;
	struct lexical_chunk c = {text, NULL, NULL, lang};
	terms_of(&c, &s);
	double k1, b;
	lexical_bm25(&k1, &b);
	*norm = 1 - b + b * (double)s.total / avgdl;
	free(s.v);
	return Q_OK;
}

enum qstatus lexical_df(struct stxn *t, const char *account, const char *term, size_t len,
			size_t *df, struct qerr *err)
{
	struct store_key k;
	unsigned char buf[HEAD_MAX];
	size_t vlen;
	*df = 0;
	if (len >= TEXT_TOKEN_MAX)
		return Q_OK;
	lexical_term_key(&k, lexical_tag(account), term, len);
	enum qstatus st = store_get_rawkey(t, T_POSTINGS, &k, buf, sizeof buf, &vlen, 0, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;
	}
	if (st == Q_ENOMEM) {   /* not a head of this layout */
		qerr_clear(err);
		return Q_OK;
	}
	if (st == Q_OK && vlen >= 5 && buf[vlen - 1] < POSTINGS_BLOCK)
		*df = lexical_u32_at(buf + vlen - 5);
	return st;
}

enum qstatus lexical_version(struct stxn *t, int *version, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	*version = LEXICAL_VERSION;
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;   /* nothing indexed yet */
	}
	if (st != Q_OK)
		return st;
	*version = (int)json_integer_value(json_object_get(rec, "v"));   /* 0 when absent */
	if (json_is_true(json_object_get(rec, "partial")))
		*version = LEXICAL_VERSION_PARTIAL;   /* a rebuild that did not end */
	json_decref(rec);
	return Q_OK;
}

static int collect_stats_key(const char *pk, void *arg)
{
	return strncmp(pk, "bm25:", 5) ? 0 : store_collect(pk, arg);
}

enum qstatus lexical_clear_begin(struct stxn *t, struct qerr *err)
{
	struct store_ids keys = {0};
	enum qstatus st = store_put_raw(t, T_STATS, CLEARING_KEY, "1", 1, err);
	if (st == Q_OK)
		st = store_scan_table(t, T_STATS, collect_stats_key, &keys, err);
	if (st == Q_OK && keys.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < keys.n; i++)
		st = store_del(t, T_STATS, keys.ids[i], err);
	store_ids_free(&keys);
	return st == Q_OK ? version_put(t, 1, err) : st;
}

enum qstatus lexical_clear_step(struct stxn *t, size_t *removed, int *more, struct qerr *err)
{
	return store_remove_some(t, T_POSTINGS, LEXICAL_CLEAR_BYTES, removed, more, err);
}

enum qstatus lexical_clear_end(struct stxn *t, struct qerr *err)
{
	enum qstatus st = store_del(t, T_STATS, CLEARING_KEY, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	return st;
}

enum qstatus lexical_mark_built(struct stxn *t, struct qerr *err)
{
	return version_put(t, 0, err);
}

enum qstatus lexical_add_missing(struct stxn *t, const char *account, const char *chunk_key,
				 const struct lexical_chunk *c, int *added, struct qerr *err)
{
	uint32_t num;
	*added = 0;
	enum qstatus st = lexical_chunk_num(t, lexical_tag(account), chunk_key, &num, err);
	if (st == Q_OK)
		return Q_OK;   /* indexed since lexical_clear_end */
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	if ((st = update(t, account, chunk_key, c, 1, NULL, err)) == Q_OK)
		*added = 1;
	return st;
}
