## tests/api/local.mk

## --- supervisor and kill tests (quired, fault points) -----------------------
SUPERVISOR_TESTS = tests/api/supervisor.test tests/api/kill.test
TESTS += $(SUPERVISOR_TESTS)
EXTRA_DIST += $(SUPERVISOR_TESTS) tests/api/killload.py
## --- end of the supervisor and kill tests ------------------------------------

## --- documents API through CGI, front servers, Node, key hygiene -------------
DOCS_API_TESTS = tests/api/docs-cgi.test tests/api/front.test tests/api/seed-docs.test \
	tests/api/keylog.test
TESTS += $(DOCS_API_TESTS)
EXTRA_DIST += $(DOCS_API_TESTS) tests/api/seed/documents.mjs tests/lib.sh
