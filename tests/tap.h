/* tap.h: a tiny Test Anything Protocol helper for the unit tests, read by
 * automake's tap-driver.sh. Header-only: include it once per test program.
 *
 *   plan(n);                     optional; else done_testing() prints it
 *   ok(cond, "name %d", i);      returns cond
 *   is_int(got, want, "name");   long long comparison
 *   is_str(got, want, "name");   strcmp; NULL only equals NULL
 *   diag("note %s", x);          "# note" on stdout, so the TAP log keeps
 *                                it next to the test it explains
 *   bail_out("why");             abort the whole program (setup failed)
 *   return done_testing();       exit status: 0 only when every planned
 *                                test ran and passed, and at least one ran */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TAP_H
#define QUIRE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_planned = -1, tap_run, tap_failed;

__attribute__((unused)) static void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

__attribute__((unused, format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputs("\n", stdout);
	va_end(ap);
	fflush(stdout);
}

__attribute__((unused, noreturn, format(printf, 1, 2))) static void bail_out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("Bail out! ", stdout);
	vprintf(fmt, ap);
	fputs("\n", stdout);
	va_end(ap);
	fflush(stdout);
	exit(255);
}

static int tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	if (!cond) {
		tap_failed++;
		fputs("not ", stdout);
	}
	/* A name must stay on its line: control characters become '?'. */
	char name[512];
	vsnprintf(name, sizeof name, fmt, ap);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	printf("ok %d - %s\n", tap_run, name);
	if (!cond)
		printf("#   Failed test at %s line %d\n", file, line);
	fflush(stdout);
	return cond;
}

__attribute__((unused, format(printf, 4, 5))) static int tap_ok(int cond, const char *file,
								 int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	return r;
}

__attribute__((unused, format(printf, 5, 6))) static int
tap_is_int(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return r;
}

__attribute__((unused, format(printf, 5, 6))) static int
tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int same = (!got && !want) || (got && want && !strcmp(got, want));
	va_start(ap, fmt);
	int r = tap_vok(same, file, line, fmt, ap);
	va_end(ap);
	if (!r) {
		printf("#          got: %s%s%s\n", got ? "'" : "", got ? got : "NULL", got ? "'" : "");
		printf("#     expected: %s%s%s\n", want ? "'" : "", want ? want : "NULL",
		       want ? "'" : "");
	}
	return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

/* Print the plan if none was given; the exit status for main. A program
 * that ran no test at all fails: a test that cannot fail is a defect. */
__attribute__((unused)) static int done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_run != tap_planned)
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
	if (tap_run == 0)
		printf("# no tests ran\n");
	if (tap_failed)
		printf("# failed %d of %d tests\n", tap_failed, tap_run);
	fflush(stdout);
	return tap_failed || tap_run == 0 || (tap_planned >= 0 && tap_run != tap_planned);
}

#endif
