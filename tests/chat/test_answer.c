/* test_answer.c: the builtin answerer and the query-term rules on fixed
 * sources: the composed answer, word-by-word tokens, citations with the
 * heading as section, "nothing found", duplicates, document order, safe
 * lower-casing, a client that goes away, the follow-up rule, the topic,
 * coverage and the confidence thresholds on retrieval evidence; a source
 * identified as another language than the question; statements found by
 * the heading or label line above them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "chat/answer.h"
#include "store/lexical.h"
#include "tap.h"

#include <stdlib.h>
#include <math.h>
#include <string.h>

static struct qconf conf;

struct tokens {
	char all[4096];
	char first[2][32];
	int n, stop_after;
};

static int on_token(void *arg, const char *text, size_t len)
{
	struct tokens *t = arg;
	if (t->n < 2)
		snprintf(t->first[t->n], sizeof t->first[0], "%.*s", (int)len, text);
	t->n++;
	strncat(t->all, text, len < sizeof t->all - strlen(t->all) - 1 ? len : 0);
	return t->stop_after && t->n >= t->stop_after ? -1 : 0;
}

static struct chat_source source(const char *doc, const char *title, const char *section,
				 const char *text)
{
	struct chat_source s;
	memset(&s, 0, sizeof s);
	snprintf(s.doc_id, sizeof s.doc_id, "%s", doc);
	snprintf(s.chunk, sizeof s.chunk, "%s:0", doc);
	s.title = (char *)title;
	s.section = (char *)section;
	s.text = (char *)text;
	s.lang = LANG_EN;
	return s;
}

/* Answer message from src; the answer is left in a (free it). */
static void run(const char *message, const char *carried, struct chat_source *src, size_t n,
		struct tokens *tk, struct chat_answer *a)
{
	static struct chat_terms terms;
	memset(&terms, 0, sizeof terms);
	chat_terms_add(&terms, message, strlen(message), LANG_EN, 1);
	if (carried)
		chat_terms_add(&terms, carried, strlen(carried), LANG_EN, CHAT_CARRIED_WEIGHT);
	struct chat_turn t = {&conf, message, &terms, src, n, NULL, tk ? on_token : NULL, tk};
	struct qerr err;
	chat_answer_init(a);
	if (answerer_builtin.answer(&t, a, &err) != Q_OK)
		bail_out("answer_builtin: %s", err.msg);
}

static const char handbook[] =
	"# Time Off Policies\n\n"
	"Full-time employees receive 15 days of paid vacation per year. Vacation days accrue "
	"monthly and can be carried over to the next year, up to a maximum of 5 days.\n\n"
	"# Requesting Time Off\n\n"
	"To request time off, submit a request in the HR portal at least two weeks in advance.";

static void test_answer(void)
{
	struct chat_source src[2] = {
		source("doc-hb", "Employee Handbook", "", handbook),
		source("doc-ins", "Benefits Guide", "Health", "The company pays 80 percent of health "
		       "insurance premiums. To request a new insurance card, contact the benefits team."),
	};
	struct tokens tk;
	struct chat_answer a;
	memset(&tk, 0, sizeof tk);
	run("What is the vacation policy?", NULL, src, 2, &tk, &a);
	is_str(a.content.data, "According to Employee Handbook: Full-time employees receive 15 days of "
	       "paid vacation per year. Vacation days accrue monthly and can be carried over to the "
	       "next year, up to a maximum of 5 days.", "the answer: the two vacation sentences, in order");
	ok(a.nused == 1 && a.used[0] == 0, "one citation: the handbook");
	is_str(a.section[0], "Time Off Policies", "the section is the heading above the sentences");
	ok(a.excerpt[0] && !strncmp(a.excerpt[0], "Full-time employees receive 15 days", 35),
	   "the excerpt is the cited text");
	ok(strlen(a.excerpt[0]) <= CHAT_EXCERPT_MAX, "the excerpt is at most %d bytes", CHAT_EXCERPT_MAX);
	is_str(tk.first[0], "According", "first token");
	is_str(tk.first[1], " to", "second token carries its space");
	is_str(tk.all, a.content.data, "the tokens make up the answer");
	chat_answer_free(&a);

	run("How do I request it?", "vacation policy", src, 2, NULL, &a);
	ok(a.nused == 1 && a.used[0] == 0 && strstr(a.content.data, "HR portal"),
	   "with the carried topic, only the handbook's request sentence");
	is_str(a.section[0], "Requesting Time Off", "... under its own heading");
	chat_answer_free(&a);
	run("How do I request it?", NULL, src, 2, NULL, &a);
	ok(a.nused == 2, "without it, both documents' request sentences");
	chat_answer_free(&a);
}

