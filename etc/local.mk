## etc/local.mk: shipped configuration examples, installed as examples
## (a distribution or the admin copies them into place).
quireexamplesdir = $(docdir)/examples
dist_quireexamples_DATA = etc/quire.conf
quirelighttpddir = $(docdir)/examples/lighttpd
dist_quirelighttpd_DATA = etc/lighttpd/quire.conf etc/lighttpd/quire-subpath.conf
quireapachedir = $(docdir)/examples/apache
dist_quireapache_DATA = etc/apache/quire.conf etc/apache/quire-subpath.conf
quirenginxdir = $(docdir)/examples/nginx

quiresystemddir = $(docdir)/examples/systemd
dist_quiresystemd_DATA = etc/systemd/quired.service

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
