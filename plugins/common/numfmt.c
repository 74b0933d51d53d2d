/* numfmt.c: Excel number formats, as Excel (en-US) displays a cell, for
 * XLS and XLSX alike:
 * sections by sign, literals and escapes, thousands separators and
 * scaling commas, percent, decimals, scientific notation, fractions,
 * currency brackets, dates and times (elapsed too). Conditions and
 * colours are ignored; anything unreadable falls back to General. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "numfmt.h"

#define FMT_MAX_TOK 128

const char *pc_builtin_fmt(unsigned id)
{
	static const char *const fmts[] = {
		[1] = "0", [2] = "0.00", [3] = "#,##0", [4] = "#,##0.00",
		[5] = "\"$\"#,##0_);(\"$\"#,##0)", [6] = "\"$\"#,##0_);[Red](\"$\"#,##0)",
		[7] = "\"$\"#,##0.00_);(\"$\"#,##0.00)", [8] = "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
		[9] = "0%", [10] = "0.00%", [11] = "0.00E+00", [12] = "# ?/?", [13] = "# ?\?/??",
		[14] = "m/d/yy", [15] = "d-mmm-yy", [16] = "d-mmm", [17] = "mmm-yy",
		[18] = "h:mm AM/PM", [19] = "h:mm:ss AM/PM", [20] = "h:mm", [21] = "h:mm:ss",
		[22] = "m/d/yy h:mm", [37] = "#,##0_);(#,##0)", [38] = "#,##0_);[Red](#,##0)",
		[39] = "#,##0.00_);(#,##0.00)", [40] = "#,##0.00_);[Red](#,##0.00)",
		[41] = "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
		[42] = "_(\"$\"* #,##0_);_(\"$\"* (#,##0);_(\"$\"* \"-\"_);_(@_)",
		[43] = "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
		[44] = "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)",
		[45] = "mm:ss", [46] = "[h]:mm:ss", [47] = "mm:ss.0", [48] = "##0.0E+0", [49] = "@",
	};

	return id < sizeof fmts / sizeof fmts[0] ? fmts[id] : NULL;
}

enum tk { T_LIT, T_DIGIT, T_DOT, T_COMMA, T_PCT, T_EXP, T_SLASH, T_DATE, T_AMPM, T_ELAPSED,
	  T_GENERAL, T_AT };

struct tok {
	enum tk kind;
	const char *s;      /* literal text, or the placeholder/letter run */
	size_t n;
	char c;             /* placeholder or date letter (lower case) */
};

struct sec {
	struct tok t[FMT_MAX_TOK];
	size_t n;
	int date, fraction, sci, general;
};

static void push(struct sec *s, enum tk kind, const char *p, size_t n, char c)
{
	if (s->n < FMT_MAX_TOK)
		s->t[s->n++] = (struct tok){ kind, p, n, c };
}

/* A bracketed part at p ('['): elapsed time, a currency, or nothing. */
static size_t bracket(struct sec *s, const char *p, size_t len)
{
	const char *e = memchr(p, ']', len);
	size_t n;

	if (!e)
		return len;
	n = (size_t)(e - p) + 1;
	if (n >= 3 && strchr("hHmMsS", p[1])) {
		size_t k = 1;

		while (k < n - 1 && tolower((unsigned char)p[k]) == tolower((unsigned char)p[1]))
			k++;
		if (k == n - 1)
			push(s, T_ELAPSED, p + 1, n - 2, (char)tolower((unsigned char)p[1]));
	} else if (n >= 3 && p[1] == '$') {   /* [$€-407]: the symbol */
		const char *d = memchr(p + 2, '-', n - 3);

		push(s, T_LIT, p + 2, (size_t)((d ? d : e) - (p + 2)), 0);
	}
	return n;
}

static int date_letter(char c)
{
	c = (char)tolower((unsigned char)c);
	return c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's';
}

