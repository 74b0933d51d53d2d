## tests/upload/local.mk: uploads through the route families.
TESTS += tests/upload/upload.test tests/upload/password.test tests/upload/deadline.test tests/upload/sources.test tests/upload/ingest.test tests/upload/sweep.test \
	tests/upload/langid.test tests/upload/pool.test tests/upload/tenants.test tests/upload/bounds.test tests/upload/lend.test
EXTRA_DIST += tests/upload/upload.test tests/upload/password.test tests/upload/deadline.test tests/upload/sources.test tests/upload/ingest.test tests/upload/sweep.test \
	tests/upload/langid.test tests/upload/languages.tsv tests/upload/pool.test tests/upload/tenants.test tests/upload/hostile.py tests/upload/tenants.py \
	tests/upload/bounds.test tests/upload/lend.test
