/* embed_openai.h: the "openai" embedding backend: any OpenAI-compatible
 * POST {base_url}/embeddings (OpenAI, Ollama, llama.cpp server, vLLM, TEI)
 * through libcurl's multi interface: a batch is cut into requests of
 * embed_request_batch inputs, embed_concurrency of them in flight, each
 * with a timeout. 429 and 5xx are retriable (honouring Retry-After); other
 * 4xx, a malformed answer or vectors of the wrong dimensions fail the batch
 * with the upstream's message. Inputs longer than embed_max_input
 * characters are cut at a UTF-8 boundary. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EMBED_EMBED_OPENAI_H
#define QUIRE_EMBED_EMBED_OPENAI_H

#include "embed/embedder.h"

/* The openai backend (embed_openai.c); dims 0 = ask the model once. */
struct embed_backend *embed_openai_new(const struct qconf *conf, unsigned dims,
				       struct qerr *err);

#endif
