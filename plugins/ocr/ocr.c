/* ocr.c: the OCR extraction plugin: images (PNG, JPEG, GIF, TIFF with all
 * its pages, BMP, WebP) read through Tesseract, and the OCR service other
 * plugins reach through host->ocr (PDF pages without a text layer).
 *
 * Each image, and each page of a TIFF, is a sink page of paragraphs and its
 * mean OCR confidence. An image without text is QUIRE_EMPTY; a TIFF page
 * that fails (too slow, unreadable) does not lose the others, as in the
 * PDF plugin: the first failure is returned only when no page had text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/mman.h>
#include <sys/stat.h>

#include "ocr.h"
#include "image.h"
#include "engine.h"

static const char *const ocr_mime_types[] = { "image/png", "image/jpeg", "image/gif",
					      "image/tiff", "image/bmp", "image/webp", NULL };
static const char *const ocr_extensions[] = { "png", "jpg", "jpeg", "jpe", "gif", "tif",
					      "tiff", "bmp", "webp", NULL };

static int ocr_sniff(const unsigned char *head, size_t len, const char *mime)
{
	(void)mime;
	return img_kind(head, len) != IMG_NONE ? 100 : 0;
}

static enum quire_result ocr_init(const struct quire_host *host, void **state)
{
	struct ocr *o;
	enum quire_result r = ocr_engine_start(host, &o);

	*state = o;
	return r;
}

static void ocr_fini(void *state)
{
	ocr_engine_stop(state);
}

struct pages {
	struct ocr *o;
	const struct quire_host *host;
	int wrote;
	enum quire_result failed;   /* the first page that failed, if any */
};

static enum quire_result on_page(void *ctx, PIX *pix, unsigned number)
{
	struct pages *p = ctx;
	enum quire_result r;

	if (p->host->sink->page(p->host->sink_ctx, number))
		return QUIRE_TOO_LARGE;
	r = ocr_engine_page(p->o, p->host, pix);
	if (r == QUIRE_OK)
		p->wrote = 1;
	if (r == QUIRE_EMPTY || r == QUIRE_TIMEOUT || r == QUIRE_CORRUPT) {
		if (p->failed == QUIRE_OK && r != QUIRE_EMPTY)
			p->failed = r;
		r = QUIRE_OK;
	}
	/* the document's OCR budget is spent: no page after this one */
	if (r == QUIRE_OK && ocr_engine_spent(p->o, p->host))
		r = QUIRE_TIMEOUT;
	return r;
}

static enum quire_result ocr_extract(void *state, const struct quire_host *host, const char *path,
				     int fd, const char *mime)
{
	struct pages p = { state, host, 0, QUIRE_OK };
	struct stat st;
	void *map;
	enum quire_result r;

	(void)path;
	(void)mime;
	if (!p.o)
		return QUIRE_ERROR;
	if (fstat(fd, &st) != 0)
		return QUIRE_ERROR;
	if (st.st_size < 8)
		return st.st_size == 0 ? QUIRE_EMPTY : QUIRE_CORRUPT;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return QUIRE_ERROR;
	r = img_each_page(host, map, (size_t)st.st_size, on_page, &p);
	munmap(map, (size_t)st.st_size);
	if (r != QUIRE_OK)
		return r;
	if (!p.wrote)
		return p.failed != QUIRE_OK ? p.failed : QUIRE_EMPTY;
	if (p.failed != QUIRE_OK)
		host->log(QUIRE_LOG_WARNING, "ocr: some pages were not read");
	return QUIRE_OK;
}

/* host->ocr: an image rendered by another plugin. */
static enum quire_result ocr_image(void *state, const struct quire_host *host,
				   const struct quire_image *img)
{
	unsigned long long cap = host->limits->max_pixels ? host->limits->max_pixels : 100000000ULL;
	PIX *pix;
	enum quire_result r;

	if (!state)
		return QUIRE_ERROR;
	if ((unsigned long long)img->width * img->height > cap) {
		host->log(QUIRE_LOG_WARNING, "ocr: rendered image of %u x %u pixels is over the limit",
			  img->width, img->height);
		return QUIRE_TOO_LARGE;
	}
	pix = img_from_quire(img);
	if (!pix) {
		host->log(QUIRE_LOG_ERROR, "ocr: bad rendered image (%u x %u, %u channels)", img->width,
			  img->height, img->channels);
		return QUIRE_ERROR;
	}
	r = ocr_engine_page(state, host, pix);
	pixDestroy(&pix);
	return r;
}

static const struct quire_plugin ocr_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "ocr",
	.version = "1.0",
	.mime_types = ocr_mime_types,
	.extensions = ocr_extensions,
	.sniff = ocr_sniff,
	.init = ocr_init,
	.extract = ocr_extract,
	.fini = ocr_fini,
	.flags = QUIRE_PLUGIN_OCR,
	.ocr_image = ocr_image,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &ocr_plugin;
}
