## etc/local.mk: shipped configuration examples, installed as examples
## (a distribution or the admin copies them into place), the sample
## quire.conf put in place when none is there, and the systemd unit made
## from the configured paths.
quireexamplesdir = $(docdir)/examples
dist_quireexamples_DATA = etc/quire.conf
quirelighttpddir = $(docdir)/examples/lighttpd
dist_quirelighttpd_DATA = etc/lighttpd/quire.conf etc/lighttpd/quire-subpath.conf \
	etc/lighttpd/quire-cgi.conf
quirecrondir = $(docdir)/examples/cron
dist_quirecron_DATA = etc/cron/quire.cron
quireapachedir = $(docdir)/examples/apache
dist_quireapache_DATA = etc/apache/quire.conf etc/apache/quire-subpath.conf
quirenginxdir = $(docdir)/examples/nginx

quiresystemddir = $(docdir)/examples/systemd
quiresystemd_DATA = etc/systemd/quired.service
EXTRA_DIST += etc/systemd/quired.service.in
CLEANFILES += etc/systemd/quired.service

# The unit names the data and socket directories: systemd makes them
# (StateDirectory=, RuntimeDirectory=) when they sit under /var/lib and
# /run, and the unit lets quired write them (ReadWritePaths=) elsewhere.
etc/systemd/quired.service: $(srcdir)/etc/systemd/quired.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/systemd && \
	data='$(quire_datadir)'; run=`dirname '$(quire_socket)'`; \
	case $$data in /var/lib/?*) dirs="StateDirectory=$${data#/var/lib/}"; \
		dirs="$$dirs\nStateDirectoryMode=0700";; \
		*) dirs="ReadWritePaths=$$data";; esac; \
	case $$run in /run/?*) dirs="$$dirs\nRuntimeDirectory=$${run#/run/}"; \
		dirs="$$dirs\nRuntimeDirectoryMode=0750";; \
		*) dirs="$$dirs\nReadWritePaths=$$run";; esac; \
	$(do_subst) -e "s|@quire_unit_dirs[@]|$$dirs|" \
		<$(srcdir)/etc/systemd/quired.service.in >$@.tmp && mv $@.tmp $@

# make install: the sample configuration becomes SYSCONFDIR/quire/quire.conf
# unless one is there (an admin's file is never overwritten), and the data
# directory is made; the socket's directory is made by quired (under /run
# it is systemd's, see the unit).
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/quire' '$(DESTDIR)$(quire_datadir)'
	@if test -f '$(DESTDIR)$(sysconfdir)/quire/quire.conf'; then \
		echo "keeping $(DESTDIR)$(sysconfdir)/quire/quire.conf (the new sample is in $(docdir)/examples)"; \
	else \
		echo " $(INSTALL_DATA) $(srcdir)/etc/quire.conf '$(DESTDIR)$(sysconfdir)/quire/quire.conf'"; \
		$(INSTALL_DATA) $(srcdir)/etc/quire.conf '$(DESTDIR)$(sysconfdir)/quire/quire.conf'; \
	fi

# make uninstall leaves quire.conf only when the admin changed it, and the
# data directory always (it holds their documents).
uninstall-local:
	@if cmp -s $(srcdir)/etc/quire.conf '$(DESTDIR)$(sysconfdir)/quire/quire.conf'; then \
		echo " rm -f '$(DESTDIR)$(sysconfdir)/quire/quire.conf'"; \
		rm -f '$(DESTDIR)$(sysconfdir)/quire/quire.conf'; \
		rmdir '$(DESTDIR)$(sysconfdir)/quire' 2>/dev/null || :; \
	fi

## The nginx snippet carries configure's socket and upload_max; generated
## here (not by config.status) so that make expands ${runstatedir}.
nodist_quirenginx_DATA = etc/nginx/quire.conf
EXTRA_DIST += etc/nginx/quire.conf.in
CLEANFILES += etc/nginx/quire.conf
etc/nginx/quire.conf: $(top_srcdir)/etc/nginx/quire.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc/nginx && \
	sed -e 's|@quire_socket[@]|$(quire_socket)|g' \
	    -e 's|@quire_upload_max[@]|$(quire_upload_max)|g' \
	    $(top_srcdir)/etc/nginx/quire.conf.in >$@.tmp && mv $@.tmp $@
