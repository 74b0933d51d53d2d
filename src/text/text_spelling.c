/* text_spelling.c: English spelling variants (text_spelling.h). Each rule
 * rewrites one part of a word into the other spelling, both ways; a part
 * that is common inside unrelated words ("hem", "ped", "emi") is only
 * rewritten where the variant's words have it (the start, the end). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text_spelling.h"

#include <string.h>

enum where { ANY, START, END };
struct rule {
	const char *from, *to;
	enum where at;
	size_t min;   /* the word's length at least */
	char not_after;   /* not where this letter comes before it */
};

/* British -> American and back; -ise -> -ize (the Oxford spelling too) */
static const struct rule rules[] = {
	/* -our / -or */
	{"tumour", "tumor", ANY, 0, 0}, {"tumor", "tumour", ANY, 0, 0},
	{"colour", "color", ANY, 0, 0}, {"color", "colour", ANY, 0, 0},
	{"behaviour", "behavior", ANY, 0, 0}, {"behavior", "behaviour", ANY, 0, 0},
	{"favour", "favor", ANY, 0, 0}, {"favor", "favour", ANY, 0, 0},
	{"labour", "labor", ANY, 0, 0}, {"labor", "labour", ANY, 0, 0},
	{"odour", "odor", ANY, 0, 0}, {"odor", "odour", ANY, 0, 0},
	{"flavour", "flavor", ANY, 0, 0}, {"flavor", "flavour", ANY, 0, 0},
	{"neighbour", "neighbor", ANY, 0, 0}, {"neighbor", "neighbour", ANY, 0, 0},
	{"vapour", "vapor", ANY, 0, 0}, {"vapor", "vapour", ANY, 0, 0},
	{"rigour", "rigor", ANY, 0, 0}, {"rigor", "rigour", ANY, 0, 0},
	{"vigour", "vigor", ANY, 0, 0}, {"vigor", "vigour", ANY, 0, 0},
	{"humour", "humor", ANY, 0, 0}, {"humor", "humour", ANY, 0, 0},
	{"honour", "honor", ANY, 0, 0}, {"honor", "honour", ANY, 0, 0},
	/* ae, oe / e */
	{"haem", "hem", ANY, 0, 0}, {"hem", "haem", START, 0, 0},
	{"aemi", "emi", ANY, 0, 0}, {"emia", "aemia", END, 0, 'a'}, {"emias", "aemias", END, 0, 'a'},
	{"emic", "aemic", END, 0, 'a'},
	{"paed", "ped", ANY, 0, 0}, {"ped", "paed", START, 0, 0},
	{"anaesth", "anesth", ANY, 0, 0}, {"anesth", "anaesth", ANY, 0, 0},
	{"aetiol", "etiol", ANY, 0, 0}, {"etiol", "aetiol", START, 0, 0},
	{"gynaec", "gynec", ANY, 0, 0}, {"gynec", "gynaec", ANY, 0, 0},
	{"faec", "fec", START, 0, 0}, {"fec", "faec", START, 0, 0},
	{"caec", "cec", START, 0, 0}, {"cec", "caec", START, 0, 0},
	{"oestr", "estr", START, 0, 0}, {"estr", "oestr", START, 0, 0},
	{"oesoph", "esoph", START, 0, 0}, {"esoph", "oesoph", START, 0, 0},
	{"oedem", "edem", START, 0, 0}, {"edem", "oedem", START, 0, 0},
	{"foet", "fet", START, 0, 0}, {"fet", "foet", START, 0, 0},
	{"coeli", "celi", START, 0, 0}, {"celi", "coeli", START, 0, 0},
	{"rrhoea", "rrhea", ANY, 0, 0}, {"rrhea", "rrhoea", ANY, 0, 0},
	{"pnoea", "pnea", ANY, 0, 0}, {"pnea", "pnoea", ANY, 0, 0},
	/* other spellings */
	{"sulph", "sulf", ANY, 0, 0}, {"sulf", "sulph", ANY, 0, 0},
	{"aluminium", "aluminum", ANY, 0, 0}, {"aluminum", "aluminium", ANY, 0, 0},
	{"ageing", "aging", ANY, 0, 0}, {"aging", "ageing", ANY, 0, 0},
	{"programme", "program", ANY, 0, 0}, {"programmes", "programs", ANY, 0, 0},
	{"program", "programme", END, 0, 0}, {"programs", "programmes", END, 0, 0},
	{"centre", "center", END, 0, 0}, {"centres", "centers", END, 0, 0},
	{"center", "centre", END, 0, 0}, {"centers", "centres", END, 0, 0},
	{"fibre", "fiber", END, 0, 0}, {"fibres", "fibers", END, 0, 0},
	{"fiber", "fibre", END, 0, 0}, {"fibers", "fibres", END, 0, 0},
	{"litre", "liter", END, 0, 0}, {"litres", "liters", END, 0, 0},
	{"liter", "litre", END, 0, 0}, {"liters", "litres", END, 0, 0},
	{"logue", "log", END, 0, 0}, {"logues", "logs", END, 0, 0},
	{"defence", "defense", ANY, 0, 0}, {"defense", "defence", ANY, 0, 0},
	{"licence", "license", END, 0, 0}, {"grey", "gray", START, 0, 0}, {"gray", "grey", START, 0, 0},
	{"mould", "mold", START, 0, 0}, {"mold", "mould", START, 0, 0},
	/* Greek letters written out ("tnf-α", "tnf-alpha"; "aβ", "abeta";
	 * "nf-κb", "nf-kappab") */
	{"α", "alpha", ANY, 0, 0}, {"alpha", "α", ANY, 0, 0},
	{"β", "beta", ANY, 0, 0}, {"beta", "β", ANY, 0, 0},
	{"γ", "gamma", ANY, 0, 0}, {"gamma", "γ", ANY, 0, 0},
	{"δ", "delta", ANY, 0, 0}, {"delta", "δ", ANY, 0, 0},
	{"κ", "kappa", ANY, 0, 0}, {"kappa", "κ", ANY, 0, 0},
	/* a prefix joined or hyphenated ("proinflammatory", "pro-inflammatory":
	 * the index holds a hyphenated word whole, as a compound) */
	{"non", "non-", START, 7, 0}, {"anti", "anti-", START, 8, 0},
	{"pro", "pro-", START, 7, 0}, {"co", "co-", START, 6, 0},
	{"pre", "pre-", START, 7, 0}, {"post", "post-", START, 8, 0},
	{"sub", "sub-", START, 7, 0}, {"trans", "trans-", START, 9, 0},
	{"intra", "intra-", START, 9, 0}, {"inter", "inter-", START, 9, 0},
	{"multi", "multi-", START, 9, 0}, {"auto", "auto-", START, 8, 0},
	{"up", "up-", START, 6, 0}, {"down", "down-", START, 8, 0},
	{"over", "over-", START, 8, 0}, {"semi", "semi-", START, 8, 0},
	{"re", "re-", START, 6, 0},
	/* -ise / -ize, -yse / -yze and their forms */
	{"ise", "ize", END, 5, 0}, {"ised", "ized", END, 6, 0}, {"ises", "izes", END, 6, 0},
	{"ising", "izing", END, 7, 0}, {"isation", "ization", END, 0, 0},
	{"isations", "izations", END, 0, 0}, {"iser", "izer", END, 6, 0}, {"isers", "izers", END, 7, 0},
	{"ize", "ise", END, 5, 0}, {"ized", "ised", END, 6, 0}, {"izes", "ises", END, 6, 0},
	{"izing", "ising", END, 7, 0}, {"ization", "isation", END, 0, 0},
	{"izations", "isations", END, 0, 0}, {"izer", "iser", END, 6, 0}, {"izers", "isers", END, 7, 0},
	{"yse", "yze", END, 0, 0}, {"ysed", "yzed", END, 0, 0}, {"yses", "yzes", END, 0, 0},
	{"ysing", "yzing", END, 0, 0}, {"yze", "yse", END, 0, 0}, {"yzed", "ysed", END, 0, 0},
	{"yzes", "yses", END, 0, 0}, {"yzing", "ysing", END, 0, 0},
};

