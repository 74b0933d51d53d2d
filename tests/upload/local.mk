## tests/upload/local.mk: uploads through the route families.
TESTS += tests/upload/upload.test
EXTRA_DIST += tests/upload/upload.test
