/* answer_openai.c: the "openai" answerer: any OpenAI-compatible
 * POST {chat_base_url}/chat/completions with "stream": true (OpenAI,
 * Ollama, llama.cpp server, vLLM, LiteLLM) through libcurl. The system
 * prompt numbers the retrieved chunks [1]..[n] and asks for [n] markers;
 * each SSE delta is passed on as a token as soon as its line is complete;
 * the markers in the finished text become the citations (in order of first
 * use; a marker names the n-th source offered, not a position in the
 * citation list). A server that ignores "stream" and answers plain JSON is
 * accepted too. Connection failures, timeouts (chat_timeout_s, kept below
 * the worker's heartbeat_timeout), HTTP errors and error objects in the
 * stream are upstream failures (a->upstream): the caller answers 502 or
 * sends an error event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/answer.h"
#include "base/log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SOURCE_TEXT_MAX 6000     /* bytes of one chunk in the prompt */
#define SOURCES_TEXT_MAX 24000   /* bytes of all of them */
#define LINE_MAX_BYTES (1u << 20)
#define BODY_MAX_BYTES (4u << 20)

static const char instructions[] =
	"You answer questions about the user's documents. Use only the numbered "
	"sources below. After each statement, cite the sources it comes from as [n], "
	"for example [1] or [2][3]. If the sources do not contain the answer, say that "
	"you could not find it in the documents. Be concise and answer in the language "
	"of the question.\n\nSources:\n";

struct oa_call {
	const struct chat_turn *t;
	struct chat_answer *a;
	CURL *h;
	struct qbuf line;        /* the SSE line being received */
	struct qbuf body;        /* an error body, or a plain JSON answer */
	long status;
	int json_mode;           /* the server answered application/json */
	int done;                /* "data: [DONE]" seen */
	char failure[200];       /* an error object inside the stream */
};

/* ---- the request ---------------------------------------------------------- */

static void add_source(struct qbuf *p, size_t n, const struct chat_source *s, size_t *budget)
{
	size_t len = strlen(s->text);
	if (len > SOURCE_TEXT_MAX)
		len = SOURCE_TEXT_MAX;
	if (len > *budget)
		len = *budget;
	while (len > 0 && ((unsigned char)s->text[len] & 0xc0) == 0x80)
		len--;
	*budget -= len;
	qbuf_printf(p, "\n[%zu] %s", n, s->title);
	if (s->section[0])
		qbuf_printf(p, " | Section: %s", s->section);
	if (s->page > 0)
		qbuf_printf(p, " | Page: %d", s->page);
	qbuf_adds(p, "\n");
	qbuf_add(p, s->text, len);
	qbuf_adds(p, "\n");
}

/* The request body (new string, free). */
static char *request_body(const struct chat_turn *t)
{
	struct qbuf sys;
	size_t budget = SOURCES_TEXT_MAX;
	qbuf_init(&sys, (size_t)1 << 20);
	qbuf_adds(&sys, instructions);
	for (size_t i = 0; i < t->nsrc; i++)
		add_source(&sys, i + 1, &t->src[i], &budget);
	json_t *msgs = json_array();
	json_array_append_new(msgs, json_pack("{s:s, s:s}", "role", "system",
					      "content", sys.data ? sys.data : instructions));
	qbuf_free(&sys);
	size_t nh = json_array_size(t->history), keep = (size_t)t->conf->chat_history;
	for (size_t i = nh > keep ? nh - keep : 0; i < nh; i++) {
		json_t *m = json_array_get(t->history, i);
		const char *role = json_string_value(json_object_get(m, "role"));
		const char *content = json_string_value(json_object_get(m, "content"));
		if (role && content && (!strcmp(role, "user") || !strcmp(role, "assistant")))
			json_array_append_new(msgs, json_pack("{s:s, s:s}", "role", role,
							      "content", content));
	}
	json_array_append_new(msgs, json_pack("{s:s, s:s}", "role", "user", "content", t->message));
	json_t *req = json_pack("{s:s, s:b, s:o}", "model", t->conf->chat_model, "stream", 1,
				"messages", msgs);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	return body;
}

