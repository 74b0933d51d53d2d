/* engine.c: the OCR plugin's Tesseract side (C API): start-up, one page
 * recognised under the page deadline, and retries for pages that read
 * badly (deskewed with Leptonica, turned upright with Tesseract's
 * orientation detection).
 *
 * Threads: Tesseract's OpenMP loops are 8x slower than one thread on a
 * two-core machine (and quire-extract runs several children at once). The
 * OpenMP runtime reads OMP_THREAD_LIMIT when it is loaded, which for a
 * plugin is when the host dlopen()s it, before init(); so init() also
 * turns parallel regions off for the thread that recognises, through
 * omp_set_max_active_levels(0) of the runtime Tesseract already loaded.
 *
 * Deadline: recognition runs with a monitor whose deadline is what is left
 * of limits->ocr_page_timeout_s for the page. Tesseract checks it between
 * words only, not during its layout analysis; a page stuck there is ended
 * by quire-extract's wall-clock deadline, which kills the child.
 *
 * Work bounds: a page without ink (img_blank) never reaches Tesseract,
 * and recognition time is counted over the whole document: once
 * limits->ocr_budget_s is spent no further page is read (QUIRE_TIMEOUT),
 * and a page's deadline never runs past what is left of the budget. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tesseract/capi.h>

#include "ocr.h"
#include "text.h"
#include "image.h"
#include "engine.h"

struct ocr {
	TessBaseAPI *api;
	TessBaseAPI *osd;   /* orientation and script detection */
	int osd_state;      /* 0 not tried, 1 ready, -1 unavailable */
	long long spent_ms; /* recognition time so far in this document */
	int budget_told;    /* the budget's exhaustion was logged */
};

/* A page whose mean confidence is below this is tried again deskewed and
 * upright (Tesseract's own reading of a clean page is 80-95). */
#define RETRY_BELOW 60
/* Deskew only past this angle (degrees); Tesseract copes with less. */
#define SKEW_MIN 1.0f
/* How far Leptonica looks for the skew angle either way (degrees). */
#define SKEW_RANGE 15.0f

static void one_thread(void)
{
	void *gomp;

	setenv("OMP_THREAD_LIMIT", "1", 0);   /* for a runtime loaded from now on */
	gomp = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (gomp) {
		void (*set_levels)(int) = (void (*)(int))dlsym(gomp, "omp_set_max_active_levels");

		if (set_levels)
			set_levels(0);   /* no parallel region runs more than one thread */
		dlclose(gomp);
	}
}

/* Tesseract language strings are names joined by '+'; anything else (a
 * path, an empty name) is refused before it reaches the file system. */
static int langs_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 200 || s[0] == '+' || s[n - 1] == '+' || strstr(s, "++"))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

/* Warn about each requested language that Tesseract did not load. */
static void warn_dropped(const struct quire_host *host, TessBaseAPI *api, const char *want)
{
	char **loaded = TessBaseAPIGetLoadedLanguagesAsVector(api);
	char name[201];
	const char *s = want;

	while (*s) {
		size_t n = strcspn(s, "+");
		int found = 0;

		memcpy(name, s, n);
		name[n] = '\0';
		for (char **l = loaded; l && *l && !found; l++)
			found = strcmp(*l, name) == 0;
		if (!found)
			host->log(QUIRE_LOG_WARNING, "ocr: language '%s' is not installed; left out", name);
		s += n + (s[n] == '+');
	}
	TessDeleteTextArray(loaded);
}

static enum quire_result init_langs(const struct quire_host *host, TessBaseAPI *api)
{
	const char *want = host->limits->ocr_languages;

	if (want && *want && !langs_valid(want)) {
		host->log(QUIRE_LOG_WARNING, "ocr: bad language list '%.64s'; using eng", want);
		want = NULL;
	}
	if (!want || !*want)
		want = "eng";
	if (TessBaseAPIInit3(api, NULL, want) == 0) {
		warn_dropped(host, api, want);
		return QUIRE_OK;
	}
	if (strcmp(want, "eng") != 0) {
		host->log(QUIRE_LOG_WARNING, "ocr: none of '%s' is installed; using eng", want);
		if (TessBaseAPIInit3(api, NULL, "eng") == 0)
			return QUIRE_OK;
	}
	host->log(QUIRE_LOG_ERROR, "ocr: Tesseract found no language data (eng.traineddata)");
	return QUIRE_ERROR;
}

