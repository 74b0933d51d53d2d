## man/local.mk: the manual pages, made from man/*.in with the configured
## paths (do_subst in Makefile.am).
man_MANS = man/quired.8 man/quire.fcgi.8 man/quire.cgi.8 man/quire-ingest.8 man/quire-embed.8 man/quire-admin.8 \
	man/quire-extract.1 man/quire.conf.5 man/quire-plugin.3
EXTRA_DIST += man/quired.8.in man/quire.fcgi.8.in man/quire.cgi.8.in man/quire-ingest.8.in man/quire-embed.8.in \
	man/quire-admin.8.in man/quire-extract.1.in man/quire.conf.5.in \
	man/quire-plugin.3.in
CLEANFILES += $(man_MANS)

man/quired.8: $(srcdir)/man/quired.8.in
man/quire.fcgi.8: $(srcdir)/man/quire.fcgi.8.in
man/quire.cgi.8: $(srcdir)/man/quire.cgi.8.in
man/quire-ingest.8: $(srcdir)/man/quire-ingest.8.in
man/quire-embed.8: $(srcdir)/man/quire-embed.8.in
man/quire-admin.8: $(srcdir)/man/quire-admin.8.in
man/quire-extract.1: $(srcdir)/man/quire-extract.1.in
man/quire.conf.5: $(srcdir)/man/quire.conf.5.in
man/quire-plugin.3: $(srcdir)/man/quire-plugin.3.in
$(man_MANS): Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(do_subst) <$(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
