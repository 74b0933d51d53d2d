/* worker.h: the FastCGI responder loop of quire.fcgi. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_WORKER_H
#define QUIRE_WORKER_H

#include <signal.h>
#include "http/app.h"
#include "daemon/heartbeat.h"

/* Serve requests on the inherited FastCGI socket (fd 0) until *stop is set
 * or the storage panics.
 * Returns the process exit status: 0 after a clean stop, 75 when
 * the storage needs recovery. */
int worker_serve(struct app *app, volatile sig_atomic_t *stop, struct hb_slot *hb, int slot);

/* Serve the one request of a plain CGI invocation (environment, stdin,
 * stdout). ingest_inline: ingest the uploads after closing stdout (run by
 * hand); 0 leaves them queued (cgi_mode = serial). Returns 0. */
int worker_serve_cgi(struct app *app, int ingest_inline);

#endif