static void test_nothing(void)
{
	struct chat_source src[1] = {source("doc-hb", "Employee Handbook", "", handbook)};
	struct chat_answer a;
	run("What is the moon base evacuation procedure?", NULL, src, 1, NULL, &a);
	is_str(a.content.data, "I could not find anything about moon base evacuation procedure in your "
	       "documents.", "nothing relevant: said plainly");
	is_int(a.nused, 0, "no citations");
	chat_answer_free(&a);
	run("What is the moon base policy?", NULL, src, 1, NULL, &a);
	is_int(a.nused, 0, "one of three terms (policy) is not enough");
	chat_answer_free(&a);
	run("vacation", NULL, NULL, 0, NULL, &a);
	is_str(a.content.data, "I could not find anything about vacation in your documents.", "no sources");
	chat_answer_free(&a);
}

static void test_shapes(void)
{
	struct chat_source dup[2] = {
		source("doc-1", "Policy A", "", "Remote work is allowed two days per week."),
		source("doc-2", "Policy B", "", "Remote work is allowed two days per week!"),
	};
	struct chat_answer a;
	run("How many days of remote work?", NULL, dup, 2, NULL, &a);
	is_str(a.content.data, "According to Policy A: Remote work is allowed two days per week.",
	       "a near-duplicate sentence of another document is left out");
	chat_answer_free(&a);

	struct chat_source low[1] = {source("doc-1", "Travel", "",
		"The travel desk books flights. The hotel budget is set by the travel desk.")};
	run("Who books flights?", NULL, low, 1, NULL, &a);
	is_str(a.content.data, "According to Travel, the travel desk books flights.",
	       "a stop word or a word the source writes in lower case is lower-cased after a comma");
	chat_answer_free(&a);

	struct chat_source caps[1] = {source("doc-1", "Leave Rules", "",
		"PTO accrues at 1.25 days per month. Dr. Smith approves PTO requests, e.g. for travel.")};
	run("How does PTO accrue and who approves PTO?", NULL, caps, 1, NULL, &a);
	is_str(a.content.data, "According to Leave Rules: PTO accrues at 1.25 days per month. Dr. Smith "
	       "approves PTO requests, e.g. for travel.",
	       "an acronym keeps its case (colon form); Dr. and e.g. do not end sentences");
	chat_answer_free(&a);

	struct chat_source list[1] = {source("doc-1", "Checklist", "",
		"Onboarding\n- Laptop setup is done by IT on the first day\n- Badge photos are taken at reception")};
	run("Who does laptop setup?", NULL, list, 1, NULL, &a);
	is_str(a.content.data, "According to Checklist: Laptop setup is done by IT on the first day.",
	       "list markers dropped, a full stop added, labels skipped");
	chat_answer_free(&a);

	struct chat_source big[1] = {source("doc-hb", "Employee Handbook", "", handbook)};
	struct tokens tk;
	memset(&tk, 0, sizeof tk);
	tk.stop_after = 3;
	run("What is the vacation policy?", NULL, big, 1, &tk, &a);
	ok(a.gone && tk.n == 3, "a client that goes away stops the tokens");
	chat_answer_free(&a);
}

