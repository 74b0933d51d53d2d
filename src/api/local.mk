## src/api/local.mk: the route families, one file each, and the route table.
src_libquire_la_SOURCES += \
	src/api/api.h src/api/routes.c src/api/util.c src/api/views.c \
	src/api/scope.c src/api/scope.h src/api/idempotency.c src/api/idempotency.h \
	src/api/health.c \
	src/api/chatiq_documents.c src/api/chatiq_embeddings.c src/api/upload.c \
	src/api/dify_documents.c src/api/dify_retrieve.c \
	src/api/docbit_chat.c \
	src/api/chataid_sources.c \
	src/api/oshara_kb.c
