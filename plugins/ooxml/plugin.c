/* plugin.c: the OOXML extraction plugin: its descriptor, sniffing, and
 * opening the file (a zip package, a flat XML document, or an encrypted
 * package in OLE2) for the readers of ooxml.c.
 *
 * Caps: the zip entry count (from the central directory, before libzip
 * reads it), inflated bytes in total and per entry (inflated:compressed
 * ratio, for entries past 1 MiB), one text buffer at most max_text_bytes.
 * Relationships marked External are never followed; entry names are only
 * lookup keys. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decrypt.h"
#include "ooxml.h"
#include "flat.h"
#include "zipguard.h"
#include "../common/ole.h"

static const char *const ox_mime_types[] = {
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.template",
	"application/vnd.ms-word.document.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.openxmlformats-officedocument.presentationml.template",
	"application/vnd.ms-powerpoint.presentation.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.template",
	"application/vnd.ms-excel.sheet.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.presentationml.slideshow",
	"application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
	"application/vnd.ms-powerpoint.template.macroEnabled.12",
	"application/vnd.ms-word.template.macroEnabled.12",
	"application/vnd.ms-excel.template.macroEnabled.12",
	"application/vnd.ms-excel.sheet.binary.macroEnabled.12",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.text-template",
	"application/vnd.oasis.opendocument.text-master",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.spreadsheet-template",
	"application/vnd.oasis.opendocument.presentation",
	"application/vnd.oasis.opendocument.presentation-template",
	"application/vnd.oasis.opendocument.graphics",
	NULL,
};
static const char *const ox_extensions[] = { "docx", "docm", "dotx", "dotm", "pptx", "pptm",
	"potx", "potm", "ppsx", "ppsm", "xlsx", "xlsm", "xltx", "xltm", "xlsb", "odt", "ott", "odm",
	"ods", "ots", "odp", "otp", "odg", "fodt", "fods", "fodp", "fodg", NULL };

static int mem_has(const unsigned char *h, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(h + i, s, n) == 0)
			return 1;
	return 0;
}

static int ox_sniff(const unsigned char *head, size_t len, const char *mime)
{
	int ours = 0;

	for (const char *const *m = ox_mime_types; mime && *m; m++)
		ours |= strcmp(mime, *m) == 0;
	if (ox_is_flat(head, len))
		return 95;
	if (len >= 4 && memcmp(head, "PK\3\4", 4) == 0) {
		if (ours)
			return 95;
		if (len >= 73 && memcmp(head + 30, "mimetypeapplication/vnd.oasis.opendocument.", 43) == 0)
			return 90;
		if (mem_has(head, len, "[Content_Types].xml") || mem_has(head, len, "word/") ||
		    mem_has(head, len, "ppt/") || mem_has(head, len, "xl/"))
			return 90;
		return 10;
	}
	/* An encrypted OOXML file is an OLE2 compound file; say so only when
	 * the detected type points at it. */
	if (len >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0 && mime &&
	    (ours || strcmp(mime, "application/encrypted") == 0))
		return 60;
	return 0;
}

/* The password the host passes, NULL when none. */
static const char *host_password(const struct quire_host *h)
{
	return QUIRE_HOST_HAS(h, password) ? h->password : NULL;
}

/* An OLE2 file: an encrypted OOXML package, opened with the host's
 * password, or without one with Excel's default password (protected
 * workbooks open without a prompt); otherwise QUIRE_ENCRYPTED. On QUIRE_OK *pkg is the plain package (new, caller
 * frees with free()) and ox->zip is open on it. */
static enum quire_result open_encrypted(struct ox *ox, int fd, unsigned char **pkg)
{
	size_t cap = ox->max_inflated < (256u << 20) ? (size_t)ox->max_inflated : 256u << 20;
	unsigned char *file = NULL, *info = NULL, *enc = NULL;
	size_t flen = 0, ilen = 0, elen = 0, plen = 0;
	struct stat st;
	enum quire_result r = QUIRE_UNSUPPORTED;
	int have, got;

	if (fstat(fd, &st) < 0)
		return QUIRE_ERROR;
	if ((unsigned long long)st.st_size > cap)
		return QUIRE_TOO_LARGE;
	flen = (size_t)st.st_size;
	file = malloc(flen ? flen : 1);
	if (!file)
		return QUIRE_ERROR;
	if (pread(fd, file, flen, 0) != (ssize_t)flen) {
		free(file);
		return QUIRE_CORRUPT;
	}
	got = pc_ole_stream(file, flen, "EncryptionInfo", 1u << 20, &info, &ilen);
	have = got == 0;
	if (got == -3) {
		free(file);
		return QUIRE_CORRUPT;
	}
	got = have ? pc_ole_stream(file, flen, "EncryptedPackage", cap, &enc, &elen) : -1;
	if (got == 0) {
		const char *pw = host_password(ox->host);

		r = ox_decrypt(info, ilen, enc, elen, pw, pkg, &plen, cap);
		if (r == QUIRE_ENCRYPTED && pw)   /* a protected workbook, given a password */
			r = ox_decrypt(info, ilen, enc, elen, NULL, pkg, &plen, cap);
		if (r == QUIRE_OK) {
			ox->host->log(QUIRE_LOG_INFO, "ooxml: opened with %s password",
				      pw ? "a" : "the default");
			r = ox_zip_open_mem(ox, *pkg, plen);
		} else if (r == QUIRE_ENCRYPTED)
			ox->host->log(QUIRE_LOG_INFO, "ooxml: %s", pw ? "wrong password" :
				      "password required");
	} else if (got == -2)
		r = QUIRE_TOO_LARGE;
	else if (have)
		r = QUIRE_ENCRYPTED;
	free(info);
	free(enc);
	free(file);
	return r;
}

static enum quire_result ox_extract(void *state, const struct quire_host *host, const char *path,
				    int fd, const char *mime)
{
	const struct quire_limits *lim = host->limits;
	struct ox ox = {
		.host = host,
		.max_inflated = lim->max_inflated_bytes ? lim->max_inflated_bytes : 1ULL << 30,
		.max_ratio = lim->max_ratio ? lim->max_ratio : 100,
		.max_text = lim->max_text_bytes ? lim->max_text_bytes : 64u << 20,
	};
	unsigned char *pkg = NULL;
	enum quire_result r;

	if (ox_is_cfb(fd))
		r = open_encrypted(&ox, fd, &pkg);
	else if ((r = ox_flat_open(&ox, fd, &pkg)) == QUIRE_UNSUPPORTED)
		r = ox_zip_open(&ox, fd);
	if (r != QUIRE_OK) {
		free(pkg);
		return r;
	}
	r = ox_read_package(&ox);
	ox_zip_close(&ox);
	free(pkg);
	if (r != QUIRE_OK)
		return r;
	if (ox.err)
		return ox.err;
	return ox.wrote ? QUIRE_OK : QUIRE_EMPTY;
}

static enum quire_result ox_init(const struct quire_host *host, void **state)
{
	ox_readers_init(host, "ooxml");
	*state = NULL;
	return QUIRE_OK;
}

static const struct quire_plugin ooxml_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "ooxml",
	.version = "1.0",
	.mime_types = ox_mime_types,
	.extensions = ox_extensions,
	.sniff = ox_sniff,
	.init = ox_init,
	.extract = ox_extract,
	.fini = NULL,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &ooxml_plugin;
}
