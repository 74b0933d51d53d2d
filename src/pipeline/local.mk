## src/pipeline/local.mk: ingestion: the ingest job (extract, clean, split,
## index, queue embeds), running quire-extract, and the chunker.
src_libquire_la_SOURCES += \
	src/pipeline/ingest.c src/pipeline/ingest.h \
	src/pipeline/extract.c src/pipeline/extract.h \
	src/pipeline/split.c src/pipeline/split.h src/pipeline/chunk_impl.h \
	src/pipeline/chunk_rule.c src/pipeline/chunk_rule.h src/pipeline/chunk_text.c src/pipeline/chunk_text.h src/pipeline/chunk_pack.c src/pipeline/chunk_pack.h \
	extract/sniff.c extract/sniff.h
