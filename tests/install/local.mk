## tests/install/local.mk: the installed and packaged Quire: licence and
## dist contents, comments that name what exists, man pages, the systemd
## unit and quired -t, the run on defaults, the Debian package (root, CI);
## make installcheck's journey.
INSTALL_TESTS = tests/install/licence.test tests/install/comments.test tests/install/man.test tests/install/settings.test tests/install/configure.test \
	tests/install/systemd.test tests/install/defaults.test tests/install/destdir.test \
	tests/install/deb.test tests/install/portable.test
TESTS += $(INSTALL_TESTS)
EXTRA_DIST += $(INSTALL_TESTS) tests/install/installed.sh \
	tests/install/journey.sh tests/install/settings.py tests/install/comments.py

# make installcheck: the installed quired, quire.fcgi, quire-extract and
# plugins behind lighttpd with the installed example, one journey. The
# installed programs carry their final paths, so a DESTDIR install cannot
# run where it was put: then it skips, saying so.
installcheck-local:
	@if test -n '$(DESTDIR)'; then \
		echo "installcheck: skipped: DESTDIR=$(DESTDIR) (the programs run only from $(prefix))"; \
	else \
		top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		sbindir='$(sbindir)' bindir='$(bindir)' pkglibexecdir='$(pkglibexecdir)' \
		pkglibdir='$(pkglibdir)' libdir='$(libdir)' docdir='$(docdir)' sysconfdir='$(sysconfdir)' \
		mandir='$(mandir)' LIGHTTPD='$(LIGHTTPD)' \
		bash $(abs_top_srcdir)/tests/install/installed.sh; \
	fi
