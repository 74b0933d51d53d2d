## tests/fuzz/local.mk: fuzz targets and their regression corpora. make check
## replays every corpus file through the target built with the normal
## compiler; the libFuzzer build itself needs clang (configure: HAVE_LIBFUZZER)
## and runs with "make fuzz-multipart FUZZ_TIME=seconds".
## Targets: multipart, json (request bodies, process rules, extraction
## output), conf (quire.conf), and one per plugin (rtf, html, text, ooxml,
## legacy, pdf, ocr; the last four when their plugin is built) through
## the plugin ABI; replay_plugin replays every built plugin (plugins.test).
## "make fuzz-short" runs each libFuzzer target FUZZ_SHORT_TIME seconds
## (default 5; CI), "make fuzz" each FUZZ_TIME seconds (default 60).
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/multipart.dict tests/fuzz/corpus \
	tests/fuzz/plugins.test tests/fuzz/json.dict tests/fuzz/run.sh \
	tests/fuzz/ooxml.dict tests/fuzz/pdf.dict tests/fuzz/lsan.supp

check_PROGRAMS += tests/fuzz/replay_json tests/fuzz/replay_conf tests/fuzz/replay_plugin
TESTS += tests/fuzz/replay_json tests/fuzz/replay_conf tests/fuzz/plugins.test
tests_fuzz_replay_json_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_json.c
tests_fuzz_replay_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/json"'
tests_fuzz_replay_json_LDADD = src/libquire.la
tests_fuzz_replay_conf_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_conf.c
tests_fuzz_replay_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/conf"'
tests_fuzz_replay_conf_LDADD = src/libquire.la
tests_fuzz_replay_plugin_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_plugin.c
tests_fuzz_replay_plugin_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/include \
	-DFUZZ_REPLAY -DFUZZ_CORPUS='"tests/fuzz/corpus/rtf"'
tests_fuzz_replay_plugin_LDADD = src/libquire.la -ldl

check_PROGRAMS += tests/fuzz/replay_multipart
TESTS += tests/fuzz/replay_multipart
tests_fuzz_replay_multipart_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_common.c tests/fuzz/fuzz_multipart.c
tests_fuzz_replay_multipart_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -DFUZZ_REPLAY
tests_fuzz_replay_multipart_LDADD = src/libquire.la

if HAVE_LIBFUZZER
# Built by make check (so the targets keep compiling), never installed.
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_INC = -I$(top_builddir) -I$(top_srcdir)/src -I$(top_srcdir)/tests/fuzz -I$(top_srcdir)/include
FUZZ_MULTIPART_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_multipart.c src/http/multipart.c src/base/util.c src/base/status.c
FUZZ_CONF_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_conf.c src/base/conf.c src/base/util.c src/base/status.c src/base/log.c
# The splitter instrumented; what else it calls comes from the static libquire.
FUZZ_JSON_SRC = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_json.c src/pipeline/split.c src/pipeline/chunk_pack.c \
	src/pipeline/chunk_rule.c src/pipeline/chunk_text.c
FUZZ_TEXTLIB_SRC = tests/fuzz/fuzz_common.c plugins/common/sbuf.c plugins/common/pbuf.c plugins/common/conv.c \
	plugins/common/input.c plugins/common/emit.c
FUZZ_RTF_SRC = tests/fuzz/fuzz_plugin.c plugins/rtf/rtf.c plugins/rtf/rtf_parse.c \
	plugins/rtf/rtf_words.c plugins/rtf/rtf_out.c plugins/rtf/rtf_list.c \
	plugins/common/listnum.c $(FUZZ_TEXTLIB_SRC)
FUZZ_HTML_SRC = tests/fuzz/fuzz_plugin.c plugins/html/html.c plugins/html/charset.c \
	plugins/html/walk.c plugins/common/detect.c $(FUZZ_TEXTLIB_SRC)
FUZZ_TEXT_SRC = tests/fuzz/fuzz_plugin.c plugins/text/text.c plugins/text/plain.c \
	plugins/text/markdown.c plugins/text/mdinline.c plugins/text/csv.c plugins/common/detect.c \
	$(FUZZ_TEXTLIB_SRC)
# The OOXML, legacy, PDF and OCR plugins: their own sources instrumented,
# the format libraries (libzip, libxml2, libgsf, poppler, Tesseract) as
# installed; each target is built when its plugin is.
FUZZ_OLE_SRC = plugins/common/pbuf.c plugins/common/numfmt.c plugins/common/listnum.c \
	plugins/common/biff.c plugins/common/ole.c
