/* test_ratelimit.c: the shared per-key counters: limit, remaining, reset
 * and Retry-After; windows; keys apart; counts shared between processes
 * that map the same file (forked children hitting at once); slots reused
 * when stale; a file that cannot be made allows requests. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/ratelimit.h"
#include "tap.h"
#include "unit/unit.h"

#include <sys/wait.h>
#include <unistd.h>

static char dir[PATH_MAX], path[PATH_MAX];

static void test_window(void)
{
	struct rl_result r;
	int64_t t0 = 1700000000 - 1700000000 % RL_WINDOW_S + 10;   /* 10 s into a window */
	for (int i = 1; i <= 3; i++) {
		rl_hit(path, "acct:key-a", 3, t0, &r);
		ok(r.allowed && r.remaining == (unsigned)(3 - i) && r.limit == 3,
		   "hit %d allowed, remaining %u", i, r.remaining);
	}
	rl_hit(path, "acct:key-a", 3, t0 + 5, &r);
	ok(!r.allowed && r.remaining == 0, "hit 4 refused");
	is_int(r.reset, t0 - 10 + RL_WINDOW_S, "reset is the end of the window");
	is_int(r.retry_after, RL_WINDOW_S - 15, "Retry-After is the seconds left");
	rl_hit(path, "acct:key-b", 3, t0 + 5, &r);
	ok(r.allowed && r.remaining == 2, "another key has its own count");
	rl_hit(path, "acct:key-a", 3, t0 - 10 + RL_WINDOW_S, &r);
	ok(r.allowed && r.remaining == 2, "the next window starts over");
	rl_hit(path, "acct:key-a", 5, t0 - 10 + RL_WINDOW_S, &r);
	ok(r.allowed && r.remaining == 3, "a raised limit applies to the running count");
	rl_hit(path, "acct:key-c", 0, t0, &r);
	ok(r.allowed && r.limit == 0, "limit 0: not counted");
}

/* Children hit one key at once; exactly limit of them get through. */
static void test_shared(void)
{
	enum { KIDS = 8, EACH = 50, LIMIT = 250 };
	int64_t now = 1800000000 - 1800000000 % RL_WINDOW_S;
	int fds[2];
	if (pipe(fds) < 0)
		bail_out("pipe");
	for (int k = 0; k < KIDS; k++) {
		pid_t p = fork();
		if (p < 0)
			bail_out("fork");
		if (p == 0) {
			close(fds[0]);
			unsigned char allowed = 0;
			struct rl_result r;
			for (int i = 0; i < EACH; i++) {
				rl_hit(path, "acct:shared", LIMIT, now, &r);
				allowed += (unsigned char)r.allowed;
			}
			if (write(fds[1], &allowed, 1) != 1)
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	int total = 0;
	unsigned char a;
	while (read(fds[0], &a, 1) == 1)
		total += a;
	close(fds[0]);
	int status, clean = 1;
	while (wait(&status) > 0)
		clean &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	ok(clean, "every child ran");
	is_int(total, LIMIT, "%d processes x %d hits: exactly %d allowed", KIDS, EACH, LIMIT);
	struct rl_result r;
	rl_hit(path, "acct:shared", LIMIT, now, &r);
	ok(!r.allowed, "the parent sees the children's count");
}

/* More keys than one probe run holds: stale slots are taken over. */
static void test_slots(void)
{
	struct rl_result r;
	int64_t old = 1900000000 - 1900000000 % RL_WINDOW_S, now = old + 10 * RL_WINDOW_S;
	char key[32];
	int all = 1;
	for (int i = 0; i < RL_SLOTS; i++) {
		snprintf(key, sizeof key, "acct:fill-%d", i);
		rl_hit(path, key, 10, old, &r);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "acct:new-%d", i);
		rl_hit(path, key, 1, now, &r);
		all &= r.allowed && r.remaining == 0;
	}
	ok(all, "keys of a later window reuse stale slots and are counted");
	rl_hit(path, "acct:new-7", 1, now, &r);
	ok(!r.allowed, "and refused once over their limit");
}

static void test_unusable(void)
{
	struct rl_result r;
	rl_hit("/nonexistent-dir/ratelimit", "acct:x", 1, 1000, &r);
	rl_hit("/nonexistent-dir/ratelimit", "acct:x", 1, 1000, &r);
	ok(r.allowed, "no file: requests are allowed (the limiter never takes the service down)");
}

int main(void)
{
	unit_tmpdir(dir, "ratelimit");
	snprintf(path, sizeof path, "%s/ratelimit", dir);
	test_window();
	test_shared();
	test_slots();
	test_unusable();
	rl_hit(path, "acct:again", 2, 1000, &(struct rl_result){0});
	unit_rmtree(dir);
	return done_testing();
}