static void tokenize(struct sec *s, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char c = p[i];
		size_t k;

		if (c == '"') {
			k = i + 1;
			while (k < len && p[k] != '"')
				k++;
			push(s, T_LIT, p + i + 1, k - i - 1, 0);
			i = k + 1;
		} else if (c == '\\' && i + 1 < len) {
			push(s, T_LIT, p + i + 1, 1, 0);
			i += 2;
		} else if (c == '_' && i + 1 < len) {
			push(s, T_LIT, " ", 1, 0);
			i += 2;
		} else if (c == '*' && i + 1 < len) {
			i += 2;
		} else if (c == '[') {
			i += bracket(s, p + i, len - i);
		} else if (len - i >= 7 && !strncasecmp(p + i, "General", 7)) {
			push(s, T_GENERAL, p + i, 7, 0);
			s->general = 1;
			i += 7;
		} else if (len - i >= 5 && !strncasecmp(p + i, "AM/PM", 5)) {
			push(s, T_AMPM, p + i, 5, 0);
			i += 5;
		} else if (len - i >= 3 && !strncasecmp(p + i, "A/P", 3)) {
			push(s, T_AMPM, p + i, 3, 0);
			i += 3;
		} else if ((c == 'E' || c == 'e') && i + 1 < len && (p[i + 1] == '+' || p[i + 1] == '-')) {
			push(s, T_EXP, p + i, 2, p[i + 1]);
			s->sci = 1;
			i += 2;
		} else if (date_letter(c)) {
			k = i;
			while (k < len && tolower((unsigned char)p[k]) == tolower((unsigned char)c))
				k++;
			push(s, T_DATE, p + i, k - i, (char)tolower((unsigned char)c));
			s->date = 1;
			i = k;
		} else {
			enum tk kind = c == '0' || c == '#' || c == '?' ? T_DIGIT : c == '.' ? T_DOT :
				       c == ',' ? T_COMMA : c == '%' ? T_PCT : c == '/' ? T_SLASH :
				       c == '@' ? T_AT : T_LIT;

			/* one whole UTF-8 character as a literal */
			k = i + 1;
			while (kind == T_LIT && k < len && ((unsigned char)p[k] & 0xc0) == 0x80)
				k++;
			push(s, kind, p + i, k - i, c);
			i = k;
		}
	}
	if (!s->date)
		for (size_t t = 1; t + 1 < s->n; t++)
			if (s->t[t].kind == T_SLASH && s->t[t - 1].kind == T_DIGIT)
				s->fraction = 1;
}

/* ---- General ---- */

