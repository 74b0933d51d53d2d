/* ppt.c: PowerPoint 97-2003 presentations ([MS-PPT]): the persist
 * directory (Current User -> UserEditAtom chain -> PersistDirectoryAtoms)
 * finds the document and each slide; slides come in SlideListWithText
 * order, each a page: the title as a heading, the outline text kept in
 * the list, the text of its shapes (text boxes, groups, WordArt), its
 * comments and embedded charts or sheets, then its notes. The masters'
 * (main and title masters, the notes master, the handout master) footers,
 * headers and text that is no placeholder come once at the end. Every
 * record header is
 * checked against its parent; nesting is capped. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "legacy.h"
#include "pptcrypt.h"
#include "ppt.h"
#include "out.h"
#include "metro.h"
#include "embed.h"

#define PPT_MAX_DEPTH 32
#define PPT_SEEN_SLOTS 8192   /* a page's paragraph hashes (power of 2) */
#define PPT_MAX_OBJECTS 64     /* embedded objects read per presentation */

enum {
	RT_DOCUMENT = 0x03e8, RT_DOCUMENT_ATOM = 0x03e9, RT_HANDOUT = 0x0fc9, RT_SLIDE = 0x03ee, RT_SLIDE_ATOM = 0x03ef, RT_NOTES = 0x03f0,
	RT_SLIDE_PERSIST = 0x03f3, RT_MAIN_MASTER = 0x03f8, RT_EXOBJLIST = 0x0409,
	RT_EXOBJREF = 0x0bc1, RT_PLACEHOLDER = 0x0bc3, RT_OUTLINE_REF = 0x0f9e,
	RT_TEXT_HEADER = 0x0f9f, RT_TEXT_CHARS = 0x0fa0, RT_TEXT_BYTES = 0x0fa8,
	RT_CSTRING = 0x0fba, RT_EXOLEOBJ_ATOM = 0x0fc3, RT_HEADERS_FOOTERS = 0x0fd9,
	RT_SLWT = 0x0ff0, RT_USER_EDIT = 0x0ff5, RT_EXOLEOBJ_STG = 0x1011,
	RT_PROG_BINARY_DATA = 0x138b, RT_PERSIST_DIR = 0x1772, RT_COMMENT10 = 0x2ee0,
	RT_CRYPT_SESSION = 0x2f14, RT_SP_CONTAINER = 0xf004, RT_CLIENT_DATA = 0xf011,
	RT_FOPT = 0xf00b, RT_TERTIARY_FOPT = 0xf122,
};

struct rec {
	unsigned ver, inst, type;
	size_t off, len;        /* data offset and length */
};

struct persist {
	uint32_t id, seq;
	uint32_t off;
};

/* A slide (or master, or notes) listed in a SlideListWithText, with the
 * range of its text records there. */
struct listed {
	uint32_t psr, id;   /* persist id, slide id */
	size_t from, to;
};

struct ppt {
	struct lg *lg;
	const unsigned char *s;
	size_t n;
	struct persist *pd;
	size_t npd;
	struct listed *slides, *masters, *notes;
	size_t nslides, nmasters, nnotes;
	size_t doc_off, doc_len;
	struct pbuf text, tail;   /* a text atom's text; masters' footers */
	uint32_t seen[PPT_SEEN_SLOTS];  /* hashes of the current page's paragraphs */
	size_t nseen;
	size_t *done;            /* containers read (a slide listed twice is read once) */
	size_t ndone, donecap;
	unsigned objects;        /* embedded objects looked up */
	int master;              /* reading a master: footers and headers only */
	int text_type;           /* of the last TextHeaderAtom */
	int decrypted;           /* an encrypted stream decrypted (pptcrypt.c) */
};

static int rec_at(const struct ppt *p, size_t off, size_t end, struct rec *r)
{
	unsigned vi;

	if (end > p->n || !pc_in(end, off, 8))
		return -1;
	vi = pc_le16(p->s + off);
	r->ver = vi & 0xf;
	r->inst = vi >> 4;
	r->type = pc_le16(p->s + off + 2);
	r->len = pc_le32(p->s + off + 4);
	r->off = off + 8;
	return pc_in(end, r->off, r->len) ? 0 : -1;
}

/* ---- the persist directory ---- */

