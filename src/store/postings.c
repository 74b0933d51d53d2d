/* postings.c: the postings block codec (varint gaps, header bounds). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/postings.h"

#include <math.h>
#include <string.h>

size_t varint_put(unsigned char *out, uint32_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

size_t varint_get(const unsigned char *in, size_t len, uint32_t *v)
{
	uint64_t x = 0;
	for (size_t i = 0; i < len && i < 5; i++) {
		x |= (uint64_t)(in[i] & 0x7f) << (7 * i);
		if (!(in[i] & 0x80)) {
			if (x > UINT32_MAX)
				return 0;
			*v = (uint32_t)x;
			return i + 1;
		}
	}
	return 0;
}

size_t pblock_encode(const struct pblock *b, unsigned char *out)
{
	size_t o = 0;
	o += varint_put(out + o, b->n);
	o += varint_put(out + o, b->maxtf);
	o += varint_put(out + o, b->mindl);
	memcpy(out + o, &b->a0, 4);
	memcpy(out + o + 4, &b->fmax, 4);
	o += 8;
	for (uint32_t i = 0; i < b->n; i++)
		o += varint_put(out + o, i ? b->doc[i] - b->doc[i - 1] : b->doc[0]);
	for (uint32_t i = 0; i < b->n; i++)
		o += varint_put(out + o, b->tf[i]);
	return o;
}

int pblock_header(const unsigned char *in, size_t len, struct pblock *b)
{
	size_t x, y, z;
	if (!(x = varint_get(in, len, &b->n)) || !(y = varint_get(in + x, len - x, &b->maxtf)) ||
	    !(z = varint_get(in + x + y, len - x - y, &b->mindl)) || b->n > POSTINGS_BLOCK ||
	    x + y + z + 8 > len)
		return -1;
	memcpy(&b->a0, in + x + y + z, 4);
	memcpy(&b->fmax, in + x + y + z + 4, 4);
	if ((b->n && !(b->a0 > 0)) || !(b->fmax >= 0) || !(b->fmax <= 1))
		return -1;   /* NaN included; an empty (open) block has no a0 */
	return (int)(x + y + z + 8);
}

/* varint_get with the one-byte case (most gaps and frequencies) inline. */
static inline size_t varint_fast(const unsigned char *in, size_t len, uint32_t *v)
{
	if (len && in[0] < 0x80) {
		*v = in[0];
		return 1;
	}
	return varint_get(in, len, v);
}

int pblock_decode(const unsigned char *in, size_t len, struct pblock *b)
{
	int h = pblock_header(in, len, b);
	if (h < 0)
		return -1;
	size_t o = (size_t)h, r;
	uint32_t v, prev = 0;
	for (uint32_t i = 0; i < b->n; i++, o += r) {
		if (!(r = varint_fast(in + o, len - o, &v)))
			return -1;
		if (i && (v == 0 || prev > UINT32_MAX - v))
			return -1;   /* not ascending */
		b->doc[i] = prev = i ? prev + v : v;
	}
	for (uint32_t i = 0; i < b->n; i++, o += r) {
		if (!(r = varint_fast(in + o, len - o, &v)) || v > UINT16_MAX)
			return -1;
		b->tf[i] = (uint16_t)v;
	}
	return o == len ? 0 : -1;
}

static double tf_part(double tf, double dl, double avgdl, double k1, double b)
{
	return tf / (tf + k1 * (1 - b + b * dl / avgdl));
}

/* How much smaller k1 (1 - b + b x) can be than POSTINGS_K1 (1 -
 * POSTINGS_B + POSTINGS_B x) for any x = dl / avgdl >= 0: their ratio is
 * monotone in x, so the least of its ends, x = 0 and x large; at most 1. */
static double norm_ratio(double k1, double b)
{
	double r0 = (1 - b) / (1 - POSTINGS_B), r1 = b / POSTINGS_B;
	double r = k1 / POSTINGS_K1 * (r0 < r1 ? r0 : r1);
	return r < 1 ? r : 1;
}

double pblock_bound(const struct pblock *b, double avgdl, double k1, double bb)
{
	/* tf / (tf + r y) <= tf / (tf + y) / r for r <= 1 */
	double r = norm_ratio(k1, bb);
	double f = r > 0 ? b->fmax * (avgdl > b->a0 ? avgdl / b->a0 : 1) / r * (1 + 1e-6) : 1;
	double g = tf_part(b->maxtf, b->mindl, avgdl, k1, bb);
	return f < g ? f : g;
}

int pblock_append(struct pblock *b, uint32_t doc, uint32_t tf, uint32_t dl, double avgdl)
{
	if (b->n >= POSTINGS_BLOCK || (b->n && doc <= b->doc[b->n - 1]))
		return -1;
	if (tf > UINT16_MAX)
		tf = UINT16_MAX;
	if (!b->n) {
		b->a0 = avgdl > 0 ? (float)avgdl : 1;
		b->fmax = 0;
	}
	/* rounded up to a float: still a bound */
	float f = nextafterf((float)tf_part(tf, dl, b->a0, POSTINGS_K1, POSTINGS_B), 2.0f);
	if (f > 1)
		f = 1;
	if (f > b->fmax)
		b->fmax = f;
	if (!b->n || tf > b->maxtf)
		b->maxtf = tf;
	if (!b->n || dl < b->mindl)
		b->mindl = dl;
	b->doc[b->n] = doc;
	b->tf[b->n++] = (uint16_t)tf;
	return 0;
}

int pblock_remove(struct pblock *b, uint32_t doc)
{
	for (uint32_t i = 0; i < b->n; i++)
		if (b->doc[i] == doc) {
			memmove(b->doc + i, b->doc + i + 1, (b->n - i - 1) * sizeof *b->doc);
			memmove(b->tf + i, b->tf + i + 1, (b->n - i - 1) * sizeof *b->tf);
			b->n--;
			return 1;
		}
	return 0;
}
