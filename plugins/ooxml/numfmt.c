/* numfmt.c: Excel number formats, the common cases only: General,
 * integers, fixed decimals, thousands separators, percent, scientific,
 * simple fractions, currency literals and dates and times (en-US names).
 * Anything else falls back to General. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

/* Built-in formats by id (ECMA-376 18.8.30, en-US). */
static const char *builtin(int id)
{
	switch (id) {
	case 1: return "0";
	case 2: return "0.00";
	case 3: return "#,##0";
	case 4: return "#,##0.00";
	case 5: return "\"$\"#,##0_);(\"$\"#,##0)";
	case 6: return "\"$\"#,##0_);[Red](\"$\"#,##0)";
	case 7: return "\"$\"#,##0.00_);(\"$\"#,##0.00)";
	case 8: return "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)";
	case 9: return "0%";
	case 10: return "0.00%";
	case 11: return "0.00E+00";
	case 12: return "# ?/?";
	case 13: return "# ?\?/??";
	case 14: return "m/d/yyyy";
	case 15: return "d-mmm-yy";
	case 16: return "d-mmm";
	case 17: return "mmm-yy";
	case 18: return "h:mm AM/PM";
	case 19: return "h:mm:ss AM/PM";
	case 20: return "h:mm";
	case 21: return "h:mm:ss";
	case 22: return "m/d/yyyy h:mm";
	case 37: return "#,##0_);(#,##0)";
	case 38: return "#,##0_);[Red](#,##0)";
	case 39: return "#,##0.00_);(#,##0.00)";
	case 40: return "#,##0.00_);[Red](#,##0.00)";
	case 45: return "mm:ss";
	case 46: return "[h]:mm:ss";
	case 47: return "mm:ss.0";
	case 48: return "##0.0E+0";
	case 49: return "@";
	default: return NULL;
	}
}

static void general(double v, char *out, size_t n)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, n, "%.0f", v);
	else {
		snprintf(out, n, "%.10g", v);
		if (strchr(out, 'e') == NULL && strlen(out) > 11)
			snprintf(out, n, "%.9g", v);
	}
}

/* Split code into its sections; pick the one for v (negative values lose
 * their sign when a negative section exists). */
static const char *section(const char *code, double *v, size_t *len)
{
	const char *sec[4] = { code, NULL, NULL, NULL };
	size_t nsec = 1, i;
	int q = 0, pick = 0;

	for (const char *p = code; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '\\' && p[1])
			p++;
		else if (*p == ';' && !q && nsec < 4)
			sec[nsec++] = p + 1;
	}
	if (*v < 0 && nsec >= 2) {
		pick = 1;
		*v = -*v;
	} else if (*v == 0 && nsec >= 3)
		pick = 2;
	i = (size_t)pick;
	*len = i + 1 < nsec ? (size_t)(sec[i + 1] - 1 - sec[i]) : strlen(sec[i]);
	return sec[i];
}

struct out {
	char *p;
	size_t n, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	while (n-- && o->n + 1 < o->cap)
		o->p[o->n++] = *s++;
	o->p[o->n] = '\0';
}

static const char *const month[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };
static const char *const wday[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday" };

/* Excel serial (1900 system, with its 29 February 1900) to a civil date. */
static void serial_date(double v, int *y, int *m, int *d, int *wd, long *secs)
{
	long days = (long)floor(v);
	long z, era, doe, yoe, doy, mp;

	*secs = lround((v - floor(v)) * 86400.0);
	if (*secs >= 86400) {
		*secs -= 86400;
		days++;
	}
	/* Days since 1970-01-01: serial 61 is 1900-03-01; 60 is Lotus's
	 * 29 February 1900, shown here as 1 March. */
	z = days >= 61 ? days - 25569 : days - 25568;
	*wd = (int)(((z % 7) + 11) % 7);
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_date_code(const char *s, size_t len)
{
	int q = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '"')
			q = !q;
		else if (q)
			continue;
		else if (c == '\\' || c == '_' || c == '*')
			i++;
		else if (c == '[') {
			while (i < len && s[i] != ']')
				i++;
		} else if (strchr("ymdhsYMDHS", c))
			return 1;
	}
	return 0;
}