/* ---- the answer ----------------------------------------------------------- */

static void note_failure(struct oa_call *c, json_t *j)
{
	json_t *e = json_object_get(j, "error");
	const char *msg = json_string_value(json_object_get(e, "message")) ?: json_string_value(e);
	snprintf(c->failure, sizeof c->failure, "%s", msg ? msg : "error in the answer stream");
}

/* One complete SSE line: -1 stops the transfer (client gone, error). */
static int on_line(struct oa_call *c, char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (len < 5 || strncmp(line, "data:", 5))
		return 0;   /* blank, comment, event:, id:, retry: */
	const char *data = line + 5;
	if (*data == ' ')
		data++;
	if (!strcmp(data, "[DONE]")) {
		c->done = 1;
		return 0;
	}
	json_error_t jerr;
	json_t *j = json_loads(data, 0, &jerr);
	if (!j) {
		snprintf(c->failure, sizeof c->failure, "malformed event in the answer stream");
		return -1;
	}
	int rc = 0;
	json_t *delta = json_object_get(json_array_get(json_object_get(j, "choices"), 0), "delta");
	const char *text = json_string_value(json_object_get(delta, "content"));
	if (json_object_get(j, "error")) {
		note_failure(c, j);
		rc = -1;
	} else if (text && chat_answer_put(c->t, c->a, text, strlen(text)) < 0) {
		c->a->gone = 1;
		rc = -1;
	}
	json_decref(j);
	return rc;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct oa_call *c = arg;
	size_t len = size * n;
	if (!c->status) {
		char *ct = NULL;
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &c->status);
		curl_easy_getinfo(c->h, CURLINFO_CONTENT_TYPE, &ct);
		c->json_mode = ct && !strncasecmp(ct, "application/json", 16);
	}
	if (c->status != 200 || c->json_mode)
		return qbuf_add(&c->body, p, len) < 0 ? 0 : len;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n') {
			if (qbuf_add(&c->line, &p[i], 1) < 0) {
				snprintf(c->failure, sizeof c->failure, "an answer stream line is too long");
				return 0;
			}
			continue;
		}
		int rc = on_line(c, c->line.data ? c->line.data : (char[1]){0}, c->line.len);
		qbuf_reset(&c->line);
		if (rc < 0)
			return 0;
	}
	return len;
}

/* A plain JSON answer (no streaming): choices[0].message.content. */
static void json_answer(struct oa_call *c)
{
	json_error_t jerr;
	json_t *j = json_loadb(c->body.data ? c->body.data : "", c->body.len, 0, &jerr);
	json_t *msg = json_object_get(json_array_get(json_object_get(j, "choices"), 0), "message");
	const char *text = json_string_value(json_object_get(msg, "content"));
	if (json_object_get(j, "error"))
		note_failure(c, j);
	else if (!text)
		snprintf(c->failure, sizeof c->failure, "malformed answer");
	else if (chat_answer_put(c->t, c->a, text, strlen(text)) < 0)
		c->a->gone = 1;
	json_decref(j);
}

/* The message of a refused request: "HTTP 500: <upstream message>". */
static void http_failure(struct oa_call *c)
{
	json_error_t jerr;
	json_t *j = json_loadb(c->body.data ? c->body.data : "", c->body.len, 0, &jerr);
	json_t *e = json_object_get(j, "error");
	const char *msg = json_string_value(json_object_get(e, "message")) ?: json_string_value(e);
	snprintf(c->failure, sizeof c->failure, "HTTP %ld%s%.150s", c->status, msg ? ": " : "",
		 msg ? msg : "");
	json_decref(j);
}

