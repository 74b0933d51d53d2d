/* test_quality.c: retrieval quality parts of keyword search: compounds
 * kept whole beside their parts, repeated query words weighted as typed,
 * title and section fields reaching every chunk (and leaving with it),
 * document-aware ranking and pseudo-relevance feedback on a small built
 * collection. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "search/search.h"
#include "store/store.h"
#include "text/text.h"
#include "text/text_compound.h"
#include "text/text_spelling.h"
#include "unit.h"
#include "base/util.h"

#include <math.h>
#include <string.h>

static char dir[PATH_MAX];
static struct store *s;
static struct qconf conf;

/* ---- tokens ------------------------------------------------------------------- */

struct toks {
	char out[512];
};

static int add_tok(const char *tok, size_t len, void *arg)
{
	struct toks *t = arg;
	size_t o = strlen(t->out);
	if (o + len + 2 < sizeof t->out) {
		memcpy(t->out + o, tok, len);
		t->out[o + len] = ' ';
		t->out[o + len + 1] = '\0';
	}
	return 0;
}

/* The compounds of text, each followed by a space. */
static const char *compounds(const char *text)
{
	static struct toks t;
	t.out[0] = '\0';
	text_compounds(text, strlen(text), add_tok, &t);
	return t.out;
}

/* The CJK pairs of text, each followed by a space. */
static const char *bigrams(const char *text)
{
	static struct toks t;
	t.out[0] = '\0';
	text_cjk_bigrams(text, strlen(text), add_tok, &t);
	return t.out;
}

static const char *tokens(const char *text)
{
	static struct toks t;
	t.out[0] = '\0';
	text_tokens(text, strlen(text), add_tok, &t);
	return t.out;
}

static void test_compounds(void)
{
	is_str(compounds("Serum 25-hydroxyvitamin D levels"), "25-hydroxyvitamin ",
	       "a hyphenated chemical name is one compound");
	is_str(tokens("Serum 25-hydroxyvitamin D levels"), "serum 25 hydroxyvitamin d levels ",
	       "and its parts are still tokens");
	is_str(compounds("3,4-methylenedioxymethamphetamine (MDMA)"), "3,4-methylenedioxymethamphetamine ",
	       "digits joined by a comma, then a hyphen: one compound");
	is_str(compounds("IL-6 and TNF-α rose, and/or fell."), "il-6 tnf-α and/or ",
	       "gene names folded as tokens are (Greek letters included), slashes join");
	is_str(compounds("a ratio of 3,4 or 1.25 mg"), "3,4 1.25 ",
	       "numbers with a comma or point");
	is_str(compounds("It ended. Then, e.g. this, - or - that"), "",
	       "a point or comma between words, or a spaced dash, joins nothing");
	is_str(compounds("well-known"), "well-known ", "a compound at the text's end");
}

static void test_bigrams(void)
{
	is_str(bigrams("新图书馆开门"), "新图 图书 书馆 馆开 开门 ", "Chinese: each pair of adjacent characters");
	is_str(tokens("图书馆"), "图 书 馆 ", "beside one token per character");
	is_str(bigrams("地图，书店 博物馆"), "地图 书店 博物 物馆 ",
	       "punctuation or a space between characters makes no pair");
	is_str(bigrams("図書館の予算"), "図書 書館 館の の予 予算 ", "Japanese: kanji and kana");
	is_str(bigrams("새 도서관의"), "도서 서관 관의 ", "Korean: Hangul syllables");
	is_str(bigrams("Ｑ图书 library ｶﾀ"), "图书 カタ ",
	       "Latin makes no pair; half-width katakana as text_tokens folds it");
}

/* ---- the collection ----------------------------------------------------------- */

enum { TITLED, PLAIN, SPLIT, SINGLE, IL6, ILSIX, REP1, REP2, MI1, MI2, TROP, MIKB2, CALP, LI1, LI2, LI3, TITLEM, BODYM, SPELLB, SPELLA, JOINED, HYPHEN, NDOCS };
static char id[NDOCS][37];

struct put {
	int d;
	const char *title;
	const char *chunks[4];
	const char *section;
};
static const char *put_kb = "kb1";   /* the knowledge base put stores in */