static void general(double v, struct pbuf *out)
{
	char tmp[64];

	if (isnan(v) || isinf(v)) {
		pbuf_add(out, "#NUM!", 5);
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(tmp, sizeof tmp, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(tmp, sizeof tmp, "%.15G", v);
	pbuf_add(out, tmp, strlen(tmp));
}

/* ---- numbers ---- */

/* a rounded half away from zero to d decimals, as Excel does, on its 15
 * significant digits: the integer digits (none when 0) into ip, the
 * decimals into dp (d of them). Returns -1 when it does not fit. */
static int fixed(double a, int d, char *ip, size_t ipn, char *dp, size_t dpn)
{
	char e[32], dig[400];
	int exp10, keep, n = 0, carry = 0, intn;

	if (d < 0 || (size_t)d >= dpn || a >= 1e300)
		return -1;
	snprintf(e, sizeof e, "%.14e", a);   /* d.dddddddddddddde+XX */
	exp10 = atoi(e + 17);
	dig[n++] = '0';                       /* room for a carry */
	dig[n++] = e[0];
	memcpy(dig + n, e + 2, 14);
	n += 14;
	keep = 1 + exp10 + 1 + d;             /* digits kept, the carry slot included */
	if (a == 0 || keep < 1) {
		memset(dig, '0', 1);
		keep = 1;
		exp10 = -1 - d;
		n = 1;
	} else if (keep < n) {
		carry = dig[keep] >= '5';
		n = keep;
		for (int i = n - 1; carry && i >= 0; i--) {
			dig[i] = dig[i] == '9' ? '0' : (char)(dig[i] + 1);
			carry = dig[i] == '0';
		}
	}
	while (n < keep && n < (int)sizeof dig)
		dig[n++] = '0';
	if (n < keep)
		return -1;
	/* dig holds 10^(exp10+1) ... 10^-d, after the carry slot */
	intn = exp10 + 2;
	if (intn < 0)
		intn = 0;
	{
		int lead = 0, from = n - d - intn;

		if (from < 0)
			return -1;
		while (lead < intn && dig[from + lead] == '0')
			lead++;
		if ((size_t)(intn - lead) >= ipn)
			return -1;
		memcpy(ip, dig + from + lead, (size_t)(intn - lead));
		ip[intn - lead] = '\0';
		memcpy(dp, dig + n - d, (size_t)d);
		dp[d] = '\0';
	}
	return 0;
}

struct numspec {
	size_t int_min, int_n, dec_zero, dec_n, exp_min;
	int group, scale, pct, spread;
	size_t first;       /* token of the first placeholder */
	char exp_sign;
};

static void numspec(const struct sec *s, struct numspec *ns)
{
	int after_dot = 0, after_exp = 0, lit_inside = 0;

	memset(ns, 0, sizeof *ns);
	ns->first = s->n;
	for (size_t i = 0; i < s->n; i++) {
		const struct tok *t = &s->t[i];

		if (t->kind == T_PCT)
			ns->pct++;
		if (t->kind == T_LIT && ns->first < s->n && !after_dot && !after_exp)
			lit_inside = 1;
		if (t->kind != T_DIGIT && t->kind != T_DOT && t->kind != T_COMMA && t->kind != T_EXP)
			continue;
		if (t->kind == T_COMMA && ns->first == s->n)
			continue;   /* a comma before any digit is a literal */
		if (ns->first == s->n)
			ns->first = i;
		if (t->kind == T_EXP) {
			after_exp = 1;
			ns->exp_sign = t->c;
		} else if (t->kind == T_DOT && !after_exp) {
			after_dot = 1;
		} else if (t->kind == T_COMMA && !after_exp) {
			/* a comma between integer digits groups; one after the
			 * digits (decimals included: 0.0,,) divides by 1000 */
			if (!after_dot && i + 1 < s->n && s->t[i + 1].kind == T_DIGIT)
				ns->group = 1;
			else
				ns->scale++;
		} else if (t->kind == T_DIGIT && after_exp) {
			ns->exp_min += t->c == '0';
		} else if (t->kind == T_DIGIT && after_dot) {
			ns->dec_n++;
			if (t->c == '0' && ns->dec_zero + 1 == ns->dec_n)
				ns->dec_zero++;
		} else if (t->kind == T_DIGIT) {
			if (lit_inside)
				ns->spread = 1;   /* literals between digits: 000-00-0000 */
			ns->int_n++;
			ns->int_min += t->c == '0';
		}
	}
	if (ns->group)
		ns->spread = 0;
}

/* The integer digits: padded to the '0' placeholders, grouped by three. */
static void int_string(const char *ip, const struct numspec *ns, struct pbuf *out)
{
	size_t n = strlen(ip), total = n > ns->int_min ? n : ns->int_min;

	for (size_t i = 0; i < total; i++) {
		size_t left = total - i;
		char c = left > n ? '0' : ip[n - left];

		pbuf_add(out, &c, 1);
		if (ns->group && left > 1 && left % 3 == 1)
			pbuf_add(out, ",", 1);
	}
}

/* Integer placeholder k of int_n when literals stand between them: the
 * digits right-aligned, the first placeholder taking any extra ones. */
static void spread_digit(const char *ip, const struct numspec *ns, size_t k, char ph,
			 struct pbuf *out)
{
	size_t n = strlen(ip), pad = n < ns->int_n ? ns->int_n - n : 0;

	if (k == 0 && n > ns->int_n) {
		pbuf_add(out, ip, n - ns->int_n + 1);
		return;
	}
	if (k >= pad) {
		size_t at = n > ns->int_n ? k + n - ns->int_n : k - pad;

		pbuf_add(out, ip + at, 1);
	} else if (ph != '#') {
		pbuf_add(out, ph == '0' ? "0" : " ", 1);
	}
}

static void number(const struct sec *s, double v, int sign, struct pbuf *out)
{
	struct numspec ns;
	double a = fabs(v);
	int exp10 = 0, after_dot = 0, after_exp = 0, int_done = 0;
	char ip[340], dp[64], e[16];
	size_t k = 0, j = 0, shown;

	numspec(s, &ns);
	for (int i = 0; i < ns.pct; i++)
		a *= 100;
	for (int i = 0; i < ns.scale; i++)
		a /= 1000;
	if (ns.exp_sign && a != 0) {
		int step = ns.int_n > 1 && ns.int_min < ns.int_n ? (int)ns.int_n : 1;

		exp10 = (int)floor(log10(a));
		if (step > 1)
			exp10 = (int)(floor((double)exp10 / step) * step);
		a /= pow(10, exp10);
		if (fixed(a, (int)ns.dec_n, ip, sizeof ip, dp, sizeof dp) == 0 && step == 1 &&
		    strlen(ip) > 1) {
			a /= 10;
			exp10++;
		}
	}
	if (ns.dec_n >= sizeof dp || fixed(a, (int)ns.dec_n, ip, sizeof ip, dp, sizeof dp) != 0) {
		general(v, out);
		return;
	}
	if (ns.exp_sign && ns.int_min == 0 && !*ip)
		ns.int_min = 1;
	shown = ns.dec_n;
	while (shown > ns.dec_zero && dp[shown - 1] == '0')
		shown--;
	/* a negative number that rounds to zero shows no sign */
	if (sign && v < 0 && (*ip || strspn(dp, "0") != strlen(dp) || ns.first == s->n))
		pbuf_add(out, "-", 1);
	snprintf(e, sizeof e, "E%s%0*d", exp10 < 0 ? "-" : ns.exp_sign == '+' ? "+" : "",
		 ns.exp_min ? (int)ns.exp_min : 1, exp10 < 0 ? -exp10 : exp10);
	for (size_t i = 0; i < s->n; i++) {
		const struct tok *t = &s->t[i];
		int in_num = i >= ns.first;

		if (t->kind == T_DIGIT && after_exp) {
			continue;
		} else if (t->kind == T_DIGIT && after_dot) {
			if (j < shown)
				pbuf_add(out, dp + j, 1);
			else if (t->c == '?')
				pbuf_add(out, " ", 1);
			j++;
		} else if (t->kind == T_DIGIT) {
			if (ns.spread)
				spread_digit(ip, &ns, k, t->c, out);
			else if (!int_done)
				int_string(ip, &ns, out);
			int_done = 1;
			k++;
		} else if (t->kind == T_DOT && in_num && !after_dot && !after_exp) {
			if (!int_done && ns.int_min)
				int_string(ip, &ns, out);
			int_done = after_dot = 1;
			pbuf_add(out, ".", 1);
		} else if (t->kind == T_EXP && in_num) {
			after_exp = 1;
			pbuf_add(out, e, strlen(e));
		} else if (t->kind == T_COMMA && in_num) {
			continue;
		} else if (t->kind == T_GENERAL) {
			general(a, out);
		} else if (t->kind != T_AT) {
			pbuf_add(out, t->s, t->n);
		}
	}
}

/* ---- fractions ---- */

static void fraction(const struct sec *s, double v, int sign, struct pbuf *out)
{
	size_t slash = 0, num_start, den_digits = 0;
	long fixed = 0, whole = 0, nume = 0, den = 1;
	int has_whole = 0;
	double a = fabs(v), f;
	char tmp[96];

	while (s->t[slash].kind != T_SLASH || slash == 0 || s->t[slash - 1].kind != T_DIGIT)
		slash++;
	num_start = slash;
	while (num_start > 0 && s->t[num_start - 1].kind == T_DIGIT)
		num_start--;
	for (size_t i = 0; i < num_start; i++)
		has_whole |= s->t[i].kind == T_DIGIT;
	for (size_t i = slash + 1; i < s->n; i++) {
		if (s->t[i].kind == T_DIGIT)
			den_digits++;
		else if (s->t[i].kind == T_LIT && s->t[i].c >= '0' && s->t[i].c <= '9' && !den_digits)
			fixed = fixed * 10 + (s->t[i].c - '0');
		else
			break;
	}
	if (a >= 1e15) {
		general(v, out);
		return;
	}
	whole = has_whole ? (long)floor(a) : 0;
	f = a - (double)whole;
	if (fixed > 0) {
		den = fixed;
		nume = lround(f * (double)den);
	} else {
		long maxden = den_digits >= 3 ? 999 : den_digits == 2 ? 99 : 9;
		double best = 2;

		for (long d = 1; d <= maxden; d++) {
			long n = lround(f * (double)d);
			double err = fabs(f - (double)n / (double)d);

			if (err < best - 1e-12) {
				best = err;
				nume = n;
				den = d;
			}
		}
	}
	if (has_whole && nume == den) {
		whole++;
		nume = 0;
	}
	if (sign && v < 0 && (whole || nume))
		pbuf_add(out, "-", 1);
	for (size_t i = 0; i < num_start; i++)
		if (s->t[i].kind == T_LIT && (i == 0 || s->t[i].c != ' '))
			pbuf_add(out, s->t[i].s, s->t[i].n);
	if (has_whole && nume == 0)
		snprintf(tmp, sizeof tmp, "%ld", whole);
	else if (has_whole && whole)
		snprintf(tmp, sizeof tmp, "%ld %ld/%ld", whole, nume, den);
	else
		snprintf(tmp, sizeof tmp, "%ld/%ld", nume, den);
	pbuf_add(out, tmp, strlen(tmp));
}

/* ---- dates and times ---- */

struct when {
	long y, mon, d, wday, h, min, s;
	double sec;         /* seconds with their fraction */
	double total_days;
};

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int when(double v, int date1904, int decimals, struct when *w)
{
	double scale = pow(10, decimals);
	double secs;
	long days;

	if (v < 0 || v > 2958466)   /* before 1900 or after 9999 */
		return -1;
	/* round to the precision shown, then split */
	secs = floor(v * 86400 * scale + 0.5) / scale;
	days = (long)floor(secs / 86400);
	secs -= (double)days * 86400;
	w->total_days = v;
	w->h = (long)(secs / 3600);
	w->min = (long)(secs / 60) % 60;
	w->s = (long)secs % 60;
	w->sec = secs - (double)(w->h * 3600 + w->min * 60);
	if (date1904)
		days += 1462;
	if (days == 60) {   /* Excel's 29 February 1900 */
		w->y = 1900, w->mon = 2, w->d = 29, w->wday = 3;
		return 0;
	}
	if (days == 0) {
		w->y = 1900, w->mon = 1, w->d = 0, w->wday = 6;
		return 0;
	}
	days -= days < 60 ? 25568 : 25569;   /* to days since 1970-01-01 */
	civil(days, &w->y, &w->mon, &w->d);
	w->wday = ((days % 7) + 11) % 7;      /* 1970-01-01 was a Thursday */
	return 0;
}

static const char *const months[] = { "January", "February", "March", "April", "May", "June",
				      "July", "August", "September", "October", "November",
				      "December" };
static const char *const wdays[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
				     "Friday", "Saturday" };

/* Is the m-run at i minutes (after an hour, or before seconds)? */
static int is_minute(const struct sec *s, size_t i)
{
	for (size_t k = i; k-- > 0;) {
		if (s->t[k].kind == T_DATE || s->t[k].kind == T_ELAPSED) {
			if (s->t[k].c == 'h')
				return 1;
			break;
		}
	}
	for (size_t k = i + 1; k < s->n; k++) {
		if (s->t[k].kind == T_DATE || s->t[k].kind == T_ELAPSED)
			return s->t[k].c == 's';
	}
	return 0;
}

static void put_num(struct pbuf *out, long v, int width)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%0*ld", width, v);
	pbuf_add(out, tmp, strlen(tmp));
}

static void date_token(const struct sec *s, size_t i, const struct when *w, int ampm,
		       struct pbuf *out)
{
	const struct tok *t = &s->t[i];
	int n = (int)t->n;
	long h12 = w->h % 12 == 0 ? 12 : w->h % 12;

	switch (t->c) {
	case 'y':
		put_num(out, n <= 2 ? w->y % 100 : w->y, n <= 2 ? 2 : 4);
		break;
	case 'm':
		if (n <= 2 && is_minute(s, i))
			put_num(out, w->min, n);
		else if (n <= 2)
			put_num(out, w->mon, n);
		else
			pbuf_add(out, months[w->mon - 1], n == 3 ? 3 : n == 4 ? strlen(months[w->mon - 1]) : 1);
		break;
	case 'd':
		if (n <= 2)
			put_num(out, w->d, n);
		else
			pbuf_add(out, wdays[w->wday], n == 3 ? 3 : strlen(wdays[w->wday]));
		break;
	case 'h':
		put_num(out, ampm ? h12 : w->h, n > 2 ? 2 : n);
		break;
	case 's':
		put_num(out, w->s, n > 2 ? 2 : n);
		break;
	}
}

static void date(const struct sec *s, double v, int date1904, struct pbuf *out)
{
	struct when w;
	int ampm = 0, decimals = 0;

	for (size_t i = 0; i < s->n; i++) {
		ampm |= s->t[i].kind == T_AMPM;
		if (s->t[i].kind == T_DOT && i > 0 && s->t[i - 1].kind == T_DATE && s->t[i - 1].c == 's')
			for (size_t k = i + 1; k < s->n && s->t[k].kind == T_DIGIT; k++)
				decimals++;
	}
	if (decimals > 3)
		decimals = 3;
	if (when(v, date1904, decimals, &w) != 0) {
		general(v, out);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct tok *t = &s->t[i];

		if (t->kind == T_DATE) {
			date_token(s, i, &w, ampm, out);
		} else if (t->kind == T_ELAPSED) {
			double span = t->c == 'h' ? 24 : t->c == 'm' ? 1440 : 86400;

			put_num(out, (long)floor(w.total_days * span + 1e-9), (int)t->n);
			if (t->c == 'h')
				w.h = 0;
		} else if (t->kind == T_AMPM) {
			const char *m = w.h < 12 ? "AM" : "PM";

			pbuf_add(out, m, t->n == 3 ? 1 : 2);
		} else if (t->kind == T_DOT && decimals && i > 0 && s->t[i - 1].kind == T_DATE) {
			char tmp[16];

			snprintf(tmp, sizeof tmp, "%.*f", decimals, w.sec - floor(w.sec));
			pbuf_add(out, tmp + 1, strlen(tmp + 1));
			while (i + 1 < s->n && s->t[i + 1].kind == T_DIGIT)
				i++;
		} else if (t->kind == T_LIT || t->kind == T_SLASH || t->kind == T_COMMA ||
			   t->kind == T_DOT || t->kind == T_DIGIT) {
			pbuf_add(out, t->s, t->n);
		}
	}
}

/* ---- sections ---- */

/* Split fmt into at most 4 sections; returns how many. */
static size_t sections(const char *fmt, const char *start[4], size_t len[4])
{
	size_t n = 0, i = 0, from = 0, flen = strlen(fmt);

	for (; i <= flen && n < 4; i++) {
		char c = fmt[i];

		if (c == '"') {
			while (i + 1 < flen && fmt[i + 1] != '"')
				i++;
			i++;
		} else if (c == '\\' && i + 1 < flen) {
			i++;
		} else if (c == '[') {
			while (i + 1 < flen && fmt[i + 1] != ']')
				i++;
		} else if (c == ';' || c == '\0') {
			start[n] = fmt + from;
			len[n++] = i - from;
			from = i + 1;
		}
	}
	return n;
}

void pc_numfmt(double v, const char *fmt, int date1904, struct pbuf *out)
{
	struct sec s;
	const char *start[4];
	size_t len[4], n, k = 0;
	int sign = 1;

	if (!fmt || !*fmt || !strcasecmp(fmt, "General") || !strcmp(fmt, "@") || isnan(v) ||
	    isinf(v)) {
		general(v, out);
		return;
	}
	n = sections(fmt, start, len);
	if (n >= 2 && v < 0) {
		k = 1;
		sign = 0;
	} else if (n >= 3 && v == 0) {
		k = 2;
	}
	memset(&s, 0, sizeof s);
	tokenize(&s, start[k], len[k]);
	if (s.general && !s.date)
		number(&s, v, sign, out);
	else if (s.date)
		date(&s, v, date1904, out);
	else if (s.fraction)
		fraction(&s, v, sign, out);
	else
		number(&s, v, sign, out);
}

int pc_numfmt_is_date(const char *fmt)
{
	struct sec s;
	const char *start[4];
	size_t len[4];

	if (!fmt || !*fmt || !strcasecmp(fmt, "General"))
		return 0;
	if (sections(fmt, start, len) == 0)
		return 0;
	memset(&s, 0, sizeof s);
	tokenize(&s, start[0], len[0]);
	return s.date;
}