FUZZ_OOXML_SRC = tests/fuzz/fuzz_plugin.c tests/fuzz/fuzz_common.c plugins/ooxml/ooxml.c \
	plugins/ooxml/zipguard.c plugins/ooxml/xml.c plugins/ooxml/rels.c plugins/ooxml/walk.c \
	plugins/ooxml/docx.c plugins/ooxml/pptx.c plugins/ooxml/xlsx.c plugins/ooxml/decrypt.c \
	plugins/ooxml/ole.c plugins/ooxml/odt.c plugins/ooxml/numbering.c plugins/ooxml/odtlist.c \
	plugins/ooxml/objects.c plugins/ooxml/embed.c plugins/ooxml/altchunk.c \
	plugins/ooxml/xlsb.c plugins/ooxml/flat.c $(FUZZ_OLE_SRC)
FUZZ_LEGACY_SRC = tests/fuzz/fuzz_plugin.c tests/fuzz/fuzz_common.c plugins/legacy/legacy.c \
	plugins/legacy/out.c plugins/legacy/meta.c plugins/legacy/xls.c plugins/legacy/ppt.c \
	plugins/legacy/embed.c plugins/legacy/doc.c plugins/legacy/docpap.c plugins/legacy/doclist.c plugins/legacy/doccp.c \
	plugins/legacy/docrypt.c plugins/legacy/rc4.c plugins/legacy/crypt.c plugins/legacy/xlscrypt.c \
	plugins/legacy/pptcrypt.c plugins/legacy/metro.c plugins/legacy/wp42.c $(FUZZ_OLE_SRC)
FUZZ_OCR_SRC = tests/fuzz/fuzz_plugin.c tests/fuzz/fuzz_common.c plugins/ocr/ocr.c \
	plugins/ocr/engine.c plugins/ocr/image.c plugins/ocr/bmp.c plugins/ocr/text.c
# The PDF plugin's C parts, then its poppler binding (configure
# --with-poppler-api; C++ for core and cpp), linked by clang++.
FUZZ_PDF_SRC = tests/fuzz/fuzz_plugin.c tests/fuzz/fuzz_common.c plugins/pdf/pdf.c plugins/pdf/pdf_text.c
if PDF_POPPLER_CORE
FUZZ_PDF_CXX = plugins/pdf/pdf_doc.cc
else
FUZZ_PDF_SRC += plugins/pdf/pdf_gcommon.c
if PDF_POPPLER_CPP
FUZZ_PDF_CXX = plugins/pdf/pdf_cpp.cc
else
FUZZ_PDF_SRC += plugins/pdf/pdf_glib.c
FUZZ_PDF_CXX =
endif
endif
FUZZ_TARGETS = tests/fuzz/fuzz_multipart tests/fuzz/fuzz_json tests/fuzz/fuzz_conf \
	tests/fuzz/fuzz_rtf tests/fuzz/fuzz_html tests/fuzz/fuzz_text
FUZZ_NAMES = multipart json conf rtf html text
if BUILD_PLUGIN_OOXML
FUZZ_TARGETS += tests/fuzz/fuzz_ooxml
FUZZ_NAMES += ooxml
endif
if BUILD_PLUGIN_LEGACY
FUZZ_TARGETS += tests/fuzz/fuzz_legacy
FUZZ_NAMES += legacy
endif
if BUILD_PLUGIN_PDF
if HAVE_FUZZ_CXX
FUZZ_TARGETS += tests/fuzz/fuzz_pdf
FUZZ_NAMES += pdf
endif
endif
if BUILD_PLUGIN_OCR
FUZZ_TARGETS += tests/fuzz/fuzz_ocr
FUZZ_NAMES += ocr
endif
check_SCRIPTS = $(FUZZ_TARGETS)
CLEANFILES += $(FUZZ_TARGETS)

# Sources named from the source tree (VPATH builds); FUZZ_LINK compiles and
# links one target, each rule adding its sources, flags and libraries.
FUZZ_SRCS = for f in $$srcs; do printf "%s " "$(top_srcdir)/$$f"; done
FUZZ_LINK = $(MKDIR_P) tests/fuzz && $(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_INC) -o $@
tests/fuzz/fuzz_multipart: $(FUZZ_MULTIPART_SRC) src/http/multipart.h src/base/util.h tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_MULTIPART_SRC)"; $(FUZZ_SRCS)) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_conf: $(FUZZ_CONF_SRC) src/base/conf.h tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_CONF_SRC)"; $(FUZZ_SRCS)) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_json: $(FUZZ_JSON_SRC) src/pipeline/split.h tests/fuzz/fuzz.h src/libquire.la
	$(AM_V_CCLD)$(FUZZ_LINK) $$(srcs="$(FUZZ_JSON_SRC)"; $(FUZZ_SRCS)) \
		src/.libs/libquire.a $(src_libquire_la_LIBADD)