static enum qstatus put_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put *p = arg;
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "id", id[p->d], "account",
				"acct", "kb", put_kb, "title", p->title, "enabled", 1, "archived", 0,
				"hit_count", 0);
	enum qstatus st = store_put(t, T_DOCS, id[p->d], doc, err);
	json_decref(doc);
	for (unsigned i = 0; st == Q_OK && i < 4 && p->chunks[i]; i++) {
		json_t *rec = json_pack("{s:s, s:s, s:i, s:i, s:b}", "text", p->chunks[i], "section",
					p->section ? p->section : "", "lang", (int)LANG_EN,
					"hit_count", 0, "enabled", 1);
		st = chunk_put(t, id[p->d], i, rec, err);
		json_decref(rec);
	}
	return st;
}

static void put(struct put p)
{
	struct qerr err;
	if (store_run(s, put_fn, &p, &err) != Q_OK)
		bail_out("put: %s", err.msg);
}

static void build(void)
{
	for (int d = 0; d < NDOCS; d++)
		q_uuid_new(id[d]);
	/* the title's words are in no chunk's text */
	put((struct put){TITLED, "Glacier retreat in Patagonia",
			 {"Measurements of ice were taken over ten years.",
			  "The second survey used aerial photographs.",
			  "Funding came from national agencies."}, "Results > Surveys"});
	put((struct put){PLAIN, "Untitled notes", {"Shopping list and errands for the week."}, NULL});
	/* evidence spread over two chunks against one chunk with one word */
	put((struct put){SPLIT, "Report one",
			 {"Zebrafish embryos were imaged daily under the microscope.",
			  "Cardiomyocyte regeneration followed the injury in most animals."}, NULL});
	put((struct put){SINGLE, "Report two",
			 {"Regeneration and regeneration again followed in most animals."}, NULL});
	put((struct put){IL6, "Cytokines A", {"Serum IL-6 rose after surgery in older patients."}, NULL});
	put((struct put){ILSIX, "Cytokines B", {"The IL receptor count was 6 after surgery in patients."}, NULL});
	put((struct put){REP1, "Notes C", {"Copper wiring carries current through the building."}, NULL});
	put((struct put){REP2, "Notes D", {"Aluminium wiring carries current through the building."}, NULL});
	/* feedback: TROP shares no word with "myocardial infarction" but
	 * troponin, a word of both documents that hold it; CALP shares calpain
	 * with a document of another knowledge base only */
	put((struct put){MI1, "Heart A", {"Myocardial infarction raised troponin in the cohort."}, NULL});
	put((struct put){MI2, "Heart B", {"Infarction size tracked troponin closely."}, NULL});
	put((struct put){TROP, "Heart C", {"Troponin assays detect cardiac injury early."}, NULL});
	put_kb = "kb2";
	put((struct put){MIKB2, "Heart D", {"Myocardial infarction, infarction again: calpain."}, NULL});
	put_kb = "kb1";
	put((struct put){CALP, "Brain E", {"Calpain cleaves spectrin in neurons."}, NULL});
	/* feedback's head (kb3): lithium's best is the short LI1; feedback from
	 * the three adds bipolar, which LI2 and LI3 hold and LI1 does not */
	put_kb = "kb3";
	put((struct put){LI1, "Drug F", {"Lithium."}, NULL});
	put((struct put){LI2, "Drug G", {"Lithium dosing in bipolar mania and bipolar depression."}, NULL});
	put((struct put){LI3, "Drug H", {"Lithium levels in bipolar mania, bipolar relapse and "
					   "bipolar patients over many years."}, NULL});
	/* title evidence: BODYM holds the three words in its text, TITLEM
	 * one in its text and all three in its title */
	put((struct put){TITLEM, "Heat shock protein",
			 {"Cells were stressed and a response protein was measured."}, NULL});
	put((struct put){BODYM, "Assay notes", {"Heat shock protein levels."}, NULL});
	put_kb = "kb1";
	/* spellings: British in SPELLB, American in SPELLA */
	put((struct put){SPELLB, "Spelling B", {"Tumour growth in haematopoietic niches was randomised."}, NULL});
	put((struct put){SPELLA, "Spelling A", {"Leukemia cells: metastasis of the tumor was analyzed."}, NULL});
	/* a prefix joined in JOINED, hyphenated in HYPHEN */
	put((struct put){JOINED, "Joined", {"Proinflammatory genes were upregulated in macrophages after injury."}, NULL});
	put((struct put){HYPHEN, "Hyphen", {"Co-expression of kinases in neurons was measured over two days."}, NULL});
}

struct search {
	const char *query;
	size_t k;
	struct search_hit *hits;
	size_t n;
};

static const char *kb_filter;   /* NULL: the whole account */
static enum search_method method = SEARCH_KEYWORD;

