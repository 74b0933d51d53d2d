/* http.c: CGI variables to a request; JSON bodies with caps; responses. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/http.h"
#include "base/jsonscan.h"
#include "base/jsontext.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *qreq_param(const struct qreq *r, const char *name)
{
	const char *v = r->param(r->ctx, name);
	return v ? v : "";
}

int q_url_decode(const char *src, size_t n, char *out, size_t outlen, int plus_space)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)src[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= n || (hi = q_hex_digit((unsigned char)src[i + 1])) < 0 ||
			    (lo = q_hex_digit((unsigned char)src[i + 2])) < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == 0 || j + 1 >= outlen)
			return -1;
		out[j++] = (char)c;
	}
	if (j >= outlen)
		return -1;
	out[j] = '\0';
	return 0;
}

/* A front server that passes the script's path in REQUEST_URI without a
 * PATH_INFO (Apache's ProxyPass to /cgi-bin/quire.fcgi/): drop everything
 * up to and including the script name. */
static void strip_script(char *path)
{
	static const char *names[] = {"fcgi", "cgi"};
	/* One search for the common part: most paths hold neither name. */
	for (char *p = strstr(path, "/quire."); p; p = strstr(p + 1, "/quire.")) {
		for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
			size_t n = strlen(names[i]);
			if (strncmp(p + 7, names[i], n) || (p[7 + n] != '/' && p[7 + n] != '\0'))
				continue;
			memmove(path, p + 7 + n, strlen(p + 7 + n) + 1);
			if (!path[0])
				strcpy(path, "/");
			return;
		}
	}
}

/* Remove base (a configured sub-path, "/kb") from the front of path when
 * the path is it or continues with '/'; 1 when removed. */
static int strip_base(char *path, const char *base)
{
	size_t n = base ? strlen(base) : 0;
	if (!n || strncmp(path, base, n) || (path[n] != '/' && path[n] != '\0'))
		return 0;
	memmove(path, path + n, strlen(path + n) + 1);
	if (!path[0])
		strcpy(path, "/");
	return 1;
}

/* The mount a front server announced: SCRIPT_NAME, when it and PATH_INFO
 * together make the requested path (nginx's fastcgi_split_path_info,
 * lighttpd's prefix mapping), so that a SCRIPT_NAME holding the whole path
 * is never taken for a mount. */
static void script_mount(struct qreq *r, const char *pi)
{
	const char *script = qreq_param(r, "SCRIPT_NAME");
	const char *uri = qreq_param(r, "REQUEST_URI");
	size_t sl = strlen(script), pl = strlen(pi);
	if (!sl || sl >= sizeof r->mount || script[0] != '/')
		return;
	if (*uri && (strncmp(uri, script, sl) || strncmp(uri + sl, pi, pl) ||
		     (uri[sl + pl] != '\0' && uri[sl + pl] != '?')))
		return;
	memcpy(r->mount, script, sl + 1);
}

enum qstatus qreq_init(struct qreq *r, const char *base_path, struct qerr *err)
{
	const char *pi = qreq_param(r, "PATH_INFO");
	const char *cl = qreq_param(r, "CONTENT_LENGTH");

	r->method = qreq_param(r, "REQUEST_METHOD");
	if (!*r->method)
		r->method = "GET";
	r->query = qreq_param(r, "QUERY_STRING");
	r->content_type = qreq_param(r, "CONTENT_TYPE");
	r->content_length = -1;
	r->mount[0] = '\0';
	if (*cl) {
		unsigned long long v;
		if (q_parse_uint(cl, 1ull << 62, &v) < 0)
			return qerr_set(err, Q_EINVAL, NULL, "bad Content-Length");
		r->content_length = (long long)v;
	}
	if (*pi) {
		size_t n = strlen(pi);
		if (n >= sizeof r->path)
			return qerr_set(err, Q_EINVAL, NULL, "path too long");
		memcpy(r->path, pi, n + 1);
		if (strip_base(r->path, base_path))
			snprintf(r->mount, sizeof r->mount, "%s", base_path);
		else
			script_mount(r, pi);
		strip_script(r->path);
		return Q_OK;
	}
	const char *uri = qreq_param(r, "REQUEST_URI");
	if (!*uri)
		uri = qreq_param(r, "SCRIPT_NAME");
	size_t n = strcspn(uri, "?#");
	if (q_url_decode(uri, n, r->path, sizeof r->path, 0) < 0)
		return qerr_set(err, Q_EINVAL, NULL, "the request path is not valid");
	if (r->path[0] != '/')
		snprintf(r->path, sizeof r->path, "/");
	if (strip_base(r->path, base_path))
		snprintf(r->mount, sizeof r->mount, "%s", base_path);
	strip_script(r->path);
	return Q_OK;
}