static uint32_t persist_lookup(const struct ppt *p, uint32_t id)
{
	size_t lo = 0, hi = p->npd;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->pd[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->npd && p->pd[lo].id == id ? p->pd[lo].off : UINT32_MAX;
}

static int pd_cmp(const void *a, const void *b)
{
	const struct persist *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void persist_add(struct ppt *p, const struct rec *r, size_t *cap)
{
	size_t i = 0;

	while (i + 4 <= r->len) {
		uint32_t h = pc_le32(p->s + r->off + i), id = h & 0xfffff, cnt = h >> 20;

		i += 4;
		for (uint32_t k = 0; k < cnt && i + 4 <= r->len; k++, i += 4) {
			if (p->npd == *cap) {
				size_t c = *cap ? 2 * *cap : 64;
				struct persist *v = realloc(p->pd, c * sizeof *v);

				if (!v)
					return;
				p->pd = v;
				*cap = c;
			}
			p->pd[p->npd].id = id + k;
			p->pd[p->npd].seq = (uint32_t)p->npd;
			p->pd[p->npd++].off = pc_le32(p->s + r->off + i);
		}
	}
}

/* Follow the edits from the newest (offset `edit`); the newest entry of
 * each id wins. Returns the document's persist id, or UINT32_MAX. */
static uint32_t persist_load(struct ppt *p, uint32_t edit)
{
	uint32_t doc = UINT32_MAX;
	size_t cap = 0;
	struct rec r;

	for (int hops = 0; hops < 4096 && edit < p->n; hops++) {
		struct rec d;
		uint32_t last;

		if (rec_at(p, edit, p->n, &r) || r.type != RT_USER_EDIT || r.len < 28)
			break;
		if (r.len >= 32 && pc_le32(p->s + r.off + 28) != 0 && hops == 0 && !p->decrypted) {
			p->lg->host->log(QUIRE_LOG_INFO, "legacy: the presentation is encrypted");
			lg_fail(p->lg, QUIRE_ENCRYPTED);
			return UINT32_MAX;
		}
		if (doc == UINT32_MAX)
			doc = pc_le32(p->s + r.off + 16);
		if (rec_at(p, pc_le32(p->s + r.off + 12), p->n, &d) == 0 && d.type == RT_PERSIST_DIR)
			persist_add(p, &d, &cap);
		last = pc_le32(p->s + r.off + 8);
		if (last == 0 || last >= edit)   /* older edits lie before newer ones */
			break;
		edit = last;
	}
	if (p->npd)
		qsort(p->pd, p->npd, sizeof *p->pd, pd_cmp);
	/* keep the first (newest) entry of each id */
	{
		size_t k = 0;

		for (size_t i = 0; i < p->npd; i++)
			if (k == 0 || p->pd[k - 1].id != p->pd[i].id)
				p->pd[k++] = p->pd[i];
		p->npd = k;
	}
	return doc;
}

/* The record a persist id points at, if it has the wanted type. */
static int persist_rec(const struct ppt *p, uint32_t id, unsigned type, struct rec *r)
{
	uint32_t off = persist_lookup(p, id);

	return off != UINT32_MAX && rec_at(p, off, p->n, r) == 0 && r->type == type ? 0 : -1;
}

/* ---- text ---- */

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void new_page_seen(struct ppt *p)
{
	memset(p->seen, 0, sizeof p->seen);
	p->nseen = 0;
}

/* Was this paragraph on the page already? (Half full, the set stops
 * remembering: a long page may then repeat a paragraph.) */
static int seen(struct ppt *p, const char *s, size_t n)
{
	uint32_t h = hash(s, n) | 1;
	size_t i = h & (PPT_SEEN_SLOTS - 1);

	for (; p->seen[i]; i = (i + 1) & (PPT_SEEN_SLOTS - 1))
		if (p->seen[i] == h)
			return 1;
	if (p->nseen < PPT_SEEN_SLOTS / 2) {
		p->seen[i] = h;
		p->nseen++;
	}
	return 0;
}

/* Has the container at off been read? Marks it read. (An open-addressing
 * set of offsets + 1, grown at half full.) */
static int done(struct ppt *p, size_t off)
{
	size_t key = off + 1, i;

	if (2 * (p->ndone + 1) > p->donecap) {
		size_t c = p->donecap ? 2 * p->donecap : 256;
		size_t *v = calloc(c, sizeof *v);

		if (!v)
			return 0;
		for (size_t k = 0; k < p->donecap; k++) {
			if (!p->done[k])
				continue;
			for (i = p->done[k] * 2654435761u & (c - 1); v[i]; i = (i + 1) & (c - 1))
				;
			v[i] = p->done[k];
		}
		free(p->done);
		p->done = v;
		p->donecap = c;
	}
	for (i = key * 2654435761u & (p->donecap - 1); p->done[i]; i = (i + 1) & (p->donecap - 1))
		if (p->done[i] == key)
			return 1;
	p->done[i] = key;
	p->ndone++;
	return 0;
}

/* A paragraph of the current page, once. */
static void para(struct ppt *p, const char *s, size_t n, int title)
{
	if (n == 0 || (n == 1 && s[0] == '*'))   /* "*" stands for a field */
		return;
	if (seen(p, s, n))
		return;
	if (p->master) {
		pbuf_add(&p->tail, s, n);
		pbuf_add(&p->tail, "", 1);
	} else if (title) {
		lg_heading(p->lg, 1, s, n);
	} else {
		lg_para(p->lg, s, n);
	}
}

/* Text of a TextCharsAtom (UTF-16LE), TextBytesAtom (Latin-1) or
 * CString: paragraphs at CR, line breaks (VT) as spaces. */
static void text_atom(struct ppt *p, const struct rec *r, int title)
{
	const unsigned char *d = p->s + r->off;
	int wide = r->type != RT_TEXT_BYTES;
	size_t nch = wide ? r->len / 2 : r->len;

	pbuf_reset(&p->text);
	for (size_t i = 0; i <= nch && !p->lg->err; i++) {
		unsigned c = i == nch ? '\r' : wide ? pc_le16(d + 2 * i) : d[i];

		if (c == '\r') {
			pbuf_squeeze(&p->text);
			para(p, p->text.p, p->text.n, title);
			pbuf_reset(&p->text);
		} else if (c == 0x0b || c == '\t') {
			pbuf_add(&p->text, " ", 1);
		} else if (c >= 0x20 || (c >= 0xd800 && c < 0xe000)) {
			pbuf_u16(&p->text, c);
		}
	}
}

static int is_title(int text_type)
{
	return text_type == 0 || text_type == 6;
}

/* ---- embedded objects ---- */

/* The ExOleObjStg of an embedded object, inflated when compressed, to
 * lg_embedded. A bad stream is skipped: the slide's own text stays. */
static void ole_object(struct ppt *p, uint32_t persist_id)
{
	const struct quire_limits *lim = p->lg->host->limits;
	struct rec r;
	unsigned long size;
	unsigned char *buf;

	if (p->lg->depth > 0 || persist_rec(p, persist_id, RT_EXOLEOBJ_STG, &r) ||
	    done(p, r.off))
		return;
	if (r.inst == 0) {
		lg_embedded(p->lg, p->s + r.off, r.len);
		return;
	}
	if (r.len < 4)
		return;
	size = pc_le32(p->s + r.off);
	if (size == 0 || size > (64ul << 20) ||
	    (lim->max_inflated_bytes && size > lim->max_inflated_bytes) ||
	    (lim->max_ratio && size > (1ul << 20) && size / (r.len + 1) > lim->max_ratio))
		return;
	buf = malloc(size);
	if (!buf)
		return;
	if (uncompress(buf, &size, p->s + r.off + 4, (uLong)(r.len - 4)) == Z_OK)
		lg_embedded(p->lg, buf, size);
	else
		p->lg->host->log(QUIRE_LOG_INFO, "legacy: an embedded object does not inflate");
	free(buf);
}

/* exObjId -> the persist id of its ExOleObjStg, from the ExObjList. */
static uint32_t exobj_persist(const struct ppt *p, uint32_t exobj)
{
	struct rec list, c, a;

	for (size_t off = p->doc_off; rec_at(p, off, p->doc_off + p->doc_len, &list) == 0;
	     off = list.off + list.len) {
		if (list.type != RT_EXOBJLIST)
			continue;
		for (size_t o = list.off; rec_at(p, o, list.off + list.len, &c) == 0; o = c.off + c.len) {
			if (c.ver != 0xf)
				continue;
			for (size_t q = c.off; rec_at(p, q, c.off + c.len, &a) == 0; q = a.off + a.len)
				if (a.type == RT_EXOLEOBJ_ATOM && a.len >= 20 &&
				    pc_le32(p->s + a.off + 8) == exobj)
					return pc_le32(p->s + a.off + 16);
		}
	}
	return UINT32_MAX;
}

/* A paragraph of a shape's DrawingML copy (metro.c). */
static void metro_para(void *ctx, const char *s, size_t n)
{
	para(ctx, s, n, 0);
}

/* ---- walking containers ---- */

static void walk(struct ppt *p, size_t off, size_t end, int depth);

/* The placeholder type of a shape (from OEPlaceholderAtom in its client
 * data), or -1 when it is no placeholder. */
static int placeholder(const struct ppt *p, const struct rec *sp)
{
	struct rec c, a;

	for (size_t q = sp->off; rec_at(p, q, sp->off + sp->len, &c) == 0; q = c.off + c.len) {
		if (c.type != RT_CLIENT_DATA)
			continue;
		for (size_t k = c.off; rec_at(p, k, c.off + c.len, &a) == 0; k = a.off + a.len)
			if (a.type == RT_PLACEHOLDER && a.len >= 8)
				return p->s[a.off + 4];
	}
	return -1;
}

/* A shape: on masters only footers, headers and text that is no
 * placeholder ("Click to edit Master title style" is one). */
static void shape(struct ppt *p, const struct rec *r, int depth)
{
	int type = p->master ? placeholder(p, r) : -1;

	if (type != -1 && type != 0x09 && type != 0x0a)
		return;
	walk(p, r->off, r->off + r->len, depth + 1);
}

static void walk(struct ppt *p, size_t off, size_t end, int depth)
{
	struct rec r;

	if (depth > PPT_MAX_DEPTH)
		return;
	while (!p->lg->err && rec_at(p, off, end, &r) == 0) {
		off = r.off + r.len;
		switch (r.type) {
		case RT_TEXT_HEADER:
			p->text_type = r.len >= 4 ? (int)pc_le32(p->s + r.off) : 4;
			break;
		case RT_TEXT_CHARS:
		case RT_TEXT_BYTES:
			text_atom(p, &r, !p->master && is_title(p->text_type));
			break;
		case RT_COMMENT10:
		case RT_HEADERS_FOOTERS: {
			struct rec c;

			/* comment text (1); header (1) and footer (2) */
			for (size_t q = r.off; rec_at(p, q, r.off + r.len, &c) == 0; q = c.off + c.len)
				if (c.type == RT_CSTRING && (c.inst == 1 || (c.inst == 2 &&
									     r.type == RT_HEADERS_FOOTERS)))
					text_atom(p, &c, 0);
			break;
		}
		case RT_EXOBJREF:
			if (r.len >= 4 && !p->master && p->objects++ < PPT_MAX_OBJECTS)
				ole_object(p, exobj_persist(p, pc_le32(p->s + r.off)));
			break;
		case RT_PROG_BINARY_DATA:   /* an atom that holds records */
			walk(p, r.off, r.off + r.len, depth + 1);
			break;
		case RT_SP_CONTAINER:
			shape(p, &r, depth);
			break;
		case RT_FOPT:
		case RT_TERTIARY_FOPT:   /* SmartArt and charts kept as DrawingML */
			if (!p->master)
				lg_metro(p->lg, p->s + r.off, r.len, r.inst, metro_para, p);
			break;
		default:
			if (r.ver == 0xf)
				walk(p, r.off, r.off + r.len, depth + 1);
		}
	}
}

/* ---- the document ---- */

static void list_add(struct listed **v, size_t *n, size_t *cap, const unsigned char *atom,
		     size_t from)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		struct listed *x = realloc(*v, c * sizeof *x);

		if (!x)
			return;
		*v = x;
		*cap = c;
	}
	(*v)[*n].psr = pc_le32(atom);
	(*v)[*n].id = pc_le32(atom + 12);
	(*v)[*n].from = (*v)[*n].to = from;
	(*n)++;
}

