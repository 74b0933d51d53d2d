/* html.c: escaped text and plain, accessible HTML pages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/html.h"

#include <stdio.h>
#include <string.h>

void html_escape(struct qbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': qbuf_adds(b, "&amp;"); break;
		case '<': qbuf_adds(b, "&lt;"); break;
		case '>': qbuf_adds(b, "&gt;"); break;
		case '"': qbuf_adds(b, "&quot;"); break;
		case '\'': qbuf_adds(b, "&#39;"); break;
		default: qbuf_add(b, s, 1);
		}
	}
}

void html_page(struct qresp *resp, int status, const char *title, const char *body_html,
	       int refresh)
{
	struct qbuf *b = &resp->body;
	resp->status = status;
	qbuf_reset(b);
	qresp_header(resp, "Content-Type", "text/html; charset=utf-8");
	qresp_header(resp, "Cache-Control", "no-store");
	qresp_header(resp, "X-Content-Type-Options", "nosniff");
	qresp_header(resp, "Referrer-Policy", "no-referrer");
	qresp_header(resp, "Content-Security-Policy",
		     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
	qbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	if (refresh > 0)
		qbuf_printf(b, "<meta http-equiv=\"refresh\" content=\"%d\">\n", refresh);
	qbuf_adds(b, "<title>");
	html_escape(b, title);
	qbuf_adds(b, "</title>\n<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;"
		     "padding:0 1em;line-height:1.5}table{border-collapse:collapse}"
		     "th,td{text-align:left;padding:.25em .75em .25em 0}</style>\n"
		     "</head>\n<body>\n<main>\n<h1>");
	html_escape(b, title);
	qbuf_adds(b, "</h1>\n");
	qbuf_adds(b, body_html);
	qbuf_adds(b, "</main>\n</body>\n</html>\n");
}
