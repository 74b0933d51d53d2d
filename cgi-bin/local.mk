## cgi-bin/local.mk: quire.cgi, the CGI relay for hosts without FastCGI
## (docs/shared-hosting.md), installed beside quire.fcgi, and what a
## shared-hosting user copies into their cgi-bin (the .htaccess).
pkglibexec_PROGRAMS += cgi-bin/quire.cgi
cgi_bin_quire_cgi_SOURCES = cgi-bin/quire_cgi.c cgi-bin/fcgi_client.c cgi-bin/fcgi_client.h
cgi_bin_quire_cgi_LDADD = $(QUIRE_LIBS)
cgi_bin_quire_cgi_CPPFLAGS = $(AM_CPPFLAGS) -DQUIRE_SBINDIR='"$(sbindir)"'
quirecgidir = $(docdir)/examples/cgi-bin
dist_quirecgi_DATA = cgi-bin/.htaccess
dist_doc_DATA += docs/shared-hosting.md
