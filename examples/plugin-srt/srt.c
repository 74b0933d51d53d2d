/* srt.c: an example out-of-tree Quire plugin: SubRip subtitles (.srt). */
/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built apart from Quire, against the installed header and pkg-config:
 *   cc $(pkg-config --cflags quire-plugin) -shared -fPIC -o srt.so srt.c
 *   cp srt.so "$(pkg-config --variable=plugindir quire-plugin)"
 * (or run `make` in this folder). It exports only quire_plugin_entry.
 *
 * A SubRip file is plain text, so the text plugin reads it too, with its
 * cue numbers and timings as text. This plugin lists "srt" among its
 * extensions, which makes quire-extract choose it for a file named *.srt
 * (docs/formats.md): each cue becomes one paragraph of its text lines,
 * without the number, the timing or <i>-style tags. */
#include <quire/plugin.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const srt_mime_types[] = { "application/x-subrip", "text/plain", NULL };
static const char *const srt_extensions[] = { "srt", NULL };

/* "00:00:01,600 --> 00:00:04,200" at s (n bytes available). */
static int is_timing(const char *s, size_t n)
{
	static const char pat[] = "dd:dd:dd,ddd --> dd:dd:dd,ddd";
	size_t m = sizeof pat - 1;
	if (n < m)
		return 0;
	for (size_t i = 0; i < m; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

/* A cue number line followed by a timing line, near the start. */
static int srt_sniff(const unsigned char *head, size_t len, const char *mime)
{
	const char *s = (const char *)head;
	size_t i = 0;
	(void)mime;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (s[i] == '\r' || s[i] == '\n'))
		i++;
	size_t digits = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!digits)
		return 0;
	if (i < len && s[i] == '\r')
		i++;
	if (i >= len || s[i] != '\n')
		return 0;
	return is_timing(s + i + 1, len - i - 1) ? 60 : 0;
}

/* Append line (without tags such as <i> or {\an8}) to the cue's text. */
static size_t add_line(char *out, size_t o, const char *s, size_t n)
{
	if (o)
		out[o++] = ' ';
	int tag = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '<' || c == '{')
			tag = c == '<' ? '>' : '}';
		else if (tag && c == tag)
			tag = 0;
		else if (!tag)
			out[o++] = c;
	}
	return o;
}

static enum quire_result srt_extract(void *state, const struct quire_host *host,
				     const char *path, int fd, const char *mime)
{
	enum quire_result r = QUIRE_ERROR;
	(void)state, (void)path, (void)mime;
	size_t cap = host->limits->max_text_bytes ? host->limits->max_text_bytes : 1u << 24;
	size_t len = 0, alloc = 1 << 16;
	char *buf = malloc(alloc), *cue = NULL;
	if (!buf)
		goto out;
	for (;;) {
		if (len == alloc) {
			if (alloc >= cap * 2) {
				r = QUIRE_TOO_LARGE;
				goto out;
			}
			char *p = realloc(buf, alloc * 2);
			if (!p)
				goto out;
			buf = p, alloc *= 2;
		}
		ssize_t got = read(fd, buf + len, alloc - len);
		if (got < 0)
			goto out;
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (!(cue = malloc(len + 1)))
		goto out;
	size_t c = 0, cues = 0;
	int state_line = 0;   /* 0: number next, 1: timing next, 2: text */
	for (size_t i = 0; i <= len;) {
		size_t e = i;
		while (e < len && buf[e] != '\n')
			e++;
		size_t n = e - i;
		if (n && buf[i + n - 1] == '\r')
			n--;
		if (i == 0 && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
			i += 3, n -= 3;
		if (n == 0 || e >= len) {
			if (n && state_line == 2)
				c = add_line(cue, c, buf + i, n);
			if (c && host->sink->paragraph(host->sink_ctx, cue, c)) {
				r = QUIRE_TOO_LARGE;
				goto out;
			}
			cues += c > 0;
			c = 0;
			state_line = 0;
		} else if (state_line == 0) {
			state_line = 1;   /* the cue's number */
		} else if (state_line == 1) {
			if (!is_timing(buf + i, n)) {
				r = QUIRE_CORRUPT;
				goto out;
			}
			state_line = 2;
		} else {
			c = add_line(cue, c, buf + i, n);
		}
		if (e >= len)
			break;
		i = e + 1;
	}
	r = cues ? QUIRE_OK : QUIRE_EMPTY;
out:
	free(cue);
	free(buf);
	return r;
}

static const struct quire_plugin srt_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "srt",
	.version = "1.0",
	.mime_types = srt_mime_types,
	.extensions = srt_extensions,
	.sniff = srt_sniff,
	.init = NULL,
	.extract = srt_extract,
	.fini = NULL,
	.flags = 0,
};

__attribute__((visibility("default")))
const struct quire_plugin *quire_plugin_entry(void)
{
	return &srt_plugin;
}