/* The slides', masters' and notes' SlideListWithText entries. */
static void document_lists(struct ppt *p)
{
	size_t caps[3] = { 0 };
	struct listed **lists[3] = { &p->slides, &p->masters, &p->notes };
	size_t *counts[3] = { &p->nslides, &p->nmasters, &p->nnotes };
	struct rec l, a;

	for (size_t off = p->doc_off; rec_at(p, off, p->doc_off + p->doc_len, &l) == 0;
	     off = l.off + l.len) {
		struct listed **v;
		size_t *n, *cap;

		if (l.type != RT_SLWT || l.inst > 2)
			continue;
		v = lists[l.inst];
		n = counts[l.inst];
		cap = &caps[l.inst];
		for (size_t q = l.off; rec_at(p, q, l.off + l.len, &a) == 0; q = a.off + a.len) {
			if (a.type == RT_SLIDE_PERSIST && a.len >= 16)
				list_add(v, n, cap, p->s + a.off, a.off + a.len);
			else if (*n > 0)
				(*v)[*n - 1].to = a.off + a.len;
		}
	}
}

static void slide(struct ppt *p, const struct listed *sl)
{
	struct rec r, notes;
	int have = persist_rec(p, sl->psr, RT_SLIDE, &r) == 0;

	if (have && done(p, r.off))
		return;   /* listed twice */
	if (lg_page(p->lg))
		return;
	new_page_seen(p);
	p->text_type = 4;
	walk(p, sl->from, sl->to, 0);   /* the outline text */
	if (!have)
		return;
	p->text_type = 4;
	walk(p, r.off, r.off + r.len, 0);
	/* its notes: SlideAtom.notesIdRef is a slide id of the notes list */
	for (size_t q = r.off; rec_at(p, q, r.off + r.len, &notes) == 0; q = notes.off + notes.len) {
		uint32_t id;

		if (notes.type != RT_SLIDE_ATOM || notes.len < 24)
			continue;
		id = pc_le32(p->s + notes.off + 16);
		for (size_t i = 0; id && i < p->nnotes; i++) {
			if (p->notes[i].id != id ||
			    persist_rec(p, p->notes[i].psr, RT_NOTES, &notes) != 0)
				continue;
			if (done(p, notes.off))
				break;
			p->text_type = 2;
			walk(p, notes.off, notes.off + notes.len, 0);
			break;
		}
		break;
	}
}

