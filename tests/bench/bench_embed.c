/* bench_embed.c: builtin embedding throughput on ~500-token chunks of
 * varied English text (one core). Prints chunks per second. */
#include "config.h"
#include "embed_builtin.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *words[] = {
	"retrieval", "document", "knowledge", "server", "extraction", "citation", "answer",
	"question", "embedding", "vector", "index", "search", "the", "of", "and", "protein",
	"cells", "expression", "patients", "treatment", "analysis", "significantly", "increased",
	"model", "results", "method", "clinical", "study", "effect", "response", "levels",
	"running", "connected", "organisation", "policies", "vacation", "employees", "benefits"};

int main(int argc, char **argv)
{
	size_t nchunks = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	enum { NTEXT = 64 };
	char *texts[NTEXT];
	size_t lens[NTEXT];
	unsigned seed = 12345;
	for (int t = 0; t < NTEXT; t++) {
		struct qbuf b;
		qbuf_init(&b, 1 << 20);
		for (int w = 0; w < 500; w++) {
			seed = seed * 1103515245u + 12345u;
			qbuf_adds(&b, words[(seed >> 16) % (sizeof words / sizeof *words)]);
			qbuf_adds(&b, (w % 17 == 16) ? ". " : " ");
		}
		texts[t] = b.data;
		lens[t] = b.len;
	}
	struct embed_builtin *e = embed_builtin_new(LANG_EN);
	float v[EMBED_BUILTIN_DIMS];
	int8_t q[EMBED_BUILTIN_DIMS];
	float scale, sink = 0;
	int64_t t0 = q_now_us();
	for (size_t i = 0; i < nchunks; i++) {
		embed_builtin_text(e, texts[i % NTEXT], lens[i % NTEXT], v);
		embed_quantize(v, EMBED_BUILTIN_DIMS, q, &scale);
		sink += scale;
	}
	double secs = (double)(q_now_us() - t0) / 1e6;
	printf("builtin embedding (%s, %d dims): %zu chunks of 500 words in %.3f s = %.0f chunks/s"
	       " (%.0f bytes per chunk)%s\n", EMBED_BUILTIN_MODEL, EMBED_BUILTIN_DIMS, nchunks, secs,
	       nchunks / secs, (double)lens[0], sink < 0 ? "!" : "");
	embed_builtin_free(e);
	return 0;
}
