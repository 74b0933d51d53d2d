/* html.h: small, accessible HTML pages for browsers that post plain forms
 * (form uploads, docs/form-upload.md): text escaped, no script, a strict
 * Content-Security-Policy, never cached, no Referer sent onwards. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_HTML_H
#define QUIRE_HTML_H

#include "http/http.h"

/* Append s escaped for HTML text and attribute values to b. */
void html_escape(struct qbuf *b, const char *s);
/* Make resp an HTML page: status, a <title> and <h1> of title (escaped),
 * then body_html (trusted markup, borrowed) inside <main>. refresh > 0
 * adds a refresh after that many seconds (a progress page). */
void html_page(struct qresp *resp, int status, const char *title, const char *body_html,
	       int refresh);

#endif
