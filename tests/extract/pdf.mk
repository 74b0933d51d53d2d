## tests/extract/pdf.mk