static enum qstatus search_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct search *q = arg;
	struct search_filter f = {.account = "acct", .kb = kb_filter};
	free(q->hits);
	q->hits = NULL;
	return search_run(t, &conf, &f, method, q->query, q->k, &q->hits, &q->n, err);
}

/* The hits as "<doc>:<position>" of the enum's numbers ("2:0 3:0"). */
static const char *found(const char *query)
{
	static char out[256];
	struct search q = {query, 10, NULL, 0};
	struct qerr err;
	if (store_run(s, search_fn, &q, &err) != Q_OK) {
		diag("search: %s", err.msg);
		free(q.hits);
		return "error";
	}
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < q.n; i++)
		for (int d = 0; d < NDOCS; d++)
			if (!strcmp(q.hits[i].doc, id[d]) && o + 16 < sizeof out)
				o += (size_t)snprintf(out + o, sizeof out - o, "%s%d:%s", o ? " " : "", d,
						      q.hits[i].chunk + 37 + 7);
	free(q.hits);
	return out;
}

/* The hits as "<doc>:<position>:<score>" (scores to 9 digits). */
static const char *scored(const char *query)
{
	static char out[512];
	struct search q = {query, 10, NULL, 0};
	struct qerr err;
	size_t o = 0;
	out[0] = '\0';
	if (store_run(s, search_fn, &q, &err) != Q_OK) {
		free(q.hits);
		return "error";
	}
	for (size_t i = 0; i < q.n; i++)
		for (int d = 0; d < NDOCS; d++)
			if (!strcmp(q.hits[i].doc, id[d]) && o + 40 < sizeof out)
				o += (size_t)snprintf(out + o, sizeof out - o, "%s%d:%s:%.9g", o ? " " : "", d,
						      q.hits[i].chunk + 37 + 7, q.hits[i].score);
	free(q.hits);
	return out;
}

/* The first hit's document (its enum number), -1 for none. */
static int first(const char *query)
{
	struct search q = {query, 1, NULL, 0};
	struct qerr err;
	int d = -1;
	if (store_run(s, search_fn, &q, &err) == Q_OK && q.n)
		for (int i = 0; i < NDOCS; i++)
			if (!strcmp(q.hits[0].doc, id[i]))
				d = i;
	free(q.hits);
	return d;
}

/* The largest match of query's hits (-1: no hit). */
static double best_match(const char *query)
{
	struct search q = {query, 10, NULL, 0};
	struct qerr err;
	double m = -1;
	if (store_run(s, search_fn, &q, &err) == Q_OK)
		for (size_t i = 0; i < q.n; i++)
			m = q.hits[i].match > m ? q.hits[i].match : m;
	free(q.hits);
	return m;
}

static void test_fields(void)
{
	char want[64];
	snprintf(want, sizeof want, "%d:0 %d:1 %d:2", TITLED, TITLED, TITLED);
	is_str(found("glacier Patagonia"), want,
	       "a query matching only the title finds every chunk of the document, in order");
	is_str(found("results"), want, "the section path reaches every chunk too");
	double m = best_match("glacier Patagonia");
	ok(m == 0, "a title-only hit's match is 0: match is the body's share (%g)", m);
	m = best_match("survey aerial photographs");
	conf.search_section_weight = 0;
	double body = best_match("survey aerial photographs");
	conf.search_section_weight = 0.5;
	ok(m > 0 && m == body, "a hit matching in its body and section: the same match as with the "
	   "section off (%g, %g)", m, body);
	conf.search_title_weight = 0;
	conf.search_section_weight = 0;
	is_str(found("glacier Patagonia"), "", "with field weights 0, the title is not searched");
	conf.search_title_weight = 0.5;
	conf.search_section_weight = 0.5;
}

struct df {
	char term[16];
	size_t df;
};

static enum qstatus df_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct df *d = arg;
	return lexical_df(t, "acct", d->term, strlen(d->term), &d->df, err);
}

static size_t df(char field, const char *stem)
{
	struct df d = {{field}, 0};
	struct qerr err;
	snprintf(d.term + (field != 0), sizeof d.term - 1, "%s", stem);
	if (store_run(s, df_fn, &d, &err) != Q_OK)
		bail_out("df: %s", err.msg);
	return d.df;
}

static enum qstatus del_fn(struct stxn *t, void *arg, struct qerr *err)
{
	return chunks_delete_for_doc(t, arg, err);
}

