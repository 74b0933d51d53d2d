/* pdf_text.h: turning a page's text into paragraphs for the sink. */
#ifndef QUIRE_PDF_TEXT_H
#define QUIRE_PDF_TEXT_H

#include <stddef.h>
#include <quire/plugin.h>

/* Split text (len bytes, borrowed) into paragraphs at blank lines and at
 * form feeds; the lines of one paragraph are joined with one space and
 * runs of spaces and tabs are kept as they are. Each non-blank paragraph
 * goes to the sink. *wrote is set to 1 when at least one paragraph was
 * written. Returns QUIRE_OK, QUIRE_TOO_LARGE when the sink asked to stop
 * or QUIRE_ERROR when memory ran out. */
enum quire_result pdf_emit_paragraphs(const struct quire_host *host, const char *text, size_t len,
				      int *wrote);

/* Poppler's page text has no blank lines: rebuild them from geometry.
 * tops/bottoms give each line's vertical extent (nlines entries, lines
 * being the '\n'-separated runs of text); a gap between two lines larger
 * than 0.7 of the first one's height, or a line that starts above the
 * previous one (a new column), becomes a blank line. gaps (len bytes, may
 * be NULL) marks with 1 the bytes before which a space goes. New string,
 * caller frees with free(); NULL when memory ran out. */
char *pdf_mark_paragraphs(const char *text, size_t len, const char *gaps, const double *tops,
			  const double *bottoms, size_t nlines);

/* 1 when text holds something other than whitespace. */
int pdf_has_text(const char *text, size_t len);

#endif
