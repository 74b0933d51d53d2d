## src/embed/local.mk: embedding: the embed-job step, the builtin model, the
## OpenAI-compatible backend, stored vectors and re-embedding after a model
## change.
src_libquire_la_SOURCES += \
	src/embed/embedder.c src/embed/embedder.h \
	src/embed/embed_builtin.c src/embed/embed_builtin.h \
	src/embed/embed_openai.c src/embed/embed_openai.h src/embed/vectors.c src/embed/vectors.h src/embed/reembed.c src/embed/reembed.h
