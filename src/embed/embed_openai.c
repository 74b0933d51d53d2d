/* embed_openai.c: the "openai" embedding backend: any OpenAI-compatible
 * POST {base_url}/embeddings (OpenAI, Ollama, llama.cpp server, vLLM, TEI)
 * through libcurl's multi interface: a batch is cut into requests of
 * embed_request_batch inputs, embed_concurrency of them in flight, each
 * with a timeout. 429 and 5xx are retriable (honouring Retry-After); other
 * 4xx, a malformed answer or vectors of the wrong dimensions fail the batch
 * with the upstream's message. Inputs longer than embed_max_input
 * characters are cut at a UTF-8 boundary. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embedder.h"
#include "embed/embed_openai.h"
#include "base/log.h"
#include "base/util.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

struct openai_backend {
	struct embed_backend base;
	const struct qconf *conf;
	char model_id[200];     /* "openai:<model>:<dims>", what vectors record */
	char url[600];
	char auth[300];
};

struct request {
	CURL *h;
	struct curl_slist *headers;
	char *body;
	struct qbuf answer;
	size_t first, count;    /* inputs [first, first + count) */
	long retry_after;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct request *r = arg;
	return qbuf_add(&r->answer, p, size * n) < 0 ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct request *r = arg;
	size_t len = size * n;
	if (len > 12 && !strncasecmp(p, "Retry-After:", 12))
		r->retry_after = strtol(p + 12, NULL, 10);
	return len;
}

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static int start_request(struct openai_backend *ob, CURLM *m, struct request *r,
			 const char *const *texts, const size_t *lens)
{
	const struct qconf *c = ob->conf;
	json_t *input = json_array();
	for (size_t i = r->first; i < r->first + r->count; i++)
		json_array_append_new(input, json_stringn(texts[i], utf8_cut(texts[i], lens[i],
									      (size_t)c->embed_max_input)));
	json_t *req = json_pack("{s:s, s:o, s:s}", "model", c->embed_model, "input", input,
				"encoding_format", "float");
	if (c->embed_dimensions)
		json_object_set_new(req, "dimensions", json_integer(c->embed_dimensions));
	r->body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	qbuf_init(&r->answer, 64u << 20);
	if (!r->body || !(r->h = curl_easy_init()))
		return -1;
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (ob->auth[0])
		r->headers = curl_slist_append(r->headers, ob->auth);
	curl_easy_setopt(r->h, CURLOPT_URL, ob->url);
	curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->h, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->h, CURLOPT_TIMEOUT, (long)c->embed_timeout);
	curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->h, CURLOPT_PRIVATE, r);
	return curl_multi_add_handle(m, r->h) == CURLM_OK ? 0 : -1;
}

static void fail(struct embed_batch_result *res, int retriable, int retry_after, const char *fmt,
		 const char *detail)
{
	if (res->st != Q_OK && !res->retriable)
		return;   /* keep the first permanent failure */
	res->st = Q_EINTERNAL;
	res->retriable = retriable;
	if (retry_after > res->retry_after)
		res->retry_after = retry_after;
	snprintf(res->error, sizeof res->error, fmt, detail);
}

/* Parse a finished request's answer into out. */
static void finish(struct openai_backend *ob, struct request *r, CURLcode code, float *out,
		   struct embed_batch_result *res)
{
	long status = 0;
	char msg[160];
	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &status);
	if (code != CURLE_OK) {
		fail(res, 1, 0, "OpenAI API error: %s", curl_easy_strerror(code));
		return;
	}
	json_error_t jerr;
	json_t *j = json_loadb(r->answer.data ? r->answer.data : "", r->answer.len, 0, &jerr);
	const char *upstream = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	if (status == 429 || status >= 500) {
		snprintf(msg, sizeof msg, "%s", upstream ? upstream :
			 status == 429 ? "Rate limit exceeded" : "server error");
		fail(res, 1, (int)r->retry_after, "OpenAI API error: %s", msg);
	} else if (status != 200) {
		snprintf(msg, sizeof msg, "%ld %s", status, upstream ? upstream : "request refused");
		fail(res, 0, 0, "OpenAI API error: %s", msg);
	} else if (!json_is_array(json_object_get(j, "data")) ||
		   json_array_size(json_object_get(j, "data")) != r->count) {
		fail(res, 1, 0, "OpenAI API error: %s", "malformed response");
	} else {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(j, "data"), i, item) {
			json_t *emb = json_object_get(item, "embedding");
			if (ob->base.dims == 0 && json_array_size(emb) > 0 &&
			    json_array_size(emb) <= 16384) {
				/* The probe: learn the model's dimensions. */
				ob->base.dims = (unsigned)json_array_size(emb);
				snprintf(ob->model_id, sizeof ob->model_id, "openai:%s:%u",
					 ob->conf->embed_model, ob->base.dims);
			}
			json_int_t idx = json_is_integer(json_object_get(item, "index")) ?
					 json_integer_value(json_object_get(item, "index")) : (json_int_t)i;
			if (!json_is_array(emb) || json_array_size(emb) != ob->base.dims ||
			    idx < 0 || (size_t)idx >= r->count) {
				snprintf(msg, sizeof msg, "expected %u dimensions, got %zu", ob->base.dims,
					 json_array_size(emb));
				fail(res, 0, 0, "OpenAI API error: %s", msg);
				break;
			}
			float *dst = out + (r->first + (size_t)idx) * ob->base.dims;
			double norm = 0;
			for (unsigned d = 0; d < ob->base.dims; d++) {
				dst[d] = (float)json_number_value(json_array_get(emb, d));
				norm += (double)dst[d] * dst[d];
			}
			if (norm > 0)   /* cosine = dot product of normalised vectors */
				for (unsigned d = 0; d < ob->base.dims; d++)
					dst[d] /= (float)sqrt(norm);
		}
	}
	json_decref(j);
}

