## plugins/local.mk: (filled by later issues)
