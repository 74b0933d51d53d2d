/* fault.c: named fault points (see fault.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int loaded;
static char list[512];   /* ",name,name," or empty */

static void load(void)
{
	if (loaded)
		return;
	loaded = 1;
	const char *env = getenv("QUIRE_FAULT");
	if (!env || !*env || strlen(env) + 3 > sizeof list)
		return;
	list[0] = ',';
	strcpy(list + 1, env);
	strcat(list, ",");
}

int fault_enabled(void)
{
	load();
	return list[0] != '\0';
}

int fault_armed(const char *name)
{
	char needle[128];
	if (!fault_enabled() || !name || !*name || strchr(name, ','))
		return 0;
	size_t n = strlen(name);
	if (n + 3 > sizeof needle)
		return 0;
	needle[0] = ',';
	memcpy(needle + 1, name, n);
	needle[n + 1] = ',';
	needle[n + 2] = '\0';
	return strstr(list, needle) != NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

void fault_point(const char *name)
{
	if (!fault_armed(name))
		return;
	if (ends_with(name, "_hang")) {
		for (;;)
			pause();
	}
	if (ends_with(name, "_kill"))
		raise(SIGKILL);
	if (ends_with(name, "_exit"))
		_exit(3);   /* an abnormal exit without a signal */
	if (ends_with(name, "_pause"))
		sleep(2);   /* widen a race window */
	if (ends_with(name, "_slow")) {
		struct timespec ts = {2, 0};
		while (nanosleep(&ts, &ts) < 0)
			;
	}
}