/* No persist directory: slide containers in stream order. */
static void slides_in_order(struct ppt *p)
{
	struct rec r;

	for (size_t off = 0; !p->lg->err && rec_at(p, off, p->n, &r) == 0; off = r.off + r.len) {
		if (r.type != RT_SLIDE)
			continue;
		if (lg_page(p->lg))
			return;
		new_page_seen(p);
		p->text_type = 4;
		walk(p, r.off, r.off + r.len, 0);
	}
}

/* A master of the given type by its persist id, once. */
static void master(struct ppt *p, uint32_t id, unsigned type)
{
	struct rec r;

	if (id && persist_rec(p, id, type, &r) == 0 && !done(p, r.off))
		walk(p, r.off, r.off + r.len, 0);
}

static void masters(struct ppt *p)
{
	struct rec r;

	p->master = 1;   /* deduplicated against the last page */
	pbuf_reset(&p->tail);
	/* main masters, and title masters (slides in the masters' list) */
	for (size_t i = 0; i < p->nmasters && !p->lg->err; i++) {
		master(p, p->masters[i].psr, RT_MAIN_MASTER);
		master(p, p->masters[i].psr, RT_SLIDE);
	}
	/* the notes master and the handout master: DocumentAtom's
	 * notesMasterPersistIdRef and handoutMasterPersistIdRef */
	for (size_t off = p->doc_off; !p->lg->err &&
	     rec_at(p, off, p->doc_off + p->doc_len, &r) == 0; off = r.off + r.len) {
		if (r.type != RT_DOCUMENT_ATOM || r.len < 32)
			continue;
		master(p, pc_le32(p->s + r.off + 24), RT_NOTES);
		master(p, pc_le32(p->s + r.off + 28), RT_HANDOUT);
		break;
	}
	/* the document's own header and footer text */
	for (size_t off = p->doc_off; rec_at(p, off, p->doc_off + p->doc_len, &r) == 0;
	     off = r.off + r.len)
		if (r.type == RT_HEADERS_FOOTERS)
			walk(p, r.off - 8, r.off + r.len, 0);
	p->master = 0;
	for (size_t i = 0; i < p->tail.n && !p->lg->err;) {
		size_t k = strlen(p->tail.p + i);

		lg_para(p->lg, p->tail.p + i, k);
		i += k + 1;
	}
}