int text_spelling_variants(const char *tok, size_t len,
			   char out[TEXT_SPELLING_MAX][TEXT_TOKEN_MAX])
{
	int n = 0;
	for (size_t r = 0; r < sizeof rules / sizeof *rules && n < TEXT_SPELLING_MAX; r++) {
		const struct rule *u = &rules[r];
		size_t fl = strlen(u->from), tl = strlen(u->to), at;
		if (len < fl || len < u->min || len - fl + tl >= TEXT_TOKEN_MAX)
			continue;
		if (u->at == START) {
			if (memcmp(tok, u->from, fl))
				continue;
			at = 0;
		} else if (u->at == END) {
			if (memcmp(tok + len - fl, u->from, fl))
				continue;
			at = len - fl;
		} else {
			const char *p = memmem(tok, len, u->from, fl);
			if (!p)
				continue;
			at = (size_t)(p - tok);
		}
		if (u->not_after && at > 0 && tok[at - 1] == u->not_after)
			continue;
		char v[TEXT_TOKEN_MAX];
		size_t vl = len - fl + tl;
		memcpy(v, tok, at);
		memcpy(v + at, u->to, tl);
		memcpy(v + at + tl, tok + at + fl, len - at - fl);
		v[vl] = 0;
		int dup = vl == len && !memcmp(v, tok, len);
		for (int j = 0; j < n && !dup; j++)
			dup = !strcmp(out[j], v);
		if (!dup)
			memcpy(out[n++], v, vl + 1);
	}
	return n;
}