int qreq_query(const struct qreq *r, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = r->query;
	while (*p) {
		size_t seg = strcspn(p, "&");
		const char *eq = memchr(p, '=', seg);
		size_t klen = eq ? (size_t)(eq - p) : seg;
		char key[128];
		if (klen < sizeof key && q_url_decode(p, klen, key, sizeof key, 1) == 0 &&
		    strlen(key) == nlen && !memcmp(key, name, nlen)) {
			if (!eq) {
				if (outlen)
					out[0] = '\0';
				return 1;
			}
			return q_url_decode(eq + 1, seg - klen - 1, out, outlen, 1) < 0 ? -1 : 1;
		}
		p += seg;
		if (*p == '&')
			p++;
	}
	return 0;
}

enum qstatus qreq_body(struct qreq *r, struct qbuf *b, size_t cap, struct qerr *err)
{
	char chunk[16384];
	if (r->content_length > (long long)cap)
		return qerr_set(err, Q_ETOOBIG, NULL, "the request body is larger than %zu bytes", cap);
	for (;;) {
		ssize_t n = r->read(r->ctx, chunk, sizeof chunk);
		if (n < 0)
			return qerr_set(err, Q_EINVAL, NULL, "error reading the request body");
		if (n == 0)
			break;
		int rc = qbuf_add(b, chunk, (size_t)n);
		if (rc == QBUF_FULL)
			return qerr_set(err, Q_ETOOBIG, NULL, "the request body is larger than %zu bytes",
					cap);
		if (rc < 0)
			return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	if (r->content_length >= 0 && (long long)b->len != r->content_length)
		return qerr_set(err, Q_EINVAL, NULL, "incomplete body: %zu of %lld bytes", b->len,
				r->content_length);
	return Q_OK;
}

/* Nesting depth of JSON text, counting brackets outside strings, so a
 * deeply nested body is refused before jansson recurses into it. */
int json_depth_ok(const char *s, size_t n, int max)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

static int is_json_type(const char *ct)
{
	size_t n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == 16 && !strncasecmp(ct, "application/json", 16);
}

/* Whether json_loadb failed for want of memory rather than for the text:
 * jansson reports a failed allocation inside the parser as a syntax error
 * (seen: "invalid token near ..." for a valid body), so a body that the
 * allocation-free scanner (q_json_members, which reads the whole text when
 * asked for a name no key has) accepts as one JSON object, and that has no
 * duplicate key, failed for memory: 503/500, not the client's 400. */
static int parse_failed_for_memory(const json_error_t *jerr, const char *s, size_t n)
{
	static const char *const none[] = {"\x01"};
	struct q_span sp[1];
	enum json_error_code code = json_error_code(jerr);
	if (code == json_error_out_of_memory)
		return 1;
	return code != json_error_duplicate_key && q_json_members(s, n, none, sp, 1) == 0;
}

enum qstatus qreq_json(struct qreq *r, size_t cap, int max_depth, json_t **out,
		       struct qerr *err)
{
	struct qbuf b;
	enum qstatus st;
	json_error_t jerr;

	*out = NULL;
	if (!is_json_type(r->content_type))
		return qerr_set(err, Q_EMEDIA, NULL, "Content-Type must be application/json");
	qbuf_init(&b, cap);
	if ((st = qreq_body(r, &b, cap, err)) != Q_OK)
		goto out;
	if (!json_depth_ok(b.data ? b.data : "", b.len, max_depth)) {
		st = qerr_set(err, Q_EINVAL, NULL, "JSON nested deeper than %d levels", max_depth);
		goto out;
	}
	*out = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out && parse_failed_for_memory(&jerr, b.data ? b.data : "", b.len)) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (!*out) {
		st = qerr_set(err, Q_EINVAL, NULL, "invalid JSON: %s", jerr.text);
		goto out;
	}
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		st = qerr_set(err, Q_EINVAL, NULL, "the request body must be a JSON object");
	}
