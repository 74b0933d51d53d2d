## examples/local.mk: the form-upload examples (docs/form-upload.md),
## installed with the documentation; plugin-srt is shipped by
## tests/extract/core.mk.
quireformdir = $(docdir)/examples/form-upload
dist_quireform_DATA = examples/form-upload/upload.html examples/form-upload/upload.php \
	examples/form-upload/README.md