static void fmt_date(double v, const char *s, size_t len, struct out *o)
{
	int y, m, d, wd, ampm = 0, q = 0;
	long secs;
	char buf[32];
	int last_h = 0;

	serial_date(v, &y, &m, &d, &wd, &secs);
	for (size_t i = 0; i + 1 < len; i++)
		if (strncasecmp(s + i, "AM/PM", 5) == 0 || strncasecmp(s + i, "A/P", 3) == 0)
			ampm = 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		size_t k = 1;

		if (c == '"') {
			q = !q;
			continue;
		}
		if (q || c == '\\') {
			if (c == '\\' && i + 1 < len)
				i++;
			put(o, s + i, 1);
			continue;
		}
		if (c == '_' || c == '*') {
			i++;
			continue;
		}
		if (c == '[') {
			/* [h], [mm], [ss]: elapsed time, not the time of day. */
			size_t j = i + 1;
			double total = floor(v) * 86400.0 + (double)secs;

			while (j < len && s[j] != ']' && (s[j] | 32) == (s[i + 1] | 32))
				j++;
			if (j < len && s[j] == ']' && j > i + 1 && strchr("hms", s[i + 1] | 32)) {
				double unit = (s[i + 1] | 32) == 'h' ? 3600 : (s[i + 1] | 32) == 'm' ? 60 : 1;

				snprintf(buf, sizeof buf, "%0*.0f", (int)(j - i - 1), floor(total / unit));
				put(o, buf, strlen(buf));
				last_h = (s[i + 1] | 32) == 'h';
			}
			while (i < len && s[i] != ']')
				i++;
			continue;
		}
		while (i + k < len && (s[i + k] | 32) == (c | 32))
			k++;
		switch (c | 32) {
		case 'y':
			snprintf(buf, sizeof buf, k <= 2 ? "%02d" : "%04d", k <= 2 ? y % 100 : y);
			put(o, buf, strlen(buf));
			break;
		case 'm': {
			/* minutes after an hour or before seconds */
			size_t j = i + k;
			int minutes = last_h;

			while (j < len && strchr(" :.", s[j]))
				j++;
			if (j < len && (s[j] | 32) == 's')
				minutes = 1;
			if (minutes && k <= 2)
				snprintf(buf, sizeof buf, k == 2 ? "%02ld" : "%ld", secs / 60 % 60);
			else if (k <= 2)
				snprintf(buf, sizeof buf, k == 2 ? "%02d" : "%d", m);
			else
				snprintf(buf, sizeof buf, "%.*s", k == 3 ? 3 : 20, month[m - 1]);
			put(o, buf, strlen(buf));
			last_h = 0;
			break;
		}
		case 'd':
			if (k <= 2)
				snprintf(buf, sizeof buf, k == 2 ? "%02d" : "%d", d);
			else
				snprintf(buf, sizeof buf, "%.*s", k == 3 ? 3 : 20, wday[wd]);
			put(o, buf, strlen(buf));
			break;
		case 'h': {
			long h = secs / 3600;

			if (ampm)
				h = h % 12 ? h % 12 : 12;
			snprintf(buf, sizeof buf, k >= 2 ? "%02ld" : "%ld", h);
			put(o, buf, strlen(buf));
			last_h = 1;
			break;
		}
		case 's':
			snprintf(buf, sizeof buf, k >= 2 ? "%02ld" : "%ld", secs % 60);
			put(o, buf, strlen(buf));
			break;
		case 'a':
			if (strncasecmp(s + i, "AM/PM", 5) == 0) {
				put(o, secs >= 43200 ? "PM" : "AM", 2);
				k = 5;
			} else if (strncasecmp(s + i, "A/P", 3) == 0) {
				put(o, secs >= 43200 ? "P" : "A", 1);
				k = 3;
			} else
				put(o, s + i, k);
			break;
		default:
			put(o, s + i, k);
		}
		i += k - 1;
	}
}