out:
	qbuf_free(&b);
	return st;
}

void qresp_init(struct qresp *resp)
{
	memset(resp, 0, sizeof *resp);
	resp->status = 200;
	qbuf_init(&resp->headers, 64 * 1024);
	qbuf_init(&resp->body, (size_t)1 << 31);
}

/* Buffers up to this size are kept from one request to the next. */
#define QRESP_KEEP (256 * 1024)

static void keep_or_free(struct qbuf *b)
{
	if (b->alloc > QRESP_KEEP)
		qbuf_free(b);
	else
		qbuf_reset(b);
}

void qresp_reuse(struct qresp *resp)
{
	struct qbuf headers = resp->headers, body = resp->body;
	keep_or_free(&headers);
	keep_or_free(&body);
	qresp_init(resp);
	resp->headers.data = headers.data;
	resp->headers.alloc = headers.alloc;
	resp->body.data = body.data;
	resp->body.alloc = body.alloc;
}

void qresp_free(struct qresp *resp)
{
	qbuf_free(&resp->headers);
	qbuf_free(&resp->body);
}

void qresp_header(struct qresp *resp, const char *name, const char *value)
{
	/* Header values never carry CR or LF: drop them. */
	qbuf_adds(&resp->headers, name);
	qbuf_add(&resp->headers, ": ", 2);
	while (*value) {
		size_t n = strcspn(value, "\r\n");
		qbuf_add(&resp->headers, value, n);
		value += n;
		if (*value)
			value++;
	}
	qbuf_add(&resp->headers, "\r\n", 2);
}

void qresp_json_new(struct qresp *resp, int status, json_t *body)
{
	struct qbuf *b = qresp_json(resp, status);
	/* Written in one pass into the body buffer (q_json_to_qbuf). A body
	 * that could not be built (NULL, or memory ran out) is a 500, never
	 * a success without its body. */
	if (q_json_to_qbuf(body, JSON_COMPACT, b) < 0) {
		qbuf_reset(b);
		resp->status = 500;
	}
	json_decref(body);
}

struct qbuf *qresp_json(struct qresp *resp, int status)
{
	resp->status = status;
	qbuf_reset(&resp->body);
	qresp_header(resp, "Content-Type", "application/json; charset=utf-8");
	return &resp->body;
}

/* Append s (n bytes) to line (size bytes) at *at, cutting what does not
 * fit. With put_uint, the response head is built without printf, which is
 * measurable on the hot path. */
static void put(char *line, size_t size, size_t *at, const char *s, size_t n)
{
	if (n > size - *at)
		n = size - *at;
	memcpy(line + *at, s, n);
	*at += n;
}

static void put_uint(char *line, size_t size, size_t *at, unsigned long long v)
{
	char digits[24], *d = digits + sizeof digits;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	put(line, size, at, d, (size_t)(digits + sizeof digits - d));
}

int qresp_send(struct qresp *resp)
{
	char line[128];
	const char *reason = q_http_reason(resp->status);
	size_t n = 0, room = sizeof line - 4;   /* CR LF CR LF always fit */
	put(line, room, &n, "Status: ", 8);
	put_uint(line, room, &n, (unsigned)resp->status);
	put(line, room, &n, " ", 1);
	put(line, room, &n, reason, strlen(reason));
	put(line, sizeof line, &n, "\r\n", 2);
	if (resp->write(resp->wctx, line, n) < 0 ||
	    resp->write(resp->wctx, resp->headers.data ? resp->headers.data : "",
			resp->headers.len) < 0)
		return -1;
	n = 0;
	put(line, room, &n, "Content-Length: ", 16);
	put_uint(line, room, &n, resp->body.len);
	put(line, sizeof line, &n, "\r\n\r\n", 4);
	if (resp->write(resp->wctx, line, n) < 0)
		return -1;
	/* No flush: the front end ends the request next, and FastCGI then
	 * sends the response and its end record in one write. */
	if (resp->body.len && resp->write(resp->wctx, resp->body.data, resp->body.len) < 0)
		return -1;
	return 0;
}

void qresp_after_ingest(struct qresp *resp, const char *id)
{
	if (resp->ningest < (int)(sizeof resp->ingest / sizeof resp->ingest[0]))
		snprintf(resp->ingest[resp->ningest++], sizeof resp->ingest[0], "%s", id);
}
