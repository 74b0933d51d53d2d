/* quire/plugin.h: the extraction plugin ABI (the one public header).
 *
 * A plugin is a shared object in $(pkglibdir) exporting exactly one symbol,
 * quire_plugin_entry, which returns a static descriptor. The descriptor is
 * versioned and append-only, in the manner of SQLite's extension API table:
 * fields are only ever added at the end, never reordered or removed; `size`
 * tells the host how much of the struct the plugin knows, and `abi` must
 * equal QUIRE_PLUGIN_ABI or the loader refuses the file (naming it).
 *
 * The host lends services through struct quire_host: logging, limits, the
 * structured sink, OCR of a rendered image and the document's password. A plugin calls the host only
 * through that struct, writes structured blocks to the sink, and never frees
 * memory it did not allocate. Text passed to the sink is UTF-8 (invalid
 * bytes are replaced by the host), borrowed for the duration of the call.
 *
 * Plugins run inside quire-extract, a sandboxed child process (rlimits,
 * an unprivileged user, Landlock and a seccomp allow-list installed after
 * init): after init they can read only the given descriptor and read-only
 * system data (fonts, poppler and Tesseract data), never use the network,
 * touch another process or start one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_H
#define QUIRE_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QUIRE_PLUGIN_ABI 1

/* Results of extract(); quire-extract maps them to its exit codes
 * (docs/extract-format.md). */
enum quire_result {
	QUIRE_OK = 0,
	QUIRE_UNSUPPORTED = 1,  /* not a format this plugin reads */
	QUIRE_ENCRYPTED = 2,    /* password protected */
	QUIRE_CORRUPT = 3,      /* unreadable, truncated, malformed */
	QUIRE_TOO_LARGE = 4,    /* a limit was hit (pages, pixels, entries, ratio, text) */
	QUIRE_TIMEOUT = 5,      /* a plugin-side deadline (e.g. OCR per page) */
	QUIRE_EMPTY = 6,        /* no text at all */
	QUIRE_ERROR = 7,        /* anything else (out of memory, library failure) */
};

/* Limits from the configuration; plugins must honour them. */
struct quire_limits {
	unsigned max_pages;            /* pages, slides, sheets */
	size_t max_text_bytes;         /* total text written to the sink */
	unsigned long long max_pixels; /* per image or rendered page */
	unsigned max_zip_entries;
	unsigned long long max_inflated_bytes;  /* total, counted as read */
	unsigned max_ratio;            /* inflated:compressed per zip entry */
	unsigned ocr_page_timeout_s;
	const char *ocr_languages;     /* Tesseract language string, "eng" */
	unsigned render_dpi;           /* rendering of text-less PDF pages for OCR */
	/* --- appended (the host and its plugins are built together) --- */
	unsigned ocr_budget_s;         /* OCR seconds per document, 0 = no budget */
};

/* The structured sink. Every call returns 0 to continue or non-zero when
 * the host wants the plugin to stop (a text cap was reached): the plugin
 * then returns QUIRE_TOO_LARGE promptly. */
struct quire_sink {
	/* A new page (1-based) starts; also slides and sheets. */
	int (*page)(void *ctx, unsigned number);
	/* A heading, level 1 (title) to 6. */
	int (*heading)(void *ctx, unsigned level, const char *text, size_t len);
	/* A paragraph of running text. */
	int (*paragraph)(void *ctx, const char *text, size_t len);
	/* A list item at nesting level (1-based). */
	int (*list_item)(void *ctx, unsigned level, const char *text, size_t len);
	/* One table row; header is 1 for a header row. */
	int (*table_row)(void *ctx, const char *const *cells, const size_t *lens, size_t ncells,
			 int header);
	/* Mean OCR confidence (0-100) of the current page's text. */
	int (*ocr_confidence)(void *ctx, double confidence);
	/* Document metadata: "title", "author", "language", "subject". */
	int (*meta)(void *ctx, const char *key, const char *value, size_t len);
};

enum quire_log_level { QUIRE_LOG_ERROR = 3, QUIRE_LOG_WARNING = 4, QUIRE_LOG_INFO = 6,
		       QUIRE_LOG_DEBUG = 7 };

/* A rendered image handed back to the host for OCR: 8-bit, `channels` of
 * 1 (grey), 3 (RGB) or 4 (RGBA/ BGRA as cairo's ARGB32 on little endian). */
