/* routes.c: the route table. Paths are relative to the mount point. */
#include "config.h"
#include "api.h"

#include <stddef.h>

const struct route quire_routes[] = {
	{"GET", "/health", api_health, FAM_NATIVE, 0},
	{"GET", "/api/v1/documents", api_documents_list, FAM_NATIVE, SCOPE_READ},
	{"POST", "/api/v1/documents", api_documents_create, FAM_NATIVE, SCOPE_WRITE},
	{"GET", "/api/v1/documents/:id", api_documents_get, FAM_NATIVE, SCOPE_READ},
	{"PUT", "/api/v1/documents/:id", api_documents_update, FAM_NATIVE, SCOPE_WRITE},
	{"DELETE", "/api/v1/documents/:id", api_documents_delete, FAM_NATIVE, SCOPE_WRITE},
	{NULL, NULL, NULL, FAM_NATIVE, 0},
};
