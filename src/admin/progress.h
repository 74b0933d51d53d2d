/* progress.h: a progress line for long quire-admin commands (count, rate,
 * time left), drawn on stderr only when it is a terminal: scripts, pipes
 * and cron see nothing. Under quired the command runs as quired's child
 * with its stderr relayed to the client, so the client decides (it sees
 * the terminal) and passes --progress along. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PROGRESS_H
#define QUIRE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	int on;
	const char *what;    /* "reindex" */
	const char *unit;    /* "chunks" */
	size_t total, done;
	int64_t start_ms, drawn_ms;
};

/* Whether progress is drawn (set once by quire-admin's main: a terminal on
 * stderr, or --progress from a client that has one). */
extern int admin_progress_on;
/* Where the line goes: NULL is stderr; under quired, quire-admin --joined
 * sends it at once as a stderr frame of the control connection. */
extern void (*admin_progress_sink)(const char *s, size_t n);

/* Start a line for total units (0 when unknown). */
void progress_start(struct progress *p, const char *what, const char *unit, size_t total);
/* done units so far; redrawn at most every 200 ms. */
void progress_set(struct progress *p, size_t done);
/* The final figures, then a newline so the command's own output follows. */
void progress_end(struct progress *p);

#endif