tests/fuzz/fuzz_rtf: $(FUZZ_RTF_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(RTF_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_RTF_SRC)"; $(FUZZ_SRCS)) $(RTF_LIBS) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_html: $(FUZZ_HTML_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(HTML_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_HTML_SRC)"; $(FUZZ_SRCS)) $(HTML_LIBS) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_text: $(FUZZ_TEXT_SRC) tests/fuzz/fuzz.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(TEXT_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_TEXT_SRC)"; $(FUZZ_SRCS)) $(TEXT_LIBS) $(UTF8PROC_LIBS)
tests/fuzz/fuzz_ooxml: $(FUZZ_OOXML_SRC) tests/fuzz/fuzz.h plugins/ooxml/ooxml.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(OOXML_CFLAGS) $(CRYPTO_CFLAGS) $(GSF_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_OOXML_SRC)"; $(FUZZ_SRCS)) $(OOXML_LIBS) $(CRYPTO_LIBS) $(GSF_LIBS) \
		$(UTF8PROC_LIBS) -lm
tests/fuzz/fuzz_legacy: $(FUZZ_LEGACY_SRC) tests/fuzz/fuzz.h plugins/legacy/legacy.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(LEGACY_CFLAGS) $(CRYPTO_CFLAGS) $(GSF_CFLAGS) -DFUZZ_PLUGIN_STATIC \
		$$(srcs="$(FUZZ_LEGACY_SRC)"; $(FUZZ_SRCS)) $(LEGACY_LIBS) $(CRYPTO_LIBS) $(GSF_LIBS) \
		$(UTF8PROC_LIBS) -lm
# Small images and a 2 s page timeout: Tesseract runs many times in 5 s.
tests/fuzz/fuzz_ocr: $(FUZZ_OCR_SRC) tests/fuzz/fuzz.h plugins/ocr/ocr.h
	$(AM_V_CCLD)$(FUZZ_LINK) $(OCR_CFLAGS) -DFUZZ_PLUGIN_STATIC -DFUZZ_MAX_PIXELS=250000ULL \
		-DFUZZ_OCR_SECS=2 $$(srcs="$(FUZZ_OCR_SRC)"; $(FUZZ_SRCS)) $(OCR_LIBS)
# The binding compiled alone (C++17, as g++ builds it; clang 14 defaults to
# C++14), the C parts with -x c, one clang++ link.
tests/fuzz/fuzz_pdf: $(FUZZ_PDF_SRC) $(FUZZ_PDF_CXX) tests/fuzz/fuzz.h plugins/pdf/pdf_doc.h
	@$(MKDIR_P) tests/fuzz; rm -f tests/fuzz/fuzz_pdf-binding.o
	$(AM_V_CCLD)set -e; if test -n "$(FUZZ_PDF_CXX)"; then \
		$(FUZZ_CXX) -std=gnu++17 $(FUZZ_FLAGS) $(FUZZ_INC) $(PDF_CFLAGS) -c -o tests/fuzz/fuzz_pdf-binding.o \
			$(top_srcdir)/$(FUZZ_PDF_CXX); fi; \
	$(FUZZ_CXX) $(FUZZ_FLAGS) $(FUZZ_INC) $(PDF_CFLAGS) -DFUZZ_PLUGIN_STATIC -o $@ \
		-x c $$(srcs="$(FUZZ_PDF_SRC)"; $(FUZZ_SRCS)) -x none \
		$$(test -n "$(FUZZ_PDF_CXX)" && echo tests/fuzz/fuzz_pdf-binding.o) $(PDF_LIBS) -lm; \
	rm -f tests/fuzz/fuzz_pdf-binding.o

# New inputs go to tests/fuzz/found-NAME, crashes to tests/fuzz/crash-*
# (tests/fuzz/run.sh names the seeds and dictionaries of each target).
FUZZ_TIME = 60
FUZZ_SHORT_TIME = 5
fuzz-multipart: tests/fuzz/fuzz_multipart
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) multipart $(FUZZ_TIME)
fuzz-short: $(FUZZ_TARGETS)
	@set -e; for n in $(FUZZ_NAMES); do \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) $$n $(FUZZ_SHORT_TIME); \
	done
fuzz: $(FUZZ_TARGETS)
	@set -e; for n in $(FUZZ_NAMES); do \
		$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(top_srcdir) $$n $(FUZZ_TIME); \
	done
else
fuzz-multipart fuzz-short fuzz:
	@echo "$@ needs clang with -fsanitize=fuzzer (configure FUZZ_CC=...)"; exit 1
endif
.PHONY: fuzz-multipart fuzz-short fuzz
