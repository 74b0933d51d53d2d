## tests/api/local.mk

## --- supervisor and kill tests (quired, fault points) -----------------------
SUPERVISOR_TESTS = tests/api/supervisor.test tests/api/kill.test tests/api/regions.test
TESTS += $(SUPERVISOR_TESTS)
EXTRA_DIST += $(SUPERVISOR_TESTS) tests/api/killload.py
## --- end of the supervisor and kill tests ------------------------------------

## --- whole operations: backup/restore, helper back-off ------------
OPS_TESTS = tests/api/backup.test tests/api/backoff.test tests/api/matrix.test tests/api/atomic.test \
	tests/api/compact.test
TESTS += $(OPS_TESTS)
EXTRA_DIST += $(OPS_TESTS) tests/api/backupload.py tests/api/compactload.py tests/api/fcgiraw.py
## --- end of whole operations --------------------------------------------------

## --- documents API: CGI, lighttpd, Apache, the seed JS, key hygiene, etc/ ----
DOCS_API_TESTS = tests/api/cgi.test tests/api/lighttpd.test tests/api/apache.test \
	tests/api/seed-js.test tests/api/canary.test tests/api/etc.test \
	tests/api/nginx.test tests/api/nginx-upload.test tests/api/subpath.test \
	tests/api/metrics.test tests/api/openapi.test tests/api/progress.test
TESTS += $(DOCS_API_TESTS)
EXTRA_DIST += $(DOCS_API_TESTS) tests/api/front.sh tests/lib.sh tests/api/metrics.py \
	tests/openapi_check.py tests/api/pty_run.py \
	tests/api/seed/create.mjs tests/api/seed/get.mjs tests/api/seed/list.mjs \
	tests/api/seed/update.mjs tests/api/seed/delete.mjs
## --- end of the documents API tests ------------------------------------------

## --- retrieval isolation (accounts, orgs, roles) through the CGI binary -----
ISOLATION_TESTS = tests/api/isolation.test tests/api/ivf-train.test
TESTS += $(ISOLATION_TESTS)
EXTRA_DIST += $(ISOLATION_TESTS)
## --- end of retrieval isolation ---------------------------------------------

## --- an older data directory (keyword index version 6) opened by this build --
TESTS += tests/api/upgrade.test
EXTRA_DIST += tests/api/upgrade.test tests/fixtures/upgrade/v6.tar.gz \
	tests/fixtures/upgrade/make.sh

## --- the README's first command (scripts/quickstart.sh) --------------------
TESTS += tests/api/quickstart.test
EXTRA_DIST += tests/api/quickstart.test

## --- repeated failed authentication: 429 per client address -----------------
TESTS += tests/api/authfail.test
EXTRA_DIST += tests/api/authfail.test

## --- concurrent writers and the stored layout --------------------------------
TESTS += tests/api/storage.test
TESTS += tests/api/unicode.test
EXTRA_DIST += tests/api/storage.test tests/api/unicode.test

## --- where the families meet: seams and the journey ------------
JOURNEY_TESTS = tests/api/seams.test tests/api/journey.test tests/api/seed-journey.test
TESTS += $(JOURNEY_TESTS)
EXTRA_DIST += $(JOURNEY_TESTS) tests/api/journey-lib.sh tests/api/journey-files.py \
	tests/api/seed/wait.mjs tests/api/seed/stream-observe.mjs

## --- CGI-only hosts: quire.cgi behind Apache (prefork, mod_cgi) and lighttpd
## (mod_cgi), on demand and serial (docs/shared-hosting.md) ------------------
CGI_HOST_TESTS = tests/api/cgi-apache.test tests/api/cgi-lighttpd.test tests/api/cgi-lock.test
TESTS += $(CGI_HOST_TESTS)
EXTRA_DIST += $(CGI_HOST_TESTS) tests/api/cgi-host.sh tests/api/cgi_mixed.py
## --- end of the CGI-only host tests -------------------------------------------

## --- uploads from plain HTML forms (docs/form-upload.md) ----------------------
## form-browser.test drives the system Chromium with puppeteer-core, kept in
## tests/api/form/ with its lockfile (scripts/deps.sh runs npm ci there).
FORM_TESTS = tests/api/form-token.test tests/api/form-browser.test
TESTS += $(FORM_TESTS)
EXTRA_DIST += $(FORM_TESTS) tests/api/form/browser.mjs tests/api/form/package.json \
	tests/api/form/package-lock.json
## --- end of the form uploads ------------------------------------------------------

## --- search quality (issue 17): learned word vectors, CJK keywords ----------
QUALITY_TESTS = tests/api/wordcontext.test tests/api/wordcontext-stored.test tests/api/cjk.test
TESTS += $(QUALITY_TESTS)
EXTRA_DIST += $(QUALITY_TESTS)
## --- end of the search quality tests -----------------------------------------
