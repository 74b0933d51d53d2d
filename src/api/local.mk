## src/api/local.mk: the route families, one file each, and the route table.
src_libquire_la_SOURCES += \
	src/api/api.h src/api/routes.c src/api/util.c src/api/util.h src/api/views.c src/api/views.h \
	src/api/scope.c src/api/scope.h src/api/idempotency.c src/api/idempotency.h \
	src/api/health.c src/api/health.h \
	src/api/metrics.c src/api/metrics.h src/api/openapi.c src/api/openapi.h \
	src/api/chatiq_documents.c src/api/chatiq_documents.h src/api/chatiq_embeddings.c src/api/chatiq_embeddings.h src/api/upload.c src/api/upload.h \
	src/api/dify_documents.c src/api/dify_documents.h src/api/dify_retrieve.c src/api/dify_retrieve.h \
	src/api/docbit_chat.c src/api/docbit_chat.h \
	src/api/chataid_sources.c src/api/chataid_sources.h \
	src/api/oshara_kb.c src/api/oshara_kb.h \
	src/api/upload_tokens.c src/api/upload_tokens.h src/api/form_upload.c src/api/form_upload.h

## docs/openapi.yaml compiled in, for GET /openapi.yaml: one C string.
nodist_src_libquire_la_SOURCES = src/api/openapi_doc.c
BUILT_SOURCES += src/api/openapi_doc.c
CLEANFILES += src/api/openapi_doc.c
src/api/openapi_doc.c: $(top_srcdir)/docs/openapi.yaml
	$(AM_V_GEN)$(MKDIR_P) src/api && { \
	  echo '/* openapi_doc.c: docs/openapi.yaml as a C string; made by src/api/local.mk. */'; \
	  echo '#include "config.h"'; echo '#include "api/api.h"'; echo; \
	  echo 'const char api_openapi_yaml[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/docs/openapi.yaml; \
	  printf '\t"";\n'; } >$@.tmp && mv $@.tmp $@
