/* split.c: the structure-aware chunker (docs/chunking.md).
 *
 * 1. Blocks: headings, paragraphs, list items, table rows and page breaks,
 *    from quire-extract's JSON Lines or from a plain text document (split
 *    at the rule's separator, "# " lines as headings, "- " lines as list
 *    items). Pre-processing (extra spaces, URLs and e-mail addresses) runs
 *    on each block's text; the cleaned blocks joined by blank lines are the
 *    document's plain text, to which chunk offsets refer.
 * 2. Units: a block within max_tokens is one unit; a longer one is cut at
 *    sentence ends, and a sentence still too long at spaces (a single word
 *    longer than the limit at a character boundary). A table row is always
 *    one unit, however long.
 * 3. Packing: units go into a chunk until the next would pass max_tokens; a
 *    heading after some content starts a new chunk. A chunk cut for size
 *    begins with the previous chunk's trailing whole units up to
 *    chunk_overlap tokens, and a chunk that continues a table begins with
 *    the table's header row. Each chunk keeps the heading path and page in
 *    force at its first unit. */
#include "config.h"
#include "split.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small growable buffers --------------------------------------------- */

struct sb {
	char *p;
	size_t n, cap;
	int oom;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_adds(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* ---- UTF-8 and counting ------------------------------------------------- */

/* Decode the code point at s[i] (n bytes); *len its length (1 for a bad byte). */
static unsigned utf8_at(const char *s, size_t n, size_t i, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t left = n - i;
	if (p[0] < 0x80 || left < 2) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
		*len = 2;
		return (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if ((p[0] & 0xf0) == 0xe0 && left >= 3 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
		*len = 3;
		return (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	if ((p[0] & 0xf8) == 0xf0 && left >= 4 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
	    (p[3] & 0xc0) == 0x80) {
		*len = 4;
		return (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3f) << 12 |
		       (unsigned)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	}
	*len = 1;
	return 0xfffd;
}

static size_t cp_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Ideographs and kana: a word and a token each. */
static int is_cjk(unsigned cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0x20000 && cp <= 0x2ffff);
}

static int is_space_cp(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
	       cp == 0xa0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200b);
}

/* Punctuation and symbols outside letters: ASCII, general punctuation,
 * CJK punctuation, full-width forms' punctuation. */
static int is_punct_cp(unsigned cp)
{
	if (cp < 0x80)
		return !isalnum((int)cp) && !is_space_cp(cp);
	return (cp >= 0x2010 && cp <= 0x206f) || (cp >= 0x3001 && cp <= 0x303f) ||
	       (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
	       (cp >= 0xa1 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7;
}

/* Tokens: a word (a run of letters and digits) counts 1 plus 1 for every 6
 * characters past its first; a punctuation mark or symbol counts 1; an
 * ideograph or kana counts 1 (and is a word). Close to what BPE tokenizers
 * give for English prose, cheap and stable. */
void split_count(const char *s, size_t n, size_t *tokens, size_t *words)
{
	size_t t = 0, w = 0, run = 0, len;
	for (size_t i = 0; i < n; i += len) {
		unsigned cp = utf8_at(s, n, i, &len);
		if (is_cjk(cp) || is_space_cp(cp) || is_punct_cp(cp)) {
			if (run) {
				t += 1 + (run - 1) / 6;
				w++;
				run = 0;
			}
			if (is_cjk(cp))
				t++, w++;
			else if (!is_space_cp(cp))
				t++;
		} else {
			run++;
		}
	}
	if (run) {
		t += 1 + (run - 1) / 6;
		w++;
	}
	*tokens = t;
	*words = w;
}

/* ---- the process rule ----------------------------------------------------- */

struct rule {
	char sep[64];
	size_t sep_len;
	size_t max_tokens, overlap;
	int extra_spaces, urls_emails;
};

json_t *split_rule_default(void)
{
	return json_pack("{s:s, s:i, s:i, s:b, s:b}", "separator", "\n\n", "max_tokens", 500,
			 "chunk_overlap", 50, "remove_extra_spaces", 1, "remove_urls_emails", 0);
}

/* "\\n" written literally (as Dify's UI sends it) means a newline. */
static void unescape_sep(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; in[i] && o + 1 < outlen; i++) {
		if (in[i] == '\\' && (in[i + 1] == 'n' || in[i + 1] == 't')) {
			out[o++] = in[i + 1] == 'n' ? '\n' : '\t';
			i++;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

static int bad(char *error, size_t errlen, const char *msg)
{
	snprintf(error, errlen, "%s", msg);
	return -1;
}

int split_rule_check(json_t *rule, json_t **normalised, char *error, size_t errlen)
{
	json_t *out = split_rule_default();
	json_t *seg = NULL, *pre = NULL, *v;
	*normalised = NULL;
	if (!json_is_object(rule)) {
		json_decref(out);
		return bad(error, errlen, "process_rule must be an object");
	}
	json_t *mode = json_object_get(rule, "mode");
	if (mode && (!json_is_string(mode) || (strcmp(json_string_value(mode), "automatic") &&
					       strcmp(json_string_value(mode), "custom")))) {
		json_decref(out);
		return bad(error, errlen, "process_rule.mode must be \"automatic\" or \"custom\"");
	}
	if (mode && !strcmp(json_string_value(mode), "automatic")) {
		*normalised = out;
		return 0;
	}
	json_t *rules = json_object_get(rule, "rules");
	if (rules) {
		if (!json_is_object(rules)) {
			json_decref(out);
			return bad(error, errlen, "process_rule.rules must be an object");
		}
		seg = json_object_get(rules, "segmentation");
		pre = json_object_get(rules, "pre_processing_rules");
	} else if (!mode) {
		seg = rule;   /* flat: the stored form */
	}
	if (seg) {
		if (!json_is_object(seg))
			goto seg_bad;
		const char *k;
		json_object_foreach(seg, k, v) {
			if (!strcmp(k, "separator")) {
				if (!json_is_string(v) || json_string_length(v) == 0 ||
				    json_string_length(v) >= 32) {
					json_decref(out);
					return bad(error, errlen, "process_rule segmentation.separator "
						   "must be a string of 1-31 bytes");
				}
				char sep[64];
				unescape_sep(json_string_value(v), sep, sizeof sep);
				json_object_set_new(out, "separator", json_string(sep));
			} else if (!strcmp(k, "max_tokens")) {
				if (!json_is_integer(v) || json_integer_value(v) < 50 ||
				    json_integer_value(v) > SPLIT_MAX_TOKENS_LIMIT) {
					json_decref(out);
					snprintf(error, errlen, "process_rule segmentation.max_tokens must "
						 "be an integer from 50 to %d", SPLIT_MAX_TOKENS_LIMIT);
					return -1;
				}
				json_object_set(out, "max_tokens", v);
			} else if (!strcmp(k, "chunk_overlap")) {
				if (!json_is_integer(v) || json_integer_value(v) < 0) {
					json_decref(out);
					return bad(error, errlen, "process_rule segmentation.chunk_overlap "
						   "must be a non-negative integer");
				}
				json_object_set(out, "chunk_overlap", v);
			} else if (rules || (strcmp(k, "remove_extra_spaces") &&
					     strcmp(k, "remove_urls_emails"))) {
				json_decref(out);
				snprintf(error, errlen, "process_rule segmentation has an unknown "
					 "field %.64s", k);
				return -1;
			} else if (!json_is_boolean(v)) {
				json_decref(out);
				snprintf(error, errlen, "process_rule.%.64s must be a boolean", k);
				return -1;
			} else {
				json_object_set(out, k, v);
			}
		}
	}
	if (pre) {
		size_t i;
		if (!json_is_array(pre)) {
			json_decref(out);
			return bad(error, errlen, "process_rule pre_processing_rules must be an array");
		}
		json_object_set_new(out, "remove_extra_spaces", json_false());
		json_array_foreach(pre, i, v) {
			json_t *id = json_object_get(v, "id"), *en = json_object_get(v, "enabled");
			if (!json_is_string(id) || !json_is_boolean(en) ||
			    (strcmp(json_string_value(id), "remove_extra_spaces") &&
			     strcmp(json_string_value(id), "remove_urls_emails"))) {
				json_decref(out);
				return bad(error, errlen, "process_rule pre_processing_rules entries are "
					   "{\"id\": \"remove_extra_spaces\" or \"remove_urls_emails\", "
					   "\"enabled\": true or false}");
			}
			json_object_set(out, json_string_value(id), en);
		}
	}
	if (json_integer_value(json_object_get(out, "chunk_overlap")) >=
	    json_integer_value(json_object_get(out, "max_tokens"))) {
		json_decref(out);
		return bad(error, errlen, "process_rule segmentation.chunk_overlap must be less "
			   "than max_tokens");
	}
	*normalised = out;
	return 0;
seg_bad:
	json_decref(out);
	return bad(error, errlen, "process_rule segmentation must be an object");
}

json_t *split_rule_dify(json_t *flat)
{
	json_t *d = split_rule_default();
	const char *k;
	json_t *v;
	if (json_is_object(flat))
		json_object_foreach(flat, k, v)
			json_object_set(d, k, v);
	json_t *o = json_pack("{s:s, s:{s:[{s:s, s:O}, {s:s, s:O}], s:{s:O, s:O, s:O}}}",
			      "mode", "custom", "rules", "pre_processing_rules",
			      "id", "remove_extra_spaces", "enabled",
			      json_object_get(d, "remove_extra_spaces"),
			      "id", "remove_urls_emails", "enabled",
			      json_object_get(d, "remove_urls_emails"),
			      "segmentation", "separator", json_object_get(d, "separator"),
			      "max_tokens", json_object_get(d, "max_tokens"),
			      "chunk_overlap", json_object_get(d, "chunk_overlap"));
	json_decref(d);
	return o;
}

static void rule_load(json_t *stored, struct rule *r)
{
	json_t *norm = NULL;
	char err[160];
	if (!stored || split_rule_check(stored, &norm, err, sizeof err) < 0)
		norm = split_rule_default();
	snprintf(r->sep, sizeof r->sep, "%s", json_string_value(json_object_get(norm, "separator")));
	r->sep_len = strlen(r->sep);
	r->max_tokens = (size_t)json_integer_value(json_object_get(norm, "max_tokens"));
	r->overlap = (size_t)json_integer_value(json_object_get(norm, "chunk_overlap"));
	r->extra_spaces = json_is_true(json_object_get(norm, "remove_extra_spaces"));
	r->urls_emails = json_is_true(json_object_get(norm, "remove_urls_emails"));
	json_decref(norm);
}

/* ---- cleaning --------------------------------------------------------------- */

static int url_start(const char *s, size_t n, size_t i)
{
	if (i > 0 && !isspace((unsigned char)s[i - 1]) && s[i - 1] != '(' && s[i - 1] != '<')
		return 0;
	return (n - i > 7 && !strncasecmp(s + i, "http://", 7)) ||
	       (n - i > 8 && !strncasecmp(s + i, "https://", 8)) ||
	       (n - i > 4 && !strncasecmp(s + i, "www.", 4));
}

/* Length of an e-mail address starting at i (a word start), 0 if none. */
static size_t email_len(const char *s, size_t n, size_t i)
{
	if (i > 0 && !isspace((unsigned char)s[i - 1]) && s[i - 1] != '<' && s[i - 1] != '(')
		return 0;
	size_t j = i, at = 0, dot = 0;
	while (j < n && !isspace((unsigned char)s[j]) && s[j] != '>' && s[j] != ')') {
		if (s[j] == '@')
			at = at ? (size_t)-1 : j;
		else if (at && at != (size_t)-1 && s[j] == '.')
			dot = j;
		j++;
	}
	while (j > i && strchr(".,;:", s[j - 1]))
		j--;
	return at && at != (size_t)-1 && at > i && dot > at + 1 && dot < j - 1 ? j - i : 0;
}

/* Apply the pre-processing rules to s into out (reset first). */
static void clean(const struct rule *r, const char *s, size_t n, struct sb *out)
{
	out->n = 0;
	if (out->p)
		out->p[0] = '\0';
	int space = 0, nl = 0, started = 0;
	for (size_t i = 0; i < n;) {
		if (r->urls_emails) {
			size_t e = email_len(s, n, i);
			if (url_start(s, n, i)) {
				while (i < n && !isspace((unsigned char)s[i]))
					i++;
				continue;
			}
			if (e) {
				i += e;
				continue;
			}
		}
		char c = s[i];
		if (r->extra_spaces && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')) {
			space = 1;
			i++;
			continue;
		}
		if (r->extra_spaces && c == '\n') {
			nl++;
			i++;
			continue;
		}
		if (r->extra_spaces && started) {
			if (nl)
				sb_add(out, "\n\n", nl > 1 ? 2 : 1);
			else if (space)
				sb_add(out, " ", 1);
		}
		space = nl = 0;
		started = 1;
		sb_add(out, &s[i], 1);
		i++;
	}
}

/* ---- blocks and units ------------------------------------------------------- */

enum kind { K_HEADING, K_PARA, K_ITEM, K_ROW };

struct unit {
	char *text;
	size_t len;
	enum kind kind;
	unsigned page;
	size_t section;       /* index into sections */
	size_t start, end;    /* code points in the plain text */
	size_t tokens, words;
	long block;           /* the block it came from */
	long table;           /* table number for rows, -1 otherwise */
	long header;          /* unit index of its table's header row, -1 if none */
};

struct splitter {
	struct rule rule;
	struct unit *u;
	size_t nu, capu;
	char **sections;      /* heading paths; sections[0] = "" */
	size_t nsec, capsec;
	char *stack[6];       /* current heading texts per level */
	size_t cur_section;
	unsigned page;
	long blocks;
	long table;           /* current table number, -1 outside a table */
	long table_header;    /* its header unit, -1 if none */
	long tables;
	struct sb plain;
	size_t plain_cp;      /* code points in plain */
	struct sb tmp;
	int oom;
	int too_many;
};

static int add_section(struct splitter *sp)
{
	struct sb path = {0};
	for (int l = 0; l < 6; l++) {
		if (!sp->stack[l])
			continue;
		if (path.n)
			sb_adds(&path, " > ");
		sb_adds(&path, sp->stack[l]);
	}
	if (sp->nsec == sp->capsec) {
		size_t cap = sp->capsec ? sp->capsec * 2 : 16;
		char **p = realloc(sp->sections, cap * sizeof *p);
		if (!p) {
			free(path.p);
			return -1;
		}
		sp->sections = p;
		sp->capsec = cap;
	}
	sp->sections[sp->nsec] = path.p ? path.p : strdup("");
	if (!sp->sections[sp->nsec] || path.oom)
		return -1;
	sp->cur_section = sp->nsec++;
	return 0;
}

static int add_unit(struct splitter *sp, const char *text, size_t len, enum kind kind,
		    size_t start_cp)
{
	if (sp->nu == sp->capu) {
		size_t cap = sp->capu ? sp->capu * 2 : 64;
		struct unit *p = realloc(sp->u, cap * sizeof *p);
		if (!p)
			return -1;
		sp->u = p;
		sp->capu = cap;
	}
	struct unit *u = &sp->u[sp->nu];
	memset(u, 0, sizeof *u);
	u->text = strndup(text, len);
	if (!u->text)
		return -1;
	u->len = len;
	u->kind = kind;
	u->page = sp->page;
	u->section = sp->cur_section;
	u->start = start_cp;
	u->end = start_cp + cp_count(text, len);
	u->block = sp->blocks;
	u->table = kind == K_ROW ? sp->table : -1;
	u->header = kind == K_ROW ? sp->table_header : -1;
	split_count(text, len, &u->tokens, &u->words);
	sp->nu++;
	return 0;
}

static const char *const abbreviations[] = {
	"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "no.", "fig.",
	"st.", "inc.", "ltd.", "jr.", "sr.", "approx.", "cf.", "al.", "z.b.", "bzw.", NULL,
};

/* 1 when s[0..i] (i at a '.') ends an abbreviation or a single initial. */
static int abbreviation(const char *s, size_t i)
{
	size_t w = i;
	while (w > 0 && !isspace((unsigned char)s[w - 1]))
		w--;
	size_t len = i + 1 - w;
	if (len == 2 && isalpha((unsigned char)s[w]))
		return 1;   /* "J." */
	for (int k = 0; abbreviations[k]; k++)
		if (len == strlen(abbreviations[k]) && !strncasecmp(s + w, abbreviations[k], len))
			return 1;
	return 0;
}

/* End (exclusive, bytes) of the sentence starting at i, or n. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
	size_t len;
	while (i < n) {
		unsigned cp = utf8_at(s, n, i, &len);
		size_t next = i + len;
		if (cp == 0x3002 || cp == 0xff01 || cp == 0xff1f) {   /* 。！？ */
			while (next < n && is_space_cp(utf8_at(s, n, next, &len)))
				next += len;
			return next;
		}
		if ((cp == '.' || cp == '!' || cp == '?') && next < n &&
		    (s[next] == ' ' || s[next] == '\n' || s[next] == '\t') &&
		    !(cp == '.' && abbreviation(s, i))) {
			while (next < n && (s[next] == ' ' || s[next] == '\n' || s[next] == '\t'))
				next++;
			return next;
		}
		i = next;
	}
	return n;
}

/* Cut text (a sentence longer than max) at spaces into pieces within max
 * tokens; a word longer than max is cut at a character boundary. */
static int add_pieces(struct splitter *sp, const char *s, size_t n, enum kind kind,
		      size_t start_cp)
{
	size_t max = sp->rule.max_tokens, i = 0;
	while (i < n) {
		size_t best = 0, j = i, tok, w;
		while (j < n) {
			size_t k = j;
			while (k < n && s[k] != ' ' && s[k] != '\n' && s[k] != '\t')
				k++;
			split_count(s + i, k - i, &tok, &w);
			if (tok > max && best)
				break;
			if (tok > max) {
				/* one huge word: cut by characters (4 per token) */
				size_t cut = i, chars = 0, len;
				while (cut < k && chars < max * 4) {
					utf8_at(s, n, cut, &len);
					cut += len;
					chars++;
				}
				best = cut;
				break;
			}
			best = k;
			while (k < n && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t'))
				k++;
			j = k;
		}
		if (!best)
			best = n;
		size_t end = best;
		while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\n'))
			end--;
		if (end > i && add_unit(sp, s + i, end - i, kind, start_cp + cp_count(s, i)) < 0)
			return -1;
		i = best;
		while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
	}
	return 0;
}

/* A block's cleaned text becomes one unit or its sentences. */
static int add_text_units(struct splitter *sp, const char *s, size_t n, enum kind kind,
			  size_t start_cp)
{
	size_t tok, w;
	split_count(s, n, &tok, &w);
	if (tok <= sp->rule.max_tokens || kind == K_ROW || kind == K_HEADING)
		return add_unit(sp, s, n, kind, start_cp);
	for (size_t i = 0; i < n;) {
		size_t e = sentence_end(s, n, i), end = e;
		while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\t'))
			end--;
		if (end > i) {
			split_count(s + i, end - i, &tok, &w);
			int rc = tok <= sp->rule.max_tokens
				 ? add_unit(sp, s + i, end - i, kind, start_cp + cp_count(s, i))
				 : add_pieces(sp, s + i, end - i, kind, start_cp + cp_count(s, i));
			if (rc < 0)
				return -1;
		}
		i = e;
	}
	return 0;
}

/* Append a rendered block to the plain text; returns its start offset. */
static size_t plain_append(struct splitter *sp, const char *s, size_t n)
{
	if (sp->plain.n) {
		sb_add(&sp->plain, "\n\n", 2);
		sp->plain_cp += 2;
	}
	size_t start = sp->plain_cp;
	sb_add(&sp->plain, s, n);
	sp->plain_cp += cp_count(s, n);
	return start;
}

static int block(struct splitter *sp, enum kind kind, unsigned level, const char *text, size_t n)
{
	if (sp->nu >= SPLIT_MAX_CHUNKS * 4) {
		sp->too_many = 1;
		return -1;
	}
	clean(&sp->rule, text, n, &sp->tmp);
	if (sp->tmp.oom)
		return -1;
	const char *s = sp->tmp.p ? sp->tmp.p : "";
	size_t len = sp->tmp.n;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	while (len && (*s == ' ' || *s == '\n'))
		s++, len--;
	if (len == 0)
		return 0;
	sp->blocks++;
	if (kind != K_ROW) {
		sp->table = -1;
		sp->table_header = -1;
	}
	if (kind == K_HEADING) {
		unsigned l = level < 1 ? 1 : level > 6 ? 6 : level;
		free(sp->stack[l - 1]);
		sp->stack[l - 1] = strndup(s, len > 200 ? 200 : len);
		for (unsigned k = l; k < 6; k++) {
			free(sp->stack[k]);
			sp->stack[k] = NULL;
		}
		if (add_section(sp) < 0)
			return -1;
	}
	struct sb item = {0};
	if (kind == K_ITEM) {
		for (unsigned k = 1; k < level && k < 8; k++)
			sb_adds(&item, "  ");
		sb_adds(&item, "- ");
		sb_add(&item, s, len);
		if (item.oom)
			return -1;
		s = item.p;
		len = item.n;
	}
	size_t start = plain_append(sp, s, len);
	int rc = add_text_units(sp, s, len, kind, start);
	free(item.p);
	return rc;
}

static int row(struct splitter *sp, json_t *cells, int header)
{
	struct sb r = {0}, cell = {0};
	size_t i;
	json_t *c;
	json_array_foreach(cells, i, c) {
		const char *t = json_is_string(c) ? json_string_value(c) : "";
		clean(&sp->rule, t, strlen(t), &cell);
		for (size_t k = 0; k < cell.n; k++)
			if (cell.p[k] == '\n' || cell.p[k] == '\t')
				cell.p[k] = ' ';
		if (i)
			sb_adds(&r, " | ");
		if (cell.n)
			sb_add(&r, cell.p, cell.n);
	}
	free(cell.p);
	if (r.oom) {
		free(r.p);
		return -1;
	}
	if (!r.n || strspn(r.p, " |") == r.n) {
		free(r.p);
		return 0;
	}
	/* A new table after any other block, or at a header row that follows
	 * body rows. */
	int after_body = sp->nu && sp->u[sp->nu - 1].kind == K_ROW &&
			 sp->u[sp->nu - 1].table == sp->table &&
			 (long)sp->nu - 1 != sp->table_header;
	if (sp->table < 0 || (header && after_body)) {
		sp->table = sp->tables++;
		sp->table_header = -1;
	}
	if (sp->nu >= SPLIT_MAX_CHUNKS * 4) {
		free(r.p);
		sp->too_many = 1;
		return -1;
	}
	sp->blocks++;
	size_t start = plain_append(sp, r.p, r.n);
	int rc = add_unit(sp, r.p, r.n, K_ROW, start);
	if (rc == 0 && header && sp->table_header < 0) {
		sp->table_header = (long)sp->nu - 1;
		sp->u[sp->nu - 1].header = -1;   /* the header itself */
	}
	free(r.p);
	return rc;
}

/* ---- packing ---------------------------------------------------------------- */

struct pack {
	size_t *idx;          /* unit indexes of the chunk being built */
	int *repeat;          /* 1: a repeated header row */
	size_t n, cap, tokens;
	int content;          /* has a non-heading unit */
};

static int pack_push(struct pack *p, struct splitter *sp, size_t i, int repeat)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		size_t *a = realloc(p->idx, cap * sizeof *a);
		if (!a)
			return -1;
		p->idx = a;
		int *b = realloc(p->repeat, cap * sizeof *b);
		if (!b)
			return -1;
		p->repeat = b;
		p->cap = cap;
	}
	p->idx[p->n] = i;
	p->repeat[p->n] = repeat;
	p->n++;
	p->tokens += sp->u[i].tokens;
	if (sp->u[i].kind != K_HEADING)
		p->content = 1;
	return 0;
}

static int emit(struct pack *p, struct splitter *sp, struct split_result *out)
{
	if (p->n == 0)
		return 0;
	if (out->n == SPLIT_MAX_CHUNKS) {
		sp->too_many = 1;
		return -1;
	}
	struct sb t = {0};
	size_t first = (size_t)-1, start = (size_t)-1, end = 0;
	for (size_t k = 0; k < p->n; k++) {
		const struct unit *u = &sp->u[p->idx[k]];
		if (k) {
			const struct unit *v = &sp->u[p->idx[k - 1]];
			if (u->kind == K_ROW && v->kind == K_ROW)
				sb_adds(&t, "\n");
			else if (u->block == v->block)
				sb_adds(&t, " ");
			else
				sb_adds(&t, "\n\n");
		}
		sb_add(&t, u->text, u->len);
		if (p->repeat[k])
			continue;
		if (first == (size_t)-1)
			first = p->idx[k];
		if (u->start < start)
			start = u->start;
		if (u->end > end)
			end = u->end;
	}
	if (first == (size_t)-1)
		first = p->idx[0], start = sp->u[first].start, end = sp->u[first].end;
	if (t.oom)
		goto oom;
	void *v = realloc(out->v, (out->n + 1) * sizeof *out->v);
	if (!v)
		goto oom;
	out->v = v;
	struct split_chunk *c = &out->v[out->n];
	memset(c, 0, sizeof *c);
	c->text = t.p;
	c->section = strdup(sp->sections[sp->u[first].section]);
	if (!c->section) {
		free(t.p);
		return -1;
	}
	c->page = sp->u[first].page;
	c->start = start;
	c->end = end;
	split_count(t.p, t.n, &c->tokens, &c->words);
	out->n++;
	return 0;
oom:
	free(t.p);
	return -1;
}

/* Start the next chunk after a cut for size: trailing whole units of the
 * previous one within the overlap (never all of it, never a heading). */
static int carry_overlap(struct pack *p, struct splitter *sp, const struct rule *r)
{
	size_t keep = 0, tok = 0;
	while (keep + 1 < p->n) {
		size_t k = p->n - 1 - keep;
		const struct unit *u = &sp->u[p->idx[k]];
		if (p->repeat[k] || u->kind == K_HEADING || tok + u->tokens > r->overlap)
			break;
		tok += u->tokens;
		keep++;
	}
	size_t from = p->n - keep;
	size_t *idx = p->idx;
	size_t n = p->n;
	struct pack q = {0};
	for (size_t k = from; k < n; k++)
		if (pack_push(&q, sp, idx[k], 0) < 0) {
			free(q.idx);
			free(q.repeat);
			return -1;
		}
	free(p->idx);
	free(p->repeat);
	*p = q;
	return 0;
}

static void pack_reset(struct pack *p)
{
	p->n = 0;
	p->tokens = 0;
	p->content = 0;
}

/* 1 when the chunk holds unit h (its table's header). */
static int pack_has(const struct pack *p, size_t h)
{
	for (size_t k = 0; k < p->n; k++)
		if (p->idx[k] == h)
			return 1;
	return 0;
}

static int pack_all(struct splitter *sp, struct split_result *out)
{
	const struct rule *r = &sp->rule;
	struct pack p = {0};
	int rc = 0;
	for (size_t i = 0; i < sp->nu && rc == 0; i++) {
		const struct unit *u = &sp->u[i];
		if (u->kind == K_HEADING && p.content) {
			rc = emit(&p, sp, out);
			pack_reset(&p);
		} else if (p.n && p.tokens + u->tokens > r->max_tokens) {
			rc = emit(&p, sp, out);
			if (rc == 0)
				rc = r->overlap ? carry_overlap(&p, sp, r) : (pack_reset(&p), 0);
			/* drop the overlap when the unit would not fit after it */
			if (rc == 0 && p.tokens + u->tokens > r->max_tokens)
				pack_reset(&p);
		}
		if (rc == 0 && u->kind == K_ROW && u->header >= 0 && !pack_has(&p, (size_t)u->header)) {
			/* a table continued from the previous chunk: its header first,
			 * then what overlap belongs to the same table */
			struct pack q = {0};
			rc = pack_push(&q, sp, (size_t)u->header, 1);
			for (size_t k = 0; rc == 0 && k < p.n; k++)
				if (sp->u[p.idx[k]].table == u->table)
					rc = pack_push(&q, sp, p.idx[k], p.repeat[k]);
			if (rc == 0 && q.n > 1 && q.tokens + u->tokens > r->max_tokens)
				q.n = 1, q.tokens = sp->u[u->header].tokens;
			free(p.idx);
			free(p.repeat);
			p = q;
		}
		if (rc == 0)
			rc = pack_push(&p, sp, i, 0);
	}
	if (rc == 0)
		rc = emit(&p, sp, out);
	free(p.idx);
	free(p.repeat);
	return rc;
}

/* ---- driving ---------------------------------------------------------------- */

static void splitter_free(struct splitter *sp)
{
	for (size_t i = 0; i < sp->nu; i++)
		free(sp->u[i].text);
	free(sp->u);
	for (size_t i = 0; i < sp->nsec; i++)
		free(sp->sections[i]);
	free(sp->sections);
	for (int l = 0; l < 6; l++)
		free(sp->stack[l]);
	free(sp->plain.p);
	free(sp->tmp.p);
}

static int splitter_init(struct splitter *sp, json_t *rule)
{
	memset(sp, 0, sizeof *sp);
	rule_load(rule, &sp->rule);
	sp->table = sp->table_header = -1;
	return add_section(sp);   /* sections[0] = "" */
}

static enum qstatus finish(struct splitter *sp, struct split_result *out, int rc, char *error,
			   size_t errlen)
{
	if (rc == 0 && sp->nu == 0) {
		snprintf(error, errlen, "no text found in the document");
		rc = -2;
	}
	if (rc == 0)
		rc = pack_all(sp, out);
	if (rc == 0) {
		out->lang = text_detect(sp->plain.p ? sp->plain.p : "",
					sp->plain.n > 65536 ? 65536 : sp->plain.n);
		split_count(sp->plain.p ? sp->plain.p : "", sp->plain.n, &out->tokens, &out->words);
		out->plain = sp->plain.p ? sp->plain.p : strdup("");
		out->plain_len = sp->plain.n;
		sp->plain.p = NULL;
		if (!out->plain)
			rc = -1;
	}
	enum qstatus st = Q_OK;
	if (rc == -2) {
		st = Q_EINVAL;
	} else if (sp->too_many) {
		snprintf(error, errlen, "the document has more than %d chunks", SPLIT_MAX_CHUNKS);
		st = Q_ETOOBIG;
	} else if (rc != 0) {
		if (!error[0])
			snprintf(error, errlen, "out of memory while splitting");
		st = Q_ENOMEM;
	}
	splitter_free(sp);
	if (st != Q_OK)
		split_result_free(out);
	return st;
}

/* A plain text piece: "# " lines are headings, "- "/"* " lines list items,
 * the rest paragraphs (lines joined). */
static int text_piece(struct splitter *sp, const char *s, size_t n)
{
	struct sb para = {0};
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0;) {
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		const char *l = s + i;
		size_t len = e - i, h = 0, ind = 0;
		while (ind < len && l[ind] == ' ')
			ind++;
		while (h < len && h < 7 && l[h] == '#')
			h++;
		int heading = h >= 1 && h <= 6 && h < len && l[h] == ' ';
		int item = len > ind + 2 && (l[ind] == '-' || l[ind] == '*' || l[ind] == '+') &&
			   l[ind + 1] == ' ';
		if ((heading || item) && para.n) {
			rc = block(sp, K_PARA, 0, para.p, para.n);
			para.n = 0;
		}
		if (rc == 0 && heading)
			rc = block(sp, K_HEADING, (unsigned)h, l + h + 1, len - h - 1);
		else if (rc == 0 && item)
			rc = block(sp, K_ITEM, 1 + (unsigned)ind / 2, l + ind + 2, len - ind - 2);
		else if (rc == 0 && len) {
			if (para.n)
				sb_add(&para, "\n", 1);
			sb_add(&para, l, len);
			if (para.oom)
				rc = -1;
		}
		i = e + 1;
	}
	if (rc == 0 && para.n)
		rc = block(sp, K_PARA, 0, para.p, para.n);
	free(para.p);
	return rc;
}

enum qstatus split_text(const char *text, size_t n, json_t *rule, struct split_result *out,
			char *error, size_t errlen)
{
	struct splitter sp;
	char *crlf = NULL;
	memset(out, 0, sizeof *out);
	error[0] = '\0';
	if (memchr(text, '\r', n)) {   /* CRLF and CR line ends as LF */
		crlf = malloc(n + 1);
		if (!crlf) {
			snprintf(error, errlen, "out of memory while splitting");
			return Q_ENOMEM;
		}
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			if (text[i] == '\r') {
				crlf[o++] = '\n';
				if (i + 1 < n && text[i + 1] == '\n')
					i++;
			} else {
				crlf[o++] = text[i];
			}
		}
		text = crlf;
		n = o;
	}
	int rc = splitter_init(&sp, rule);
	const char *sep = sp.rule.sep;
	size_t sl = sp.rule.sep_len;
	for (size_t i = 0; rc == 0 && i < n;) {
		const char *hit = sl ? memmem(text + i, n - i, sep, sl) : NULL;
		size_t e = hit ? (size_t)(hit - text) : n;
		rc = text_piece(&sp, text + i, e - i);
		i = hit ? e + sl : n;
	}
	free(crlf);
	return finish(&sp, out, rc, error, errlen);
}

/* A paragraph from quire-extract cut further at a custom separator. */
static int para_with_sep(struct splitter *sp, enum kind kind, unsigned level, const char *s,
			 size_t n)
{
	const char *sep = sp->rule.sep;
	size_t sl = sp->rule.sep_len;
	if (kind != K_PARA || !sl || !strcmp(sep, "\n\n") || !strcmp(sep, "\n"))
		return block(sp, kind, level, s, n);
	for (size_t i = 0; i < n;) {
		const char *hit = memmem(s + i, n - i, sep, sl);
		size_t e = hit ? (size_t)(hit - s) : n;
		if (block(sp, kind, level, s + i, e - i) < 0)
			return -1;
		i = hit ? e + sl : n;
	}
	return 0;
}

enum qstatus split_blocks(const char *jsonl, size_t n, json_t *rule, struct split_result *out,
			  char *error, size_t errlen)
{
	struct splitter sp;
	memset(out, 0, sizeof *out);
	error[0] = '\0';
	int rc = splitter_init(&sp, rule);
	size_t line = 0;
	for (size_t i = 0; rc == 0 && i < n;) {
		const char *nl = memchr(jsonl + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - jsonl) : n;
		line++;
		if (e > i) {
			json_error_t je;
			json_t *b = json_loadb(jsonl + i, e - i, JSON_REJECT_DUPLICATES, &je);
			const char *t = json_string_value(json_object_get(b, "t"));
			json_t *tx = json_object_get(b, "text");
			unsigned level = (unsigned)json_integer_value(json_object_get(b, "level"));
			if (!t) {
				snprintf(error, errlen, "extraction output line %zu is not a block", line);
				rc = -2;
			} else if (!strcmp(t, "page")) {
				sp.page = (unsigned)json_integer_value(json_object_get(b, "n"));
			} else if (!strcmp(t, "h") && json_is_string(tx)) {
				rc = block(&sp, K_HEADING, level, json_string_value(tx),
					   json_string_length(tx));
			} else if (!strcmp(t, "p") && json_is_string(tx)) {
				rc = para_with_sep(&sp, K_PARA, 0, json_string_value(tx),
						   json_string_length(tx));
			} else if (!strcmp(t, "li") && json_is_string(tx)) {
				rc = block(&sp, K_ITEM, level, json_string_value(tx),
					   json_string_length(tx));
			} else if (!strcmp(t, "row") && json_is_array(json_object_get(b, "cells"))) {
				rc = row(&sp, json_object_get(b, "cells"),
					 json_is_true(json_object_get(b, "header")));
			}
			json_decref(b);
		}
		i = e + 1;
	}
	if (rc == -2) {
		splitter_free(&sp);
		return Q_EINVAL;
	}
	return finish(&sp, out, rc, error, errlen);
}

void split_result_free(struct split_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].section);
	}
	free(r->v);
	free(r->plain);
	r->v = NULL;
	r->plain = NULL;
	r->n = 0;
}
