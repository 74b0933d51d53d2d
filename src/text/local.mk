## src/text/local.mk: text analysis shared by indexing, search, chat and the
## builtin embedder: tokens (NFKC_Casefold), stop words, a document's
## language (libexttextcat), stems.
src_libquire_la_SOURCES += \
	src/text/text.c src/text/text_compound.c src/text/text_spelling.c src/text/text_stem.c src/text/text_langid.c src/text/text.h src/text/text_tok.h \
	src/text/text_compound.h src/text/text_spelling.h src/text/text_stem.h src/text/text_langid.h