static uint32_t current_edit(struct ppt *p, const struct lg_bytes *cu)
{
	if (cu->n < 20 || pc_le16(cu->p + 2) != 0x0ff6)
		return UINT32_MAX;
	if (pc_le32(cu->p + 12) == 0xf3d1c4dfu && !p->decrypted) {
		p->lg->host->log(QUIRE_LOG_INFO, "legacy: the presentation is encrypted");
		lg_fail(p->lg, QUIRE_ENCRYPTED);
		return UINT32_MAX;
	}
	return pc_le32(cu->p + 16);
}

/* The last UserEditAtom at the top level (for when Current User is
 * missing); a CryptSession10Container there means encryption. */
static uint32_t last_edit(struct ppt *p)
{
	uint32_t last = UINT32_MAX;
	struct rec r;

	for (size_t off = 0; rec_at(p, off, p->n, &r) == 0; off = r.off + r.len) {
		if (r.type == RT_USER_EDIT)
			last = (uint32_t)(r.off - 8);
		if (r.type == RT_CRYPT_SESSION && !p->decrypted) {
			p->lg->host->log(QUIRE_LOG_INFO, "legacy: the presentation is encrypted");
			lg_fail(p->lg, QUIRE_ENCRYPTED);
		}
	}
	return last;
}

