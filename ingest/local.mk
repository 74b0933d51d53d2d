## ingest/local.mk: (filled by later issues)