static void test_terms(void)
{
	char *carried = NULL;
	ok(chat_followup("How do I request it?", "What is the vacation policy?", &carried) &&
	   !strcmp(carried, "vacation policy"), "a short follow-up carries the earlier topic");
	free(carried);
	ok(chat_followup("Does that apply to contractors working remotely from abroad?",
			 "What is the vacation policy?", &carried) && strstr(carried, "vacation"),
	   "a long follow-up that points back (that) carries it too");
	free(carried);
	ok(!chat_followup("Which dental plans cover orthodontics for children under twelve?",
			  "What is the vacation policy?", &carried) && !carried,
	   "a new, full question does not");
	ok(!chat_followup("How do I request it?", NULL, &carried), "no earlier question: nothing carried");
	ok(chat_followup("And vacation?", "What is the vacation policy?", &carried) &&
	   !strcmp(carried, "policy"), "words already asked are not carried twice");
	free(carried);

	char topic[200];
	chat_topic("What is the moon base policy?", topic, sizeof topic);
	is_str(topic, "moon base policy", "topic: the content words as written");
	chat_topic("What is it?", topic, sizeof topic);
	is_str(topic, "What is it", "topic of a question without content words: the question");

	struct qbuf q;
	qbuf_init(&q, 4096);
	chat_search_text("Tell me how many days of paid vacation?", &q);
	is_str(q.data, "  how  days of paid vacation?", "searched: the question without its ask words");
	q.len = 0;
	chat_search_text("Tell me", &q);
	is_str(q.data, "Tell me", "nothing but ask words: searched as asked");
	qbuf_free(&q);

	struct chat_terms t;
	memset(&t, 0, sizeof t);
	chat_terms_add(&t, "vacation policy", 15, LANG_EN, 1);
	chat_terms_add(&t, "carry over", 10, LANG_EN, 0.5);
	ok(t.n == 4 && t.total == 3, "terms: weights add up (%zu terms, %.1f)", t.n, t.total);
	double c = chat_coverage(&t, "Our policies on vacations", 25, LANG_EN);
	ok(c > 0.66 && c < 0.67, "coverage is weighted and stemmed (%.3f)", c);

	/* The thresholds docs/chat.md states, at their boundaries. */
	const double none = -2;   /* no cosine (or not calibrated) */
	is_str(chat_confidence_name(chat_confidence_for(0.4, 0.2)), "High", "match 0.4, cosine 0.2: High");
	is_str(chat_confidence_name(chat_confidence_for(0.399, 0.9)), "Medium", "match 0.399: Medium");
	is_str(chat_confidence_name(chat_confidence_for(0.15, 0.2)), "Medium", "match 0.15: Medium");
	is_str(chat_confidence_name(chat_confidence_for(0.149, 0.9)), "Low", "match 0.149: Low");
	is_str(chat_confidence_name(chat_confidence_for(0.9, 0.199)), "Low",
	       "cosine 0.199: Low, however well the words match");
	is_str(chat_confidence_name(chat_confidence_for(0.9, -1)), "Low", "cosine -1 is a cosine: Low");
	is_str(chat_confidence_name(chat_confidence_for(0.4, none)), "High", "no cosine: match 0.4 High");
	is_str(chat_confidence_name(chat_confidence_for(0.15, none)), "Medium", "no cosine: match 0.15 Medium");
	is_str(chat_confidence_name(chat_confidence_for(0.1, none)), "Low", "no cosine: match 0.1 Low");
	is_str(chat_confidence_name(chat_confidence_for(0, 1)), "Low", "no word matched: Low");

	/* match at the mean length: a word once in a chunk of norm K scores
	 * idf (k1 + 1) / (1 + k1 K); taken back to K = 1 it is idf. */
	double k1 = BM25_K1, once = 1 / (1 + k1);   /* one of one word, mean length */
	ok(fabs(chat_match_typical(once, 1) - once) < 1e-12, "mean length: match unchanged");
	double at2 = (k1 + 1) / (1 + k1 * 2) / (k1 + 1);   /* the same word, norm 2 */
	ok(fabs(chat_match_typical(at2, 2) - once) < 1e-12, "twice the norm: back to the mean-length match (%.3f)",
	   chat_match_typical(at2, 2));
	ok(chat_match_typical(0.3, 0.5) < 0.3, "a short chunk's match is taken down");
	ok(chat_match_typical(0.9, 4) == 1, "capped at 1");
	ok(chat_match_typical(none, 3) == none, "no keyword evidence stays none");
}

