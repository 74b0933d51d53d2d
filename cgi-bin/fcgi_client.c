/* fcgi_client.c: a FastCGI client for one request: records out (begin,
 * params, stdin) and in (stdout, stderr, end), over one poll loop. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fcgi_client.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FCGI_BEGIN_REQUEST = 1, FCGI_END_REQUEST = 3, FCGI_PARAMS = 4, FCGI_STDIN = 5,
       FCGI_STDOUT = 6, FCGI_STDERR = 7 };
#define REQ_ID 1
#define REC_MAX 32768          /* content bytes per record we send */
#define PARAMS_MAX (1u << 20)  /* the CGI variables together */

/* Bytes queued for the socket. */
struct outq {
	unsigned char *p;
	size_t len, off, cap;
};

static int outq_reserve(struct outq *q, size_t n)
{
	if (q->off == q->len)
		q->off = q->len = 0;
	if (q->len + n <= q->cap)
		return 0;
	size_t cap = q->cap ? q->cap : 4096;
	while (cap < q->len + n)
		cap *= 2;
	if (cap > PARAMS_MAX + REC_MAX + 64)
		return -1;
	unsigned char *p = realloc(q->p, cap);
	if (!p)
		return -1;
	q->p = p;
	q->cap = cap;
	return 0;
}

static int record(struct outq *q, int type, const void *data, size_t n)
{
	if (outq_reserve(q, 8 + n) < 0)
		return -1;
	unsigned char *h = q->p + q->len;
	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = 0;
	h[3] = REQ_ID;
	h[4] = (unsigned char)(n >> 8);
	h[5] = (unsigned char)n;
	h[6] = h[7] = 0;
	if (n)
		memcpy(h + 8, data, n);
	q->len += 8 + n;
	return 0;
}

static size_t put_len(unsigned char *p, size_t n)
{
	if (n < 128) {
		p[0] = (unsigned char)n;
		return 1;
	}
	p[0] = (unsigned char)((n >> 24) | 0x80);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
	return 4;
}

/* FCGI_PARAMS: every NAME=value of envp as name-value pairs, cut into
 * records, then the empty record that ends them. */
static int params(struct outq *q, char *const *envp)
{
	unsigned char *buf = malloc(PARAMS_MAX);
	size_t len = 0;
	int rc = -1;
	if (!buf)
		return -1;
	for (char *const *e = envp; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq || eq == *e)
			continue;
		size_t nl = (size_t)(eq - *e), vl = strlen(eq + 1);
		if (len + 8 + nl + vl > PARAMS_MAX)
			goto out;
		len += put_len(buf + len, nl);
		len += put_len(buf + len, vl);
		memcpy(buf + len, *e, nl);
		memcpy(buf + len + nl, eq + 1, vl);
		len += nl + vl;
	}
	for (size_t off = 0; off < len; off += REC_MAX)
		if (record(q, FCGI_PARAMS, buf + off, len - off > REC_MAX ? REC_MAX : len - off) < 0)
			goto out;
	rc = record(q, FCGI_PARAMS, NULL, 0);
out:
	free(buf);
	return rc;
}

static int begin(struct outq *q)
{
	unsigned char body[8] = {0, 1 /* FCGI_RESPONDER */, 0 /* close after */, 0, 0, 0, 0, 0};
	return record(q, FCGI_BEGIN_REQUEST, body, sizeof body);
}

/* Queue the next piece of the body as one FCGI_STDIN record (the empty one
 * once it is all sent). -1 when stdin failed. */
static int next_stdin(struct fcgi_relay *r, struct outq *q, long long *left, int *done)
{
	unsigned char buf[REC_MAX];
	if (*left <= 0) {
		*done = 1;
		return record(q, FCGI_STDIN, NULL, 0);
	}
	size_t want = *left > REC_MAX ? REC_MAX : (size_t)*left;
	ssize_t n;
	do
		n = read(r->in_fd, buf, want);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		*left = 0;   /* a short body: the worker says so ("incomplete body") */
		return n < 0 ? -1 : next_stdin(r, q, left, done);
	}
	*left -= n;
	return record(q, FCGI_STDIN, buf, (size_t)n);
}

/* Records received: pass their content on. in holds *len bytes; the
 * complete records are consumed. -1 when out_fd fails (client gone). */
static int consume(struct fcgi_relay *r, unsigned char *in, size_t *len)
{
	size_t off = 0;
	while (*len - off >= 8) {
		unsigned char *h = in + off;
		size_t n = ((size_t)h[4] << 8) | h[5], total = 8 + n + h[6];
		if (*len - off < total)
			break;
		if (h[1] == FCGI_STDOUT && n) {
			if (q_write_all(r->out_fd, h + 8, n) < 0)
				return -1;
			r->out_bytes += n;
		} else if (h[1] == FCGI_STDERR && n) {
			(void)!q_write_all(r->err_fd, h + 8, n);
		} else if (h[1] == FCGI_END_REQUEST) {
			r->ended = 1;
		}
		off += total;
	}
	memmove(in, in + off, *len - off);
	*len -= off;
	return 0;
}

int fcgi_relay_run(struct fcgi_relay *r)
{
	struct outq q = {0};
	unsigned char in[65536 + 8 + 256];
	size_t inlen = 0;
	long long left = r->content_length > 0 ? r->content_length : 0;
	int stdin_done = 0, sending = 1, rc = -1;

	r->out_bytes = 0;
	r->ended = 0;
	/* Never block on the socket one way while the worker blocks the other. */
	fcntl(r->sock, F_SETFL, fcntl(r->sock, F_GETFL) | O_NONBLOCK);
	if (begin(&q) < 0 || params(&q, r->envp) < 0)
		goto out;
	while (!r->ended) {
		if (sending && q.off == q.len && !stdin_done &&
		    next_stdin(r, &q, &left, &stdin_done) < 0)
			goto out;
		int want_out = sending && q.off < q.len;
		struct pollfd p = {r->sock, (short)(POLLIN | (want_out ? POLLOUT : 0)), 0};
		int n = poll(&p, 1, r->idle_timeout_s * 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;   /* timeout: no byte either way */
		if (p.revents & POLLOUT) {
			ssize_t w = write(r->sock, q.p + q.off, q.len - q.off);
			if (w > 0)
				q.off += (size_t)w;
			else if (w < 0 && errno != EINTR && errno != EAGAIN)
				sending = 0;   /* the worker answered without reading all: read on */
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = read(r->sock, in + inlen, sizeof in - inlen);
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0)
				goto out;   /* closed before FCGI_END_REQUEST */
			inlen += (size_t)got;
			if (consume(r, in, &inlen) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(q.p);
	return rc;
}
