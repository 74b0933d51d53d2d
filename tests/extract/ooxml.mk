## tests/extract/ooxml.mk: the OOXML plugin through quire-extract.
TESTS += tests/extract/ooxml.test tests/extract/ooxml-producers.test
EXTRA_DIST += tests/extract/ooxml.test tests/fixtures/ooxml/gen.py tests/fixtures/ooxml/caps.py \
	tests/extract/ooxml-producers.test tests/fixtures/ooxml/producers.py tests/fixtures/ooxml/difflo.py \
	tests/fixtures/ooxml/diff-lo.sh \
	tests/fixtures/ooxml/testWORD_various.docx tests/fixtures/ooxml/testPPT_various.pptx \
	tests/fixtures/ooxml/testEXCEL.xlsx tests/fixtures/ooxml/testEXCEL_protected_passtika.xlsx
## Passwords given to quire-extract (OOXML Standard and Agile Encryption;
## Word, Excel and PowerPoint 97-2003 RC4, RC4 CryptoAPI, XOR; PDF R6).
TESTS += tests/extract/password.test
EXTRA_DIST += tests/extract/password.test tests/fixtures/ooxml/encrypt.py \
	tests/fixtures/legacy/crypt.py tests/fixtures/pdf/testUnicodePassword.pdf \
	tests/fixtures/pdf/testPassword4Spaces.pdf
## The differential harness (make extract-diff): LibreOffice-made packages,
## rewritten as other producers write them, against this build's words;
## skipped without soffice. Output in extract-diff/.
extract-diff: all
	sh $(top_srcdir)/tests/fixtures/ooxml/diff-lo.sh '$(abs_top_srcdir)' '$(abs_top_builddir)'
.PHONY: extract-diff
