/* fuzz_plugin.c: libFuzzer target for a plugin's entry point on its
 * format, through the plugin ABI as quire-extract calls it: init, then
 * extract on a memfd holding the input (path /proc/self/fd/N), with the
 * production limits but a small text cap (so the cap is reachable), into a
 * sink that checks every call. The plugin is linked in (libFuzzer build,
 * FUZZ_PLUGIN_STATIC) or dlopen'ed from $QUIRE_FUZZ_PLUGIN (replay). The
 * MIME type is the plugin's type number (input size mod the count).
 * Invariants: the result is a known quire_result; heading levels 1..6, list
 * levels >= 1, pages >= 1; text is never NULL when it has a length; after
 * the sink asked to stop, the plugin returns within a few calls with
 * QUIRE_TOO_LARGE (or another error). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"
#include "fuzz.h"
#include "quire/plugin.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TEXT_CAP 4096
/* A target may lower the pixel and OCR caps (the OCR target: small images,
 * so that Tesseract runs many times in a short fuzz run). */
#ifndef FUZZ_MAX_PIXELS
#define FUZZ_MAX_PIXELS 100000000ULL
#endif
#ifndef FUZZ_OCR_SECS
#define FUZZ_OCR_SECS 10
#endif
#define CALLS_AFTER_STOP 64

struct sinkstate {
	size_t text;
	int stopped;     /* the sink asked the plugin to stop */
	unsigned after;  /* calls since */
};

static struct sinkstate ss;

static int account(size_t len)
{
	if (ss.stopped) {
		ss.after++;
		return 1;
	}
	ss.text += len;
	if (ss.text > TEXT_CAP)
		ss.stopped = 1;
	return ss.stopped;
}

static int s_page(void *ctx, unsigned n)
{
	CHECK(n >= 1);
	return account(0);
}

static int s_heading(void *ctx, unsigned level, const char *t, size_t len)
{
	CHECK(level >= 1 && level <= 6);
	CHECK(t || !len);
	return account(len);
}

static int s_para(void *ctx, const char *t, size_t len)
{
	CHECK(t || !len);
	return account(len);
}

static int s_item(void *ctx, unsigned level, const char *t, size_t len)
{
	CHECK(level >= 1);
	CHECK(t || !len);
	return account(len);
}

static int s_row(void *ctx, const char *const *cells, const size_t *lens, size_t n, int header)
{
	size_t sum = 0;
	CHECK(!n || (cells && lens));
	for (size_t i = 0; i < n && cells && lens; i++) {
		CHECK(cells[i] || !lens[i]);
		sum += lens[i];
	}
	return account(sum);
}

static int s_conf(void *ctx, double c)
{
	CHECK(c >= 0 && c <= 100);
	return account(0);
}

static int s_meta(void *ctx, const char *key, const char *v, size_t len)
{
	CHECK(key && *key);
	CHECK(v || !len);
	return account(0);
}

static void h_log(enum quire_log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

static const struct quire_sink sink = {s_page, s_heading, s_para, s_item, s_row, s_conf, s_meta};
static struct quire_limits limits = {
	.max_pages = 5000, .max_text_bytes = TEXT_CAP, .max_pixels = FUZZ_MAX_PIXELS,
	.max_zip_entries = 10000, .max_inflated_bytes = 1ULL << 30, .max_ratio = 100,
	.ocr_page_timeout_s = FUZZ_OCR_SECS, .ocr_languages = "eng", .render_dpi = 150,
	.ocr_budget_s = FUZZ_OCR_SECS,
};
static struct quire_host host = {QUIRE_PLUGIN_ABI, sizeof(struct quire_host), h_log, &limits,
				 &sink, &ss, NULL};

static const struct quire_plugin *plugin;
static void *state;

void fuzz_cleanup(void)
{
	if (plugin && plugin->fini)
		plugin->fini(state);
	plugin = NULL;
}

#ifdef FUZZ_PLUGIN_STATIC
static const struct quire_plugin *load(void)
{
	return quire_plugin_entry();
}
#else
static const struct quire_plugin *load(void)
{
	const char *so = getenv("QUIRE_FUZZ_PLUGIN");
	void *h = so && *so ? dlopen(so, RTLD_NOW | RTLD_LOCAL) : NULL;
	quire_plugin_entry_fn fn = h ? (quire_plugin_entry_fn)dlsym(h, QUIRE_PLUGIN_ENTRY) : NULL;
	if (!fn) {
		fprintf(stderr, "fuzz_plugin: cannot load $QUIRE_FUZZ_PLUGIN (%s): %s\n",
			so ? so : "unset", dlerror());
		abort();
	}
	return fn();
}
#endif

static void setup(void)
{
	if (plugin)
		return;
	plugin = load();
	if (!plugin || plugin->abi != QUIRE_PLUGIN_ABI) {
		fprintf(stderr, "fuzz_plugin: not a plugin of ABI %d\n", QUIRE_PLUGIN_ABI);
		abort();
	}
	if (plugin->init && plugin->init(&host, &state) != QUIRE_OK) {
		fprintf(stderr, "fuzz_plugin: %s: init failed\n", plugin->name);
		abort();
	}
	atexit(fuzz_cleanup);
}

/* The plugin is set up before the first input, outside libFuzzer's
 * per-input timeout: the OCR plugin's init loads Tesseract's model, which
 * with the slow unwinder (run.sh) took over the 10 s timeout on a loaded
 * machine, reported as a hang of the empty input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	size_t ntypes = 0;
	setup();
	while (plugin->mime_types[ntypes])
		ntypes++;
	const char *mime = ntypes ? plugin->mime_types[size % ntypes] : "application/octet-stream";
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	memset(&ss, 0, sizeof ss);
	if (plugin->sniff)
		plugin->sniff(data, size < 4096 ? size : 4096, mime);
	enum quire_result r = plugin->extract(state, &host, path, fd, mime);
	close(fd);
	fuzz_status = r == QUIRE_OK ? Q_OK : r == QUIRE_TOO_LARGE ? Q_ETOOBIG : Q_EINVAL;
	CHECK(r >= QUIRE_OK && r <= QUIRE_ERROR);
	if (ss.stopped) {
		CHECK(ss.after <= CALLS_AFTER_STOP);
		CHECK(r != QUIRE_OK);
	}
	return 0;
}