/* [n] and [n, m] markers of the answer, in order of first use. */
static void cite_markers(const struct chat_turn *t, struct chat_answer *a)
{
	const char *p = a->content.data ? a->content.data : "";
	while ((p = strchr(p, '['))) {
		const char *q = ++p;
		while (*q) {
			char *end;
			long n = strtol(q, &end, 10);
			if (end == q || n < 1 || (size_t)n > t->nsrc)
				break;
			if (*end == ']') {
				chat_answer_cite(a, (size_t)n - 1, NULL, NULL);
				break;
			}
			if (*end != ',')
				break;
			chat_answer_cite(a, (size_t)n - 1, NULL, NULL);
			q = end + 1;
			while (*q == ' ')
				q++;
		}
	}
}

/* ---- the call --------------------------------------------------------------- */

static long timeout_s(const struct qconf *conf)
{
	long t = conf->chat_timeout_s;
	/* quired takes a worker busy longer than heartbeat_timeout for hung. */
	if (conf->heartbeat_timeout > 10 && t > conf->heartbeat_timeout - 5)
		t = conf->heartbeat_timeout - 5;
	return t > 0 ? t : 1;
}

static struct curl_slist *headers(const struct qconf *conf)
{
	char auth[320];
	const char *key = conf->chat_api_key[0] ? conf->chat_api_key : getenv("QUIRE_CHAT_API_KEY");
	if (!key || !*key)
		key = getenv("OPENAI_API_KEY");
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: text/event-stream");
	if (key && *key) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
		h = curl_slist_append(h, auth);
	}
	return h;
}

static enum qstatus upstream(struct chat_answer *a, struct qerr *err, const char *what)
{
	a->upstream = 1;
	QLOG_WARN("chat: answer model: %s", what);
	return qerr_set(err, Q_EINTERNAL, NULL, "The answer model failed: %s", what);
}

static enum qstatus answer_openai(const struct chat_turn *t, struct chat_answer *a,
				  struct qerr *err)
{
	static int curl_ready;
	const struct qconf *conf = t->conf;
	struct oa_call c = {.t = t, .a = a};
	char url[600], what[256];
	enum qstatus st = Q_OK;
	char *body = request_body(t);
	struct curl_slist *hdrs = headers(conf);

	if (!curl_ready++)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	qbuf_init(&c.line, LINE_MAX_BYTES);
	qbuf_init(&c.body, BODY_MAX_BYTES);
	size_t ul = strlen(conf->chat_base_url);
	while (ul && conf->chat_base_url[ul - 1] == '/')
		ul--;
	snprintf(url, sizeof url, "%.*s/chat/completions", (int)ul, conf->chat_base_url);
	if (!body || !hdrs || !(c.h = curl_easy_init())) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	long timeout = timeout_s(conf);
	curl_easy_setopt(c.h, CURLOPT_URL, url);
	curl_easy_setopt(c.h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c.h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(c.h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c.h, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
	curl_easy_setopt(c.h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c.h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(c.h);
	if (a->gone)
		goto out;
	if (rc == CURLE_OK && c.status == 200 && c.line.len)
		on_line(&c, c.line.data, c.line.len);   /* a last line without a newline */
	if (rc == CURLE_OK && c.status == 200 && c.json_mode)
		json_answer(&c);
	if (a->gone)
		goto out;
	if (c.failure[0]) {
		st = upstream(a, err, c.failure);
	} else if (c.status && c.status != 200) {
		http_failure(&c);
		st = upstream(a, err, c.failure);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(what, sizeof what, "no complete answer within %ld s", timeout);
		st = upstream(a, err, what);
	} else if (rc != CURLE_OK) {
		snprintf(what, sizeof what, "%s", curl_easy_strerror(rc));
		st = upstream(a, err, what);
	} else if (a->content.len == 0) {
		st = upstream(a, err, "an empty answer");
	} else {
		cite_markers(t, a);
	}
out:
	if (c.h)
		curl_easy_cleanup(c.h);
	curl_slist_free_all(hdrs);
	free(body);
	qbuf_free(&c.line);
	qbuf_free(&c.body);
	return st;
}

const struct chat_answerer answerer_openai = {"openai", answer_openai};
