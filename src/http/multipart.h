/* multipart.h: a streaming multipart/form-data parser (RFC 7578, RFC 2046)
 * that keeps plain fields in memory and streams file parts to temporary
 * files, with caps on every size a client controls. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_MULTIPART_H
#define QUIRE_MULTIPART_H

#include <stddef.h>
#include <sys/types.h>
#include "base/status.h"

#define MP_BOUNDARY_MAX 70       /* RFC 2046: 1..70 characters */
#define MP_FILENAME_MAX 255      /* bytes of a sanitised file name */
#define MP_LINE_MAX 16384        /* bytes of one header line, whatever the caps */

/* Caps; a zero member (or a NULL struct) takes the default in brackets. */
struct mp_limits {
	unsigned long long max_total;   /* whole body, bytes [100 MiB] */
	size_t max_parts;               /* parts, fields and files together [64] */
	size_t max_header_bytes;        /* per part's header block [8192] */
	size_t max_field_bytes;         /* a non-file field's value, kept in memory [65536] */
};

/* One part. Every pointer is owned by the form and released by
 * mp_form_free; a caller that takes over the temp file (renames it) frees
 * path and sets it to NULL so that mp_form_free does not unlink the name. */
struct mp_part {
	char *name;          /* form field name (UTF-8, invalid bytes replaced by U+FFFD) */
	char *filename;      /* sanitised base name, NULL for a plain field */
	char *content_type;  /* the part's Content-Type, "" when none */
	char *path;          /* temp file holding a file part's bytes (mode 0600), NULL for fields */
	char *value;         /* a plain field's value, NUL-terminated, NULL for files */
	size_t value_len;
	unsigned long long size;   /* bytes of the part's body */
};

struct mp_form {
	struct mp_part *parts;
	size_t n;
};

/* Boundary from a Content-Type header value ("multipart/form-data;
 * boundary=..."), unquoted, into out (outlen >= MP_BOUNDARY_MAX + 1).
 * 0 ok; -1 when the type is not multipart/form-data, the parameter is
 * missing, repeated, badly quoted, empty, over 70 characters, holds a
 * character outside RFC 2046's bchars or ends in a space. */
int mp_boundary(const char *content_type, char *out, size_t outlen);

/* Parse a multipart body read through read(ctx, buf, n) (0 at EOF, <0
 * error) into *out (new; release with mp_form_free). Parts whose
 * Content-Disposition has a filename or filename* parameter are file parts:
 * their bytes stream to temp files (mkstemp, O_CLOEXEC, mode 0600) in
 * tmpdir, never whole into memory. The preamble and epilogue are ignored;
 * the epilogue is still read and counts towards max_total.
 * Errors: Q_EINVAL (malformed body, truncated body, read error: the message
 * names the problem), Q_ETOOBIG (a cap: the message names which), Q_ENOMEM,
 * Q_ENOSPACE (no room for a temp file), Q_EINTERNAL (other I/O errors). On
 * error *out is empty and every temp file created is removed. */
enum qstatus mp_parse(ssize_t (*read)(void *ctx, void *buf, size_t n), void *ctx,
		      const char *content_type, const struct mp_limits *lim,
		      const char *tmpdir, struct mp_form *out, struct qerr *err);

/* First part named name, or NULL (borrowed from f). */
const struct mp_part *mp_get(const struct mp_form *f, const char *name);
/* The next part after prev with prev's name, or NULL: for repeated fields,
 *   for (p = mp_get(f, "files"); p; p = mp_next(f, p)) ... */
const struct mp_part *mp_next(const struct mp_form *f, const struct mp_part *prev);

/* Unlink the temp files still named by parts, free everything, leave f empty. */
void mp_form_free(struct mp_form *f);

/* Sanitised base name of a client's file name (n bytes) into out (outlen
 * >= MP_FILENAME_MAX + 1): invalid UTF-8 becomes U+FFFD, control
 * characters (NUL, CR, LF, C0, DEL, C1) are dropped, only the part after the
 * last '/' or '\' is kept, surrounding spaces are trimmed, "", "." and ".."
 * become "unnamed", and the name is cut to MP_FILENAME_MAX bytes on a UTF-8
 * boundary, keeping a short extension. Exposed for the tests. */
void mp_sanitize_filename(const char *in, size_t n, char *out, size_t outlen);

#endif
