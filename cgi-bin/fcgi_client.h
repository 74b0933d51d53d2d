/* fcgi_client.h: the client side of FastCGI (one request per connection),
 * as quire.cgi speaks it to quired's workers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_FCGI_CLIENT_H
#define QUIRE_FCGI_CLIENT_H

#include <stddef.h>

struct fcgi_relay {
	int sock;                 /* connected to the workers' socket (borrowed) */
	int in_fd;                /* the request body (the CGI's stdin) */
	long long content_length; /* bytes of body to read from in_fd; 0 = none,
				   * LLONG_MAX = up to its end */
	int out_fd;               /* where FCGI_STDOUT goes, written as it arrives */
	int err_fd;               /* where FCGI_STDERR goes */
	int idle_timeout_s;       /* give up after this long without a byte either way */
	char *const *envp;        /* the CGI variables, sent as FCGI_PARAMS */
	/* Out: */
	size_t out_bytes;         /* response bytes passed to out_fd */
	int ended;                /* FCGI_END_REQUEST seen */
};

/* Send the request (BEGIN_REQUEST, PARAMS from envp, STDIN from in_fd) and
 * pass the answer through to out_fd record by record, never buffering a
 * response (SSE events reach the client as the worker writes them), while
 * the body is still being sent (a worker may answer 413 before reading it).
 * Returns 0 when the worker ended the request, -1 otherwise (connection
 * lost, timeout, the client gone; out_bytes says whether anything was
 * answered). */
int fcgi_relay_run(struct fcgi_relay *r);

#endif