/* Quiet: Tesseract's notes ("Estimating resolution as ...", "Empty
 * page!!") would fill the worker's log once per page. Tesseract opens its
 * debug_file at its first message, with fopen(, "wb"), which the sandbox
 * refuses: so when files can still be opened for writing (init() before
 * the sandbox), a first message is provoked now by reading a config file
 * that is not there. Inside the sandbox (OCR started lazily for a PDF) the
 * notes go to stderr. */
static void quiet(TessBaseAPI *api)
{
	FILE *probe;

	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	probe = fopen("/dev/null", "wb");
	if (probe) {
		fclose(probe);
		TessBaseAPIReadDebugConfigFile(api, "");
	}
}

enum quire_result ocr_engine_start(const struct quire_host *host, struct ocr **out)
{
	struct ocr *o = calloc(1, sizeof *o);
	enum quire_result r;

	*out = NULL;
	if (!o)
		return QUIRE_ERROR;
	one_thread();
	setMsgSeverity(L_SEVERITY_NONE);   /* bad files are reported by us, once */
	o->api = TessBaseAPICreate();
	r = o->api ? init_langs(host, o->api) : QUIRE_ERROR;
	if (r != QUIRE_OK) {
		ocr_engine_stop(o);
		return r;
	}
	TessBaseAPISetPageSegMode(o->api, PSM_AUTO);   /* the API's default is one block */
	quiet(o->api);
	*out = o;
	return QUIRE_OK;
}

void ocr_engine_stop(struct ocr *o)
{
	if (!o)
		return;
	if (o->api) {
		TessBaseAPIEnd(o->api);
		TessBaseAPIDelete(o->api);
	}
	if (o->osd) {
		TessBaseAPIEnd(o->osd);
		TessBaseAPIDelete(o->osd);
	}
	free(o);
}

/* ---- one reading ------------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What one reading of an image produced: text new (TessDeleteText). */
struct reading {
	char *text;
	int conf;
};

static void reading_free(struct reading *rd)
{
	if (rd->text)
		TessDeleteText(rd->text);
	rd->text = NULL;
	rd->conf = -1;
}

/* Recognise pix with the time left until deadline (ms on the monotonic
 * clock; 0 for none). */
static enum quire_result read_pix(struct ocr *o, PIX *pix, long long deadline,
				  struct reading *rd)
{
	ETEXT_DESC *mon = TessMonitorCreate();
	long long left = deadline ? deadline - now_ms() : 0;
	int rc;

	rd->text = NULL;
	rd->conf = -1;
	if (!mon)
		return QUIRE_ERROR;
	if (deadline && left <= 0) {
		TessMonitorDelete(mon);
		return QUIRE_TIMEOUT;
	}
	if (deadline)
		TessMonitorSetDeadlineMSecs(mon, left > 0x7fffffff ? 0x7fffffff : (int)left);
	TessBaseAPISetImage2(o->api, pix);
	rc = TessBaseAPIRecognize(o->api, mon);
	TessMonitorDelete(mon);
	if (rc != 0) {
		TessBaseAPIClear(o->api);
		return deadline && now_ms() >= deadline ? QUIRE_TIMEOUT : QUIRE_ERROR;
	}
	rd->text = TessBaseAPIGetUTF8Text(o->api);
	rd->conf = TessBaseAPIMeanTextConf(o->api);
	TessBaseAPIClear(o->api);
	return rd->text ? QUIRE_OK : QUIRE_ERROR;
}

static int has_text(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s > ' ')
			return 1;
	return 0;
}

/* Keep the better of *best and *cand (by confidence, text over none);
 * the other is freed. */
static void keep_better(struct reading *best, struct reading *cand)
{
	int cand_wins = has_text(cand->text) &&
			(!has_text(best->text) || cand->conf > best->conf);

	if (cand_wins) {
		reading_free(best);
		*best = *cand;
		cand->text = NULL;
	}
	reading_free(cand);
}

/* ---- retries ---------------------------------------------------------- */

/* The orientation detector, made on first need (osd.traineddata may not be
 * installed; then pages are not turned). */
static TessBaseAPI *osd_api(struct ocr *o)
{
	if (o->osd_state == 0) {
		o->osd = TessBaseAPICreate();
		o->osd_state = o->osd && TessBaseAPIInit2(o->osd, NULL, "osd", OEM_TESSERACT_ONLY) == 0
				       ? 1 : -1;
		if (o->osd_state == 1) {
			TessBaseAPISetPageSegMode(o->osd, PSM_OSD_ONLY);
			quiet(o->osd);
		}
	}
	return o->osd_state == 1 ? o->osd : NULL;
}

