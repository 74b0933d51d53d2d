## etc/local.mk: shipped configuration examples, installed as examples
## (a distribution or the admin copies them into place).
quireexamplesdir = $(docdir)/examples
dist_quireexamples_DATA = etc/quire.conf
quirelighttpddir = $(docdir)/examples/lighttpd
dist_quirelighttpd_DATA = etc/lighttpd/quire.conf
quireapachedir = $(docdir)/examples/apache
dist_quireapache_DATA = etc/apache/quire.conf
quirenginxdir = $(docdir)/examples/nginx
dist_quirenginx_DATA = etc/nginx/quire.conf
quiresystemddir = $(docdir)/examples/systemd
dist_quiresystemd_DATA = etc/systemd/quired.service