/* Digits, decimals, grouping, percent, exponent or fraction. */
static void fmt_number(double v, const char *s, size_t len, struct out *o)
{
	int q = 0, decimals = 0, after_dot = 0, group = 0, percent = 0, expo = 0, frac = 0;
	int zeros = 0, thousands = 0;  /* integer '0's; trailing commas (each /1000) */
	int den_digits = 0, any = 0, neg = v < 0;
	size_t first = len, last = 0;
	char num[96];

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '"') { q = !q; continue; }
		if (q) continue;
		if (c == '\\' || c == '_' || c == '*') { i++; continue; }
		if (c == '[') { while (i < len && s[i] != ']') i++; continue; }
		if (c == '0' || c == '#' || c == '?') {
			if (first == len) first = i;
			last = i;
			any = 1;
			if (frac) den_digits++;
			else if (after_dot && !expo) decimals++;
			else if (c == '0' && !after_dot && !expo) zeros++;
		} else if (c == '.' && any && !frac)
			after_dot = 1, last = i;
		else if (c == ',' && any && i + 1 < len && strchr("0#?", s[i + 1]) && !after_dot)
			group = 1;
		else if (c == ',' && any && !frac)
			thousands++, last = i;
		else if (c == '%')
			percent++;
		else if ((c == 'E' || c == 'e') && i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-'))
			expo = 1, last = i + 1, i++;
		else if (c == '/' && any)
			frac = 1;
	}
	if (!any) {
		general(v, num, sizeof num);
		first = last = len;
	}
	if (neg)
		v = -v;
	while (percent--)
		v *= 100;
	while (thousands-- > 0)
		v /= 1000;
	if (!any)
		;
	else if (expo) {
		char *e;

		snprintf(num, sizeof num, "%.*E", decimals, v);
		e = strchr(num, 'E');
		if (e && (e[2] == '0') && strlen(e) > 4)
			memmove(e + 2, e + 3, strlen(e + 3) + 1);
	} else if (frac) {
		long whole = (long)floor(v), bn = 0, bd = 1, maxd = den_digits >= 2 ? 99 : 9;
		double f = v - (double)whole, best = 2;

		for (long dd = 1; dd <= maxd; dd++) {
			long nn = lround(f * (double)dd);

			if (fabs(f - (double)nn / (double)dd) < best - 1e-12) {
				best = fabs(f - (double)nn / (double)dd);
				bn = nn;
				bd = dd;
			}
		}
		if (bn == bd) {
			whole++;
			bn = 0;
		}
		if (bn)
			snprintf(num, sizeof num, whole ? "%ld %ld/%ld" : "%ld/%ld", whole ? whole : bn,
				 whole ? bn : bd, bd);
		else
			snprintf(num, sizeof num, "%ld", whole);
	} else {
		char raw[96], *dot;
		size_t ilen, n = 0;

		/* Excel rounds halves away from zero; printf to even. */
		double scale = pow(10, decimals);

		snprintf(raw, sizeof raw, "%.*f", decimals, round(v * scale * (1 + 1e-15)) / scale);
		dot = strchr(raw, '.');
		ilen = dot ? (size_t)(dot - raw) : strlen(raw);
		/* "0000": pad the integer part to its zeros. */
		if ((size_t)zeros > ilen && zeros < 40) {
			size_t pad = (size_t)zeros - ilen;

			memmove(raw + pad, raw, strlen(raw) + 1);
			memset(raw, '0', pad);
			dot = strchr(raw, '.');
			ilen += pad;
		}
		for (size_t i = 0; i < ilen && n + 2 < sizeof num; i++) {
			num[n++] = raw[i];
			if (group && (ilen - i - 1) % 3 == 0 && i + 1 < ilen)
				num[n++] = ',';
		}
		snprintf(num + n, sizeof num - n, "%s", dot ? dot : "");
		if (strcmp(num, "0") == 0 && s[first] == '#' && !dot)
			num[0] = '\0';
	}
	/* The literals around the digits, in place. */
	q = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (i == first) {
			if (neg)
				put(o, "-", 1);
			put(o, num, strlen(num));
		}
		if (i >= first && i <= last && any && !q && c != '"')
			continue;
		if (c == '"') { q = !q; continue; }
		if (q) { put(o, s + i, 1); continue; }
		if (c == '\\' && i + 1 < len) { put(o, s + ++i, 1); continue; }
		if (c == '_' || c == '*') { i++; continue; }
		if (c == '[') {
			/* [$€-407]: the currency symbol; [Red], [>100]: nothing */
			if (i + 1 < len && s[i + 1] == '$') {
				size_t j = i + 2;

				while (j < len && s[j] != '-' && s[j] != ']')
					put(o, s + j++, 1);
			}
			while (i < len && s[i] != ']')
				i++;
			continue;
		}
		if (strchr("0#?,.%Ee+/", c) && any && i >= first && i <= last)
			continue;
		if (c == '@')
			continue;
		put(o, s + i, 1);
	}
	if (first == len) {
		if (neg)
			put(o, "-", 1);
		put(o, num, strlen(num));
	}
}

int ox_numfmt_is_date(int id, const char *code)
{
	if (!code)
		code = builtin(id);
	if (!code || strncasecmp(code, "General", 7) == 0)
		return 0;
	return is_date_code(code, strcspn(code, ";"));
}

void ox_numfmt(double v, int id, const char *code, char *out, size_t n)
{
	struct out o = { out, 0, n };
	const char *s;
	size_t len;

	out[0] = '\0';
	if (!code)
		code = builtin(id);
	if (!code || strcasecmp(code, "General") == 0 || strcmp(code, "@") == 0 || !isfinite(v)) {
		general(v, out, n);
		return;
	}
	s = section(code, &v, &len);
	if (strncasecmp(s, "General", 7) == 0) {
		general(v, out, n);
		return;
	}
	if (is_date_code(s, len) && v >= 0 && v < 2958466)
		fmt_date(v, s, len, &o);
	else
		fmt_number(v, s, len, &o);
	/* Trim the space left by _) paddings. */
	while (o.n && out[o.n - 1] == ' ')
		out[--o.n] = '\0';
}