/* Quarter turns clockwise that make pix upright, by OSD; 0 when unsure. */
static int upright_turns(struct ocr *o, PIX *pix)
{
	TessBaseAPI *osd = osd_api(o);
	int deg = 0;
	float conf = 0, script_conf = 0;
	const char *script = NULL;
	BOOL ok;

	if (!osd)
		return 0;
	TessBaseAPISetImage2(osd, pix);
	ok = TessBaseAPIDetectOrientationScript(osd, &deg, &conf, &script, &script_conf);
	TessBaseAPIClear(osd);
	if (!ok || conf < 1.0f || deg % 90 != 0)
		return 0;
	return ((360 - deg) / 90) % 4;
}

/* Read pix again deskewed and, when OSD says so, turned upright; better
 * readings replace *best. */
static enum quire_result retry(struct ocr *o, PIX *pix, long long deadline, struct reading *best)
{
	l_float32 angle = 0, conf = 0;
	PIX *straight = pixDeskewGeneral(pix, 0, SKEW_RANGE, 0.0f, 0, 0, &angle, &conf);
	PIX *use = straight ? straight : pix;
	struct reading rd;
	enum quire_result r = QUIRE_OK;
	int turns;

	/* Leptonica hands back pix itself when it found no clear angle */
	if (straight && straight != pix && (angle >= SKEW_MIN || angle <= -SKEW_MIN)) {
		r = read_pix(o, straight, deadline, &rd);
		if (r == QUIRE_OK)
			keep_better(best, &rd);
	}
	turns = r == QUIRE_OK ? upright_turns(o, use) : 0;
	if (turns) {
		PIX *up = pixRotateOrth(use, turns);

		r = up ? read_pix(o, up, deadline, &rd) : QUIRE_ERROR;
		if (r == QUIRE_OK)
			keep_better(best, &rd);
		pixDestroy(&up);
	}
	pixDestroy(&straight);
	/* the first reading stands when a retry runs out of time */
	return r == QUIRE_TIMEOUT ? QUIRE_OK : r;
}

/* Milliseconds of the document's OCR budget left; -1 when there is none. */
static long long budget_left(const struct ocr *o, const struct quire_host *host)
{
	unsigned budget = host->limits->ocr_budget_s;
	if (!budget)
		return -1;
	long long left = (long long)budget * 1000 - o->spent_ms;
	return left > 0 ? left : 0;
}

int ocr_engine_spent(struct ocr *o, const struct quire_host *host)
{
	if (!o || budget_left(o, host) != 0)
		return 0;
	if (!o->budget_told++)
		host->log(QUIRE_LOG_WARNING, "ocr: the document's OCR budget of %u s is spent",
			  host->limits->ocr_budget_s);
	return 1;
}

enum quire_result ocr_engine_page(struct ocr *o, const struct quire_host *host, PIX *pix)
{
	unsigned secs = host->limits->ocr_page_timeout_s;
	long long start = now_ms(), left;
	long long deadline = secs ? start + (long long)secs * 1000 : 0;
	struct reading best;
	enum quire_result r;
	int wrote = 0;

	if (ocr_engine_spent(o, host))
		return QUIRE_TIMEOUT;
	left = budget_left(o, host);
	if (img_blank(pix)) {   /* no ink: nothing for Tesseract to read */
		host->log(QUIRE_LOG_DEBUG, "ocr: a page without ink, not sent to Tesseract");
		return QUIRE_EMPTY;
	}
	if (left > 0 && (!deadline || start + left < deadline))
		deadline = start + left;
	r = read_pix(o, pix, deadline, &best);
	if (r == QUIRE_OK && (!has_text(best.text) || best.conf < RETRY_BELOW))
		r = retry(o, pix, deadline, &best);
	o->spent_ms += now_ms() - start;
	if (r == QUIRE_TIMEOUT && !ocr_engine_spent(o, host))
		host->log(QUIRE_LOG_WARNING, "ocr: page not read within %u s", secs);
	if (r == QUIRE_OK && has_text(best.text))
		r = ocr_text_emit(host, best.text, &wrote);
	if (r == QUIRE_OK && wrote &&
	    host->sink->ocr_confidence(host->sink_ctx, best.conf < 0 ? 0 : best.conf))
		r = QUIRE_TOO_LARGE;
	reading_free(&best);
	if (r == QUIRE_OK && !wrote)
		return QUIRE_EMPTY;
	return r;
}