static void test_fields_removed(void)
{
	struct qerr err;
	ok(df(LEXICAL_FIELD_TITLE, "glacier") == 3 && df(LEXICAL_FIELD_SECTION, "survey") == 3,
	   "title and section terms are posted for each of the three chunks");
	ok(df(0, "glacier") == 0, "and not as body terms");
	if (store_run(s, del_fn, id[TITLED], &err) != Q_OK)
		bail_out("delete: %s", err.msg);
	ok(df(LEXICAL_FIELD_TITLE, "glacier") == 0 && df(LEXICAL_FIELD_SECTION, "survey") == 0 &&
	   df(0, "survey") == 0, "deleting the chunks removes their field postings with them");
}

static void test_compound_search(void)
{
	ok(first("IL-6") == IL6, "\"IL-6\" ranks the chunk holding it whole above one with its parts apart");
	char want[64];
	snprintf(want, sizeof want, "%d:0 %d:0", IL6, ILSIX);
	is_str(found("il-6 surgery"), want, "both match, the whole compound first");
}

static void test_repeated(void)
{
	ok(first("copper aluminium") >= 0, "two words of equal weight match");
	ok(first("copper copper aluminium") == REP1, "copper typed twice weighs more: its chunk first");
	ok(first("aluminium aluminium copper") == REP2, "and aluminium twice: the other first");
}

/* Keyword hits with spread 0 and no field words: score is the chunk's
 * BM25 and match the same over the query's maximum, so match / score is
 * one number for every hit: each hit's evidence is its own. (Here the
 * candidates come best first, so ranking them moves none: this does not
 * show the stale positions search.c's kw_sc fixed.) */
static void test_match_positions(void)
{
	struct search q = {"wiring carries current building regeneration animals surgery patients",
			   10, NULL, 0};
	struct qerr err;
	int bad = 0;
	conf.search_doc_spread = 0;
	conf.search_title_weight = conf.search_section_weight = 0;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 1; i < q.n; i++)
		bad += fabs(q.hits[i].match / q.hits[i].score - q.hits[0].match / q.hits[0].score) > 1e-5;
	ok(q.n >= 5 && !bad, "each of %zu hits' match is its own score over the query's maximum", q.n);
	free(q.hits);
	conf.search_doc_spread = 0.1;
	conf.search_title_weight = conf.search_section_weight = 0.5;
}

static void test_doc_aware(void)
{
	char want[64];
	conf.search_doc_spread = 0;
	ok(first("zebrafish regeneration") == SINGLE,
	   "spread 0: chunks alone, the chunk with the rarer word twice leads");
	conf.search_doc_spread = 0.5;
	const char *got = found("zebrafish regeneration");
	snprintf(want, sizeof want, "%d:0 %d:1 %d:0", SPLIT, SPLIT, SINGLE);
	char other[64];
	snprintf(other, sizeof other, "%d:1 %d:0 %d:0", SPLIT, SPLIT, SINGLE);
	ok(!strcmp(got, want) || !strcmp(got, other),
	   "spread 0.5: the document whose two chunks hold the two words leads, each chunk still "
	   "a hit of its own (%s)", got);
	snprintf(want, sizeof want, "%d:0 %d:1", SINGLE, SPLIT);
	is_str(found("regeneration"), want, "one word: spread changes nothing where one chunk matches");
	/* the document sums are taken over search_doc_candidates candidates
	 * (or top_k when more): at top_k 1 with one candidate the chunk is alone */
	conf.search_doc_candidates = 1;
	ok(first("zebrafish regeneration") == SINGLE,
	   "search_doc_candidates 1, top_k 1: the one BM25 candidate, its score its own");
	conf.search_doc_candidates = 10;
	ok(first("zebrafish regeneration") == SPLIT,
	   "search_doc_candidates 10, top_k 1: the document whose two chunks hold the words leads");
	conf.search_doc_spread = 0.1;
}

/* Whether doc d is among query's hits ("<doc>:" in found's list). */
static int has_doc(const char *query, int d)
{
	char tag[16], list[256];
	snprintf(list, sizeof list, " %s", found(query));
	snprintf(tag, sizeof tag, " %d:", d);
	return strstr(list, tag) != NULL;
}