/* A bank statement read by OCR, taken to be German by language
 * identification (as libexttextcat took this one): the English question's
 * words must still be found in it. */
static void test_other_lang(void)
{
	struct chat_source src[1] = {source("doc-bill", "bill.png", "",
		"FIRST CHEQUING Line of Credit 100,000.00 Rate 4.2000\n\n"
		"Date Description Number Debits Credits Balance\n\n"
		"01Aug2018 Clearing Cheque 4987 36.07 99,914.15")};
	src[0].lang = LANG_DE;
	struct chat_answer a;
	run("What is the line of credit rate?", NULL, src, 1, NULL, &a);
	is_str(a.content.data, "According to bill.png: FIRST CHEQUING Line of Credit 100,000.00 "
	       "Rate 4.2000.", "a German-identified source answers an English question");
	is_int(a.nused, 1, "and is cited");
	chat_answer_free(&a);
	static struct chat_terms t;
	memset(&t, 0, sizeof t);
	chat_terms_add(&t, "line credit rate", 16, LANG_EN, 1);
	const char *line = "Line of Credit 100,000.00 Rate 4.2000";
	ok(fabs(chat_coverage(&t, line, strlen(line), LANG_DE) - 1) < 1e-9,
	   "coverage reads the text in the question's language too");
	t.lang = LANG_DE;
	ok(chat_coverage(&t, line, strlen(line), LANG_DE) < 0.5,
	   "(read in German alone, line and rate are lost: the test can fail)");
}

/* Statements found by their heading when they do not repeat its words. */
static void test_under(void)
{
	struct chat_source src[2] = {
		source("doc-rules", "rules.png", "",
		       "RULES AND INSTRUCTIONS\n\n"
		       "1. Template for day 1 in Korean, for day 2 in English. 2. Use all your "
		       "accounts.\n\nNote: always include the tag.\n\nCONTACT\n\n"
		       "Mail the organisers at the desk."),
		source("doc-hb", "Employee Handbook", "", "# Vacation\n\nYou get 15 days a year, "
		       "booked in the HR portal.\n\n# Sick leave\n\nCall your manager before 9 am."),
	};
	struct chat_answer a;
	run("What are the rules and instructions?", NULL, src, 2, NULL, &a);
	is_str(a.content.data, "According to rules.png, under \"RULES AND INSTRUCTIONS\": Template "
	       "for day 1 in Korean, for day 2 in English. 2. Use all your accounts. Note: always "
	       "include the tag.", "a label line's statements, up to the next label");
	is_int(a.nused, 1, "one citation");
	chat_answer_free(&a);
	run("Tell me about vacation", NULL, src, 2, NULL, &a);
	is_str(a.content.data, "According to Employee Handbook, under \"Vacation\": You get 15 days a "
	       "year, booked in the HR portal.", "a markdown heading's statements");
	is_str(a.section[0], "Vacation", "cited with the heading as section");
	chat_answer_free(&a);
	run("Who do I call for sick leave?", NULL, src, 2, NULL, &a);
	is_str(a.content.data, "According to Employee Handbook: Call your manager before 9 am.",
	       "a sentence with a word of the question still wins over the heading");
	chat_answer_free(&a);
	struct chat_source gap[1] = {source("doc-g", "notice", "", "NOTICE BOARD\n\nSo it is.\n\n"
					    "The office closes at 5 pm on Fridays.")};
	run("What is on the notice board?", NULL, gap, 1, NULL, &a);
	is_str(a.content.data, "According to notice, under \"NOTICE BOARD\": The office closes at 5 pm "
	       "on Fridays.", "a heading whose first line is no statement still gives the next one");
	chat_answer_free(&a);
	struct chat_source bare[1] = {source("doc-l", "labels", "", "OPENING HOURS\n\nMonday\n\n9-17")};
	run("What are the opening hours?", NULL, bare, 1, NULL, &a);
	is_int(a.nused, 0, "a heading over labels only gives nothing to quote");
	chat_answer_free(&a);
}

int main(void)
{
	qconf_defaults(&conf);
	test_answer();
	test_nothing();
	test_shapes();
	test_terms();
	test_other_lang();
	test_under();
	return done_testing();
}
