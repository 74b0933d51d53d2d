/* mdinline.c: Markdown inline markup to plain text: emphasis, strike and
 * code markers dropped, links and images reduced to their text, inline
 * HTML tags dropped, backslash escapes and common entities resolved. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <string.h>

#include "mdinline.h"

#define MD_MAX_NESTING 8
/* Closing brackets and backticks are looked for this far ahead at most,
 * and a line's searches together read at most MD_BUDGET times its length:
 * a line of a million '[' stays linear. */
#define MD_LOOKAHEAD 4096
#define MD_BUDGET 8

struct scan {
	size_t budget;   /* bytes the searches for closers may still read */
};

static int alnum(unsigned char c)
{
	return c >= 0x80 || isalnum(c);
}

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static size_t run_of(const char *s, size_t n, char c)
{
	size_t r = 0;

	while (r < n && s[r] == c)
		r++;
	return r;
}

/* A code span at s (a run of backticks): its content, without the
 * backticks and one padding space on each side; 0 when it is not closed. */
static size_t code_span(struct pbuf *o, const char *s, size_t n, struct scan *sc)
{
	size_t run = run_of(s, n, '`');

	if (n > MD_LOOKAHEAD)
		n = MD_LOOKAHEAD;
	if (n > sc->budget)
		n = sc->budget;
	sc->budget -= n;
	for (size_t j = run; j < n;) {
		size_t r = run_of(s + j, n - j, '`');
		if (r == 0) {
			j++;
			continue;
		}
		if (r == run) {
			const char *c = s + run;
			size_t len = j - run;
			if (len >= 2 && c[0] == ' ' && c[len - 1] == ' ')
				c++, len -= 2;
			pbuf_add(o, c, len);
			return j + r;
		}
		j += r;
	}
	return 0;
}

static void inline_text(struct pbuf *o, const char *s, size_t n, int html_block, int depth,
			struct scan *sc);

/* The position of the bracket closing the one at s[0] (open/close given),
 * or 0. Backslash escapes are skipped. */
static size_t matching(const char *s, size_t n, char open, char close, struct scan *sc)
{
	int depth = 0;

	if (n > MD_LOOKAHEAD)
		n = MD_LOOKAHEAD;
	if (n > sc->budget)
		n = sc->budget;
	sc->budget -= n;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == open)
			depth++;
		else if (s[i] == close && --depth == 0)
			return i;
	}
	return 0;
}

/* [text](url), [text][ref] at s: the text; returns the bytes used, 0 when
 * it is not a link. */
static size_t link(struct pbuf *o, const char *s, size_t n, int depth, struct scan *sc)
{
	size_t close = matching(s, n, '[', ']', sc), end;

	if (!close || close + 1 >= n)
		return 0;
	if (s[close + 1] == '(')
		end = matching(s + close + 1, n - close - 1, '(', ')', sc);
	else if (s[close + 1] == '[')
		end = matching(s + close + 1, n - close - 1, '[', ']', sc);
	else
		return 0;
	if (!end)
		return 0;
	inline_text(o, s + 1, close - 1, 0, depth + 1, sc);
	return close + 1 + end + 1;
}

/* <scheme:...> and <user@host>: the address; an HTML tag: nothing (a space
 * in HTML blocks). Returns the bytes used, 0 when it is neither. */
static size_t angle(struct pbuf *o, const char *s, size_t n, int html_block)
{
	size_t end = 1, i = 1;

	while (end < n && s[end] != '>' && s[end] != '<')
		end++;
	if (end >= n || s[end] != '>')
		return 0;
	if (n > 1 && (isalpha((unsigned char)s[1]) || s[1] == '/' || s[1] == '!' || s[1] == '?')) {
		while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '.' ||
				   s[i] == '-'))
			i++;
		if ((i < end && s[i] == ':' && !memchr(s + 1, ' ', end - 1)) ||
		    (memchr(s + 1, '@', end - 1) && !memchr(s + 1, ' ', end - 1))) {
			pbuf_add(o, s + 1, end - 1);
			return end + 1;
		}
		if (html_block)
			pbuf_addc(o, ' ');
		return end + 1;
	}
	return 0;
}

/* &amp; &lt; &gt; &quot; &apos; &nbsp; &#N; &#xH; at s: the character. */
static size_t entity(struct pbuf *o, const char *s, size_t n)
{
	static const struct { const char *name; const char *text; } named[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&apos;", "'" }, { "&nbsp;", "\xc2\xa0" }, { "&copy;", "\xc2\xa9" },
		{ "&mdash;", "\xe2\x80\x94" }, { "&ndash;", "\xe2\x80\x93" }, { NULL, NULL },
	};
	unsigned long cp = 0;
	size_t i = 2;
	int hex;

	for (int k = 0; named[k].name; k++) {
		size_t l = strlen(named[k].name);
		if (n >= l && !memcmp(s, named[k].name, l)) {
			pbuf_add(o, named[k].text, strlen(named[k].text));
			return l;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	i += hex;
	for (size_t start = i; i < n && i - start < 7; i++) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
			: hex && isxdigit((unsigned char)s[i]) ? tolower((unsigned char)s[i]) - 'a' + 10
			: -1;
		if (d < 0)
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (i >= n || s[i] != ';' || i == 2u + hex)
		return 0;
	pbuf_cp(o, cp == 0 ? 0xfffd : (uint32_t)cp);
	return i + 1;
}

/* A run of *, _ or ~ at s[i]: dropped when it is emphasis or strike
 * markup, kept when it stands alone or inside a word (snake_case). */
static size_t emphasis(struct pbuf *o, const char *s, size_t n, size_t i)
{
	size_t run = run_of(s + i, n - i, s[i]);
	unsigned char prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
	unsigned char next = i + run < n ? (unsigned char)s[i + run] : ' ';
	int alone = blank(prev) && blank(next), keep;

	if (s[i] == '~')
		keep = run < 2;
	else if (s[i] == '*')
		keep = alone;
	else
		keep = alone || (alnum(prev) && alnum(next));
	if (keep)
		pbuf_add(o, s + i, run);
	return run;
}

static void inline_text(struct pbuf *o, const char *s, size_t n, int html_block, int depth,
			struct scan *sc)
{
	size_t i = 0, used;

	if (depth > MD_MAX_NESTING) {
		pbuf_add(o, s, n);
		return;
	}
	while (i < n) {
		char c = s[i];

		used = 0;
		if (c == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
			pbuf_addc(o, s[i + 1]);
			used = 2;
		} else if (c == '`') {
			used = code_span(o, s + i, n - i, sc);
			if (!used) {
				used = run_of(s + i, n - i, '`');
				pbuf_add(o, s + i, used);
			}
		} else if (c == '!' && i + 1 < n && s[i + 1] == '[') {
			used = link(o, s + i + 1, n - i - 1, depth, sc);
			used += used ? 1 : 0;
		} else if (c == '[') {
			used = link(o, s + i, n - i, depth, sc);
		} else if (c == '<') {
			used = angle(o, s + i, n - i, html_block);
		} else if (c == '&') {
			used = entity(o, s + i, n - i);
		} else if (c == '*' || c == '_' || c == '~') {
			used = emphasis(o, s, n, i);
		}
		if (!used) {
			pbuf_addc(o, c);
			used = 1;
		}
		i += used;
	}
}

void md_inline(struct pbuf *o, const char *s, size_t n, int html_block, int depth)
{
	struct scan sc = { .budget = n * MD_BUDGET + 1024 };

	inline_text(o, s, n, html_block, depth, &sc);
}