static void test_feedback(void)
{
	conf.search_prf_docs = 0;
	ok(!has_doc("myocardial infarction", TROP), "feedback off: a chunk without the query's "
	   "words is not found");
	conf.search_prf_docs = 2;
	conf.search_prf_terms = 5;
	conf.search_prf_weight = 1;
	conf.search_prf_keep = 2;
	kb_filter = "kb1";
	char want[64];
	snprintf(want, sizeof want, "%d:0 %d:0 %d:0", MI1, MI2, TROP);
	is_str(found("myocardial infarction"), want, "feedback from the two best chunks: their "
	       "shared word troponin finds a third, after them");
	ok(!has_doc("myocardial infarction", CALP),
	   "calpain, a word of a chunk the filter hides, is not added");
	kb_filter = NULL;
	ok(has_doc("myocardial infarction", CALP), "without the filter it is: from the hidden "
	   "chunk, among the best two");
	kb_filter = "kb1";
	struct search q = {"myocardial infarction", 10, NULL, 0};
	struct qerr err;
	double m = -1;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 0; i < q.n; i++)
		if (!strcmp(q.hits[i].doc, id[TROP]))
			m = q.hits[i].match;
	free(q.hits);
	ok(m == 0, "the added words do not count in match: the question's words are not in it (%g)",
	   m);
	conf.search_prf_weight = 0;
	ok(!has_doc("myocardial infarction", TROP), "weight 0: feedback off");
	conf.search_prf_weight = 1;
	conf.search_prf_keep = 10;
	ok(!has_doc("myocardial infarction", TROP), "keep 10, 10 hits asked for: the question's "
	   "own hits, feedback not run");
	kb_filter = NULL;
	conf.search_prf_docs = 0;
}

/* The question's own best hits stay first with feedback
 * (search_prf_keep); the expanded query's follow in its order. */
static void test_feedback_keep(void)
{
	char base[256], expanded[256], want[256], *sp;
	const char *q = "lithium";
	kb_filter = "kb3";
	conf.search_prf_docs = 0;
	snprintf(base, sizeof base, "%s", found(q));
	conf.search_prf_docs = 3;
	conf.search_prf_terms = 5;
	conf.search_prf_weight = 3;
	conf.search_prf_keep = 0;
	snprintf(expanded, sizeof expanded, "%s", found(q));
	diag("%s: %s without feedback, %s with", q, base, expanded);
	ok(strcmp(base, expanded) != 0, "feedback reorders the hits of %s", q);
	conf.search_prf_keep = 1;
	/* want: base's first, then expanded without it */
	sp = strchr(base, ' ');
	size_t hl = sp ? (size_t)(sp - base) : strlen(base);
	snprintf(want, sizeof want, "%.*s", (int)hl, base);
	for (char *tok = strtok(expanded, " "); tok; tok = strtok(NULL, " "))
		if (strlen(tok) != hl || strncmp(tok, base, hl)) {
			strcat(want, " ");
			strcat(want, tok);
		}
	is_str(found(q), want, "keep 1: the question's best hit first, then the expanded "
	       "query's others in their order");
	conf.search_prf_keep = 2;
	is_str(found(q), base, "keep 2: %s's first two are the question's own, the third the "
	       "expanded query's, as without feedback here", q);
	conf.search_prf_keep = 10;
	kb_filter = NULL;
	conf.search_prf_docs = 0;
	conf.search_prf_weight = 1;
}

/* The variants of word, space-separated. */
static const char *variants(const char *word)
{
	static char out[5 * TEXT_TOKEN_MAX];
	char v[TEXT_SPELLING_MAX][TEXT_TOKEN_MAX];
	int n = text_spelling_variants(word, strlen(word), v);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		strcat(out, i ? " " : "");
		strcat(out, v[i]);
	}
	return out;
}

static void test_spelling_variants(void)
{
	is_str(variants("tumour"), "tumor", "tumour: tumor");
	is_str(variants("antitumor"), "antitumour anti-tumor", "antitumor: antitumour, anti-tumor");
	is_str(variants("haematopoietic"), "hematopoietic", "haematopoietic: hematopoietic");
	is_str(variants("hematopoietic"), "haematopoietic", "and back");
	is_str(variants("ischaemia"), "ischemia", "ischaemia: ischemia");
	is_str(variants("leukemia"), "leukaemia", "leukemia: leukaemia");
	is_str(variants("randomised"), "randomized", "randomised: randomized");
	is_str(variants("characterization"), "characterisation", "characterization: characterisation");
	is_str(variants("analysed"), "analyzed", "analysed: analyzed");
	is_str(variants("oestrogen"), "estrogen", "oestrogen: estrogen");
	is_str(variants("metastases"), "", "metastases: none (not metastasis: another meaning)");
	is_str(variants("chemistry"), "", "chemistry: no variant (hem only at the start)");
	is_str(variants("kinase"), "", "kinase: none");
	is_str(variants("κb"), "kappab", "κb: kappab");
	is_str(variants("abeta"), "aβ", "abeta: aβ");
	is_str(variants("upregulated"), "up-regulated", "upregulated: up-regulated");
}

