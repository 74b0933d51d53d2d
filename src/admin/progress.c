/* progress.c: quire-admin's progress line on a terminal (progress.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/progress.h"
#include "base/util.h"

#include <stdio.h>

int admin_progress_on;
void (*admin_progress_sink)(const char *s, size_t n);

static void emit(const char *s, size_t n)
{
	if (admin_progress_sink) {
		admin_progress_sink(s, n);
		return;
	}
	fwrite(s, 1, n, stderr);
	fflush(stderr);
}

static void draw(struct progress *p, int64_t now)
{
	double secs = (double)(now - p->start_ms) / 1000.0;
	double rate = secs > 0 ? (double)p->done / secs : 0;
	char left[32] = "";
	if (p->total && rate > 0 && p->done < p->total) {
		double s = (double)(p->total - p->done) / rate;
		snprintf(left, sizeof left, ", %.0f s left", s < 1 ? 1 : s);
	}
	char line[256];
	int n;
	if (p->total)
		n = snprintf(line, sizeof line, "\r%s: %zu/%zu %s (%zu%%), %.0f/s%s\033[K", p->what,
			     p->done, p->total, p->unit, p->done * 100 / p->total, rate, left);
	else
		n = snprintf(line, sizeof line, "\r%s: %zu %s, %.0f/s\033[K", p->what, p->done,
			     p->unit, rate);
	if (n > 0)
		emit(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	p->drawn_ms = now;
}

void progress_start(struct progress *p, const char *what, const char *unit, size_t total)
{
	p->on = admin_progress_on;
	p->what = what;
	p->unit = unit;
	p->total = total;
	p->done = 0;
	p->start_ms = p->drawn_ms = q_mono_ms();
	if (p->on)
		draw(p, p->start_ms);
}

void progress_set(struct progress *p, size_t done)
{
	p->done = done;
	if (!p->on)
		return;
	int64_t now = q_mono_ms();
	if (now - p->drawn_ms >= 200)
		draw(p, now);
}

void progress_end(struct progress *p)
{
	if (!p->on)
		return;
	draw(p, q_mono_ms());
	emit("\n", 1);
	p->on = 0;
}