struct quire_image {
	const unsigned char *pixels;
	unsigned width, height, stride, channels;
	unsigned dpi;
};

struct quire_host {
	unsigned abi;       /* QUIRE_PLUGIN_ABI */
	size_t size;        /* sizeof(struct quire_host) of the host */
	void (*log)(enum quire_log_level level, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));
	const struct quire_limits *limits;
	const struct quire_sink *sink;
	void *sink_ctx;
	/* OCR an image and write its text to the sink as paragraphs with an
	 * ocr_confidence; NULL when no OCR plugin is available. */
	enum quire_result (*ocr)(const struct quire_host *host, const struct quire_image *img);
	/* --- appended in ABI 1, read only when QUIRE_HOST_HAS(host, field) --- */
	/* The document's password (UTF-8, given to quire-extract with
	 * --password-file or --password-fd), or NULL: a plugin of an
	 * encrypted format opens the file with it. Borrowed; never log it,
	 * never write it to the sink or keep it past extract(). */
	const char *password;
	/* Embedded documents (an object or a package inside this one): what
	 * the plugin writes between embed_begin and the matching embed_end
	 * comes from it, and the structured output marks it so with its
	 * depth. Pairs nest. type names its format ("xls", "doc", "ooxml",
	 * "ole"...; NULL when unknown). Non-zero from embed_begin: the host
	 * takes no more (a cap): skip the object and do not call embed_end. */
	int (*embed_begin)(void *sink_ctx, const char *type);
	int (*embed_end)(void *sink_ctx);
	/* What follows, up to the next part or the end, is a part of the
	 * document outside the body's flow: its page headers or footers,
	 * footnotes, endnotes, comments, notes, glossary. name is one of
	 * "header", "footer", "margins" (headers and footers together),
	 * "footnotes", "endnotes", "comments", "notes", "glossary", or "body"
	 * to go back; the body's headings do not hold
	 * over such text (a footer is not part of the last section). Non-zero:
	 * the host takes no more. */
	int (*part)(void *sink_ctx, const char *name);
	/* New fields go here, at the end. */
};

/* Does the host's struct reach field? (a plugin built against a newer
 * header may run in an older host). */
#define QUIRE_HOST_HAS(host, field) \
	((host)->size >= offsetof(struct quire_host, field) + sizeof((host)->field))

struct quire_plugin {
	unsigned abi;                    /* QUIRE_PLUGIN_ABI */
	size_t size;                     /* sizeof(struct quire_plugin) of the plugin */
	const char *name;                /* "pdf" */
	const char *version;
	const char *const *mime_types;   /* NULL-terminated, the types it reads */
	const char *const *extensions;   /* NULL-terminated, without dots */
	/* How sure the plugin is (0-100) that the file with these first bytes
	 * and this detected MIME type is one it reads. */
	int (*sniff)(const unsigned char *head, size_t len, const char *mime);
	/* Set up (before the sandbox is installed: open libraries, load OCR
	 * data). *state is the plugin's own. May be NULL. */
	enum quire_result (*init)(const struct quire_host *host, void **state);
	/* Extract the file (path, and fd open for reading on it) into the sink. */
	enum quire_result (*extract)(void *state, const struct quire_host *host, const char *path,
				     int fd, const char *mime);
	void (*fini)(void *state);
	/* --- appended in ABI 1, read only when size covers them --- */
	/* QUIRE_PLUGIN_* flags. */
	unsigned flags;
	/* OCR plugins: recognise a rendered image (from another plugin,
	 * through host->ocr) and write its text to the sink. */
	enum quire_result (*ocr_image)(void *state, const struct quire_host *host,
				       const struct quire_image *img);
	/* New fields go here, at the end. */
};

/* flags */
#define QUIRE_PLUGIN_NEEDS_OCR 1u   /* host->ocr may be called: load the OCR plugin */
#define QUIRE_PLUGIN_OCR 2u         /* this plugin provides ocr_image */

/* The one exported symbol of every plugin. */
const struct quire_plugin *quire_plugin_entry(void);
typedef const struct quire_plugin *(*quire_plugin_entry_fn)(void);
#define QUIRE_PLUGIN_ENTRY "quire_plugin_entry"

#ifdef __cplusplus
}
#endif
#endif
