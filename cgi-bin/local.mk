## cgi-bin/local.mk: (filled by later issues)
