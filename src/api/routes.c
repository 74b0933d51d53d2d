/* routes.c: the route table. Paths are relative to the mount point. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/upload_tokens.h"
#include "api/upload.h"
#include "api/oshara_kb.h"
#include "api/openapi.h"
#include "api/metrics.h"
#include "api/health.h"
#include "api/form_upload.h"
#include "api/docbit_chat.h"
#include "api/dify_retrieve.h"
#include "api/dify_documents.h"
#include "api/chatiq_embeddings.h"
#include "api/chatiq_documents.h"
#include "api/chataid_sources.h"

#include <stddef.h>

const struct route quire_routes[] = {
	{"GET", "/health", api_health, FAM_NATIVE, 0},
	/* access decided by the handler: an admin key or metrics_allow */
	{"GET", "/metrics", api_metrics, FAM_NATIVE, 0},
	{"GET", "/openapi.yaml", api_openapi, FAM_NATIVE, 0},
	{"GET", "/api/v1/documents", api_documents_list, FAM_NATIVE, SCOPE_READ},
	{"POST", "/api/v1/documents", api_documents_create, FAM_NATIVE, SCOPE_WRITE},
	{"GET", "/api/v1/documents/:id", api_documents_get, FAM_NATIVE, SCOPE_READ},
	{"PUT", "/api/v1/documents/:id", api_documents_update, FAM_NATIVE, SCOPE_WRITE},
	{"DELETE", "/api/v1/documents/:id", api_documents_delete, FAM_NATIVE, SCOPE_WRITE},
	{"GET", "/api/v1/documents/:id/file", api_documents_file, FAM_NATIVE,
	 SCOPE_READ | SCOPE_SIGNED},
	{"GET", "/api/v1/documents/:id/embeddings/status", api_embeddings_status, FAM_NATIVE,
	 SCOPE_READ},
	{"GET", "/api/v1/embeddings/jobs", api_embeddings_jobs, FAM_NATIVE, SCOPE_READ},
	/* plain HTML forms (docs/form-upload.md): the token, not a key */
	{"POST", "/api/v1/upload-tokens", api_upload_tokens_create, FAM_NATIVE, SCOPE_WRITE},
	{"POST", "/forms/upload", api_form_upload, FAM_FORM, 0},
	{"GET", "/forms/status", api_form_status, FAM_FORM, 0},
	{"POST", "/api/v1/embeddings/jobs/:id/retry", api_embeddings_retry, FAM_NATIVE, SCOPE_WRITE},
	{"GET", "/external/sources/custom", api_sources_list, FAM_CUSTOM, SCOPE_READ},
	{"POST", "/external/sources/custom", api_sources_upload, FAM_CUSTOM, SCOPE_WRITE},
	{"DELETE", "/external/sources/custom", api_sources_delete_many, FAM_CUSTOM, SCOPE_WRITE},
	{"GET", "/external/sources/custom/:id", api_sources_get, FAM_CUSTOM, SCOPE_READ},
	{"DELETE", "/external/sources/custom/:id", api_sources_delete, FAM_CUSTOM, SCOPE_WRITE},
	{"GET", "/api/knowledge-base/:slug/documents", api_kb_documents_list, FAM_SLUG, SCOPE_READ},
	{"POST", "/api/knowledge-base/:slug/documents", api_kb_documents_upload, FAM_SLUG,
	 SCOPE_WRITE},
	{"GET", "/v1/datasets/:dataset_id/documents/:document_id", api_dify_document_get, FAM_DIFY,
	 SCOPE_READ},
	{"POST", "/v1/datasets/:dataset_id/retrieve", api_dify_retrieve, FAM_DIFY, SCOPE_READ},
	/* chat (DocBit) */
	{"POST", "/api/ai/chat", api_chat, FAM_CHAT, SCOPE_CHAT},
	{"POST", "/api/ai/chat/stream", api_chat_stream, FAM_CHAT_STREAM, SCOPE_CHAT},
	{NULL, NULL, NULL, FAM_NATIVE, 0},
};