/* A query word finds the chunks that spell it the other way when
 * search_spelling is on, and only then. */
static void test_spelling_search(void)
{
	char want[64];
	conf.search_spelling = 1;
	ok(first("tumor hematopoietic randomized") == SPELLB,
	   "American spellings find the British chunk");
	ok(first("leukaemia tumour analysed") == SPELLA,
	   "British spellings find the American chunk");
	snprintf(want, sizeof want, "%d:0 %d:0", SPELLB, SPELLA);
	is_str(found("tumour growth"), want, "tumour finds both spellings, its own first");
	double m = best_match("tumor hematopoietic randomized"), own = best_match("tumour haematopoietic randomised");
	ok(m > 0 && fabs(m - own) < 1e-9, "the British chunk's match is as for its own spellings (%g, %g)", m, own);
	/* the spellings' shared idf, and the blocks' bounds with it: every
	 * evaluation ranks and scores alike */
	char wand[512];
	const char *sq = "tumor hematopoietic leukaemia growth";
	lexical_set_eval(LEXICAL_EVAL_WAND);
	snprintf(wand, sizeof wand, "%s", scored(sq));
	lexical_set_eval(LEXICAL_EVAL_TAAT);
	is_str(scored(sq), wand, "term at a time scores the spellings as WAND does (%s)", wand);
	lexical_set_eval(LEXICAL_EVAL_MAXSCORE);
	is_str(scored(sq), wand, "and MaxScore");
	lexical_set_eval(LEXICAL_EVAL_RULE);
	ok(first("pro-inflammatory up-regulated") == JOINED, "hyphenated words find them joined");
	ok(first("coexpression") == HYPHEN, "a joined word finds it hyphenated");
	conf.search_spelling = 0;
	ok(first("hematopoietic randomized") == -1, "off: the American words find nothing");
	ok(first("pro-inflammatory up-regulated") == -1 && first("coexpression") == -1,
	   "off: nor the hyphenated and joined words");
	snprintf(want, sizeof want, "%d:0", SPELLB);
	is_str(found("tumour growth"), want, "off: tumour finds its own spelling only");
	conf.search_spelling = 1;
}

/* Title evidence: the document titled by the query's words leads once
 * its title is read again; match stays the body's BM25 share. */
static void test_title_match(void)
{
	kb_filter = "kb3";
	conf.search_title_weight = 0;   /* the title field's postings out of the way */
	conf.search_title_match = 0;
	ok(first("heat shock protein") == BODYM, "title match off: the chunk holding the words leads");
	double m = best_match("heat shock protein");
	conf.search_title_match = 2;
	ok(first("heat shock protein") == TITLEM, "title match 2: the document titled so leads");
	ok(m > 0 && fabs(m - best_match("heat shock protein")) < 1e-9,
	   "match is the same with title match on (%g)", m);
	conf.search_title_match_depth = 0;
	ok(first("heat shock protein") == BODYM, "depth 0: no candidate's title is read");
	conf.search_title_match_hybrid_depth = 100;
	method = SEARCH_HYBRID;
	ok(first("heat shock protein") == TITLEM, "hybrid search reads them to its own depth (100)");
	conf.search_title_match_hybrid_depth = 0;
	ok(first("heat shock protein") == BODYM, "and not at hybrid depth 0 and depth 0");
	method = SEARCH_KEYWORD;
	conf.search_title_match_depth = 100;
	conf.search_title_match = 0;
	conf.search_title_weight = 0.5;
	kb_filter = NULL;
}

int main(void)
{
	qconf_defaults(&conf);
	conf.search_compound_weight = 1;   /* off by default (docs/search.md) */
	conf.search_repeat_weight = 1;
	conf.search_title_weight = 0.5;    /* off by default too */
	unit_tmpdir(dir, "quality");
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	s = unit_store(dir);
	test_compounds();
	test_bigrams();
	test_spelling_variants();
	build();
	test_fields();
	test_compound_search();
	test_repeated();
	test_doc_aware();
	test_match_positions();
	test_feedback();
	test_feedback_keep();
	test_title_match();
	test_spelling_search();
	test_fields_removed();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