static void presentation(struct ppt *p, uint32_t edit)
{
	uint32_t doc = edit == UINT32_MAX ? UINT32_MAX : persist_load(p, edit);
	struct rec r;

	if (p->lg->err)
		return;
	if (persist_rec(p, doc, RT_DOCUMENT, &r) != 0) {
		/* no usable directory: the first document container */
		for (size_t off = 0; rec_at(p, off, p->n, &r) == 0; off = r.off + r.len)
			if (r.type == RT_DOCUMENT)
				break;
	}
	if (r.type == RT_DOCUMENT) {
		p->doc_off = r.off;
		p->doc_len = r.len;
		document_lists(p);
	}
	if (p->nslides && p->npd) {
		if (lg_over_cap(p->lg, p->nslides, "slides"))
			return;
		for (size_t i = 0; i < p->nslides && !p->lg->err; i++)
			slide(p, &p->slides[i]);
	} else {
		slides_in_order(p);
	}
	if (!p->lg->err)
		masters(p);
}

enum quire_result lg_ppt(struct lg *lg, GsfInfile *dir)
{
	struct ppt p = { .lg = lg };
	struct lg_bytes doc, cu;
	uint32_t edit;

	if (lg_stream(lg, dir, "PowerPoint Document", &doc) != 0)
		return lg->err ? lg->err : QUIRE_UNSUPPORTED;
	if (lg_stream(lg, dir, "Current User", &cu) < 0)
		lg->err = QUIRE_OK;   /* optional: the stream is walked without it */
	if (lg_ppt_encrypted(dir, &cu)) {   /* pptcrypt.c */
		enum quire_result r = lg_ppt_decrypt(lg, doc.p, doc.n, &cu);

		if (r != QUIRE_OK) {
			lg->host->log(QUIRE_LOG_INFO, "legacy: the presentation is encrypted");
			lg_bytes_free(&cu);
			lg_bytes_free(&doc);
			return r;
		}
		p.decrypted = 1;
	}
	p.s = doc.p;
	p.n = doc.n;
	pbuf_init(&p.text, LG_BLOCK_MAX * 4);
	pbuf_init(&p.tail, 1 << 20);
	edit = current_edit(&p, &cu);
	if (!lg->err) {
		uint32_t last = last_edit(&p);

		if (edit == UINT32_MAX)
			edit = last;
	}
	if (!lg->err)
		presentation(&p, edit);
	pbuf_free(&p.text);
	pbuf_free(&p.tail);
	free(p.pd);
	free(p.slides);
	free(p.masters);
	free(p.notes);
	free(p.done);
	lg_bytes_free(&cu);
	lg_bytes_free(&doc);
	return lg->err;
}