static void openai_embed(struct embed_backend *b, const char *const *texts, const size_t *lens,
			 size_t n, float *out, struct embed_batch_result *res)
{
	struct openai_backend *ob = (struct openai_backend *)b;
	size_t per = (size_t)ob->conf->embed_request_batch, nreq = (n + per - 1) / per, next = 0;
	struct request *reqs = calloc(nreq ? nreq : 1, sizeof *reqs);
	CURLM *m = curl_multi_init();
	int running = 0;

	res->st = Q_OK;
	res->retriable = 0;
	res->retry_after = 0;
	res->error[0] = '\0';
	if (!reqs || !m) {
		fail(res, 1, 0, "%s", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nreq; i++) {
		reqs[i].first = i * per;
		reqs[i].count = n - reqs[i].first < per ? n - reqs[i].first : per;
	}
	do {
		while (next < nreq && running < ob->conf->embed_concurrency) {
			if (start_request(ob, m, &reqs[next], texts, lens) < 0) {
				fail(res, 1, 0, "%s", "cannot start a request");
				goto out;
			}
			next++;
			running++;
		}
		int still;
		curl_multi_perform(m, &still);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct request *r;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			finish(ob, r, msg->data.result, out, res);
			curl_multi_remove_handle(m, r->h);
			running--;
		}
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running > 0 || next < nreq);
out:
	for (size_t i = 0; reqs && i < nreq; i++) {
		if (reqs[i].h)
			curl_easy_cleanup(reqs[i].h);
		curl_slist_free_all(reqs[i].headers);
		free(reqs[i].body);
		qbuf_free(&reqs[i].answer);
	}
	free(reqs);
	if (m)
		curl_multi_cleanup(m);
}

static void openai_free(struct embed_backend *b)
{
	free(b);
}

struct embed_backend *embed_openai_new(const struct qconf *conf, unsigned dims, struct qerr *err)
{
	struct openai_backend *ob = calloc(1, sizeof *ob);
	if (!ob) {
		qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ob->conf = conf;
	const char *key = conf->embed_api_key[0] ? conf->embed_api_key : getenv("QUIRE_EMBED_API_KEY");
	if (!key || !*key)
		key = getenv("OPENAI_API_KEY");
	if (key && *key)
		snprintf(ob->auth, sizeof ob->auth, "Authorization: Bearer %s", key);
	size_t ul = strlen(conf->embed_base_url);
	snprintf(ob->url, sizeof ob->url, "%.*s/embeddings", (int)(ul && conf->embed_base_url[ul - 1] == '/'
								      ? ul - 1 : ul), conf->embed_base_url);
	snprintf(ob->model_id, sizeof ob->model_id, "openai:%s:%u", conf->embed_model, dims);
	ob->base.model = ob->model_id;
	ob->base.dims = dims;
	ob->base.embed = openai_embed;
	ob->base.free = openai_free;
	if (dims == 0) {
		/* Ask the model once for the size of its vectors. */
		static float probe[16384];
		const char *text = "dimension probe";
		size_t len = strlen(text);
		struct embed_batch_result res;
		openai_embed(&ob->base, &text, &len, 1, probe, &res);
		if (res.st != Q_OK || ob->base.dims == 0) {
			qerr_set(err, res.retriable ? Q_EBUSY : Q_EINVAL, "embed_model",
				 "cannot reach the embedding model: %s", res.error);
			free(ob);
			return NULL;
		}
	}
	return &ob->base;
}
