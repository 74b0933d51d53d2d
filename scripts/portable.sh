#!/bin/bash
# scripts/portable.sh: make a relocatable Quire directory (make portable):
# the programs, the plugins, every shared library they need except the C
# library's own, with $ORIGIN run paths, the Tesseract English data and
# the language-identification models. It runs from any path, without
# root, on a Linux of the same architecture and a glibc at least as new
# as the build machine's. docs/portable.md describes the layout.
#   scripts/portable.sh BUILDDIR SRCDIR OUTDIR
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
[ $# = 3 ] || { echo "usage: $0 BUILDDIR SRCDIR OUTDIR" >&2; exit 2; }
B=$(cd "$1" && pwd) S=$(cd "$2" && pwd) OUT=$3

# The programs, as built (path under BUILDDIR or SRCDIR). One line adds one;
# a program not built (or not written yet) is left out with a note.
PROGRAMS="src/quired src/quire.fcgi src/quire-embed src/quire-admin src/quire-ingest
extract/quire-extract cgi-bin/quire.cgi"
# What the C library provides: never bundled (the host's own must be used).
LIBC='^(linux-vdso|linux-gate|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil|libnsl|libanl|libcrypt)\.so'
# Tesseract's English data and the language-identification models.
TESSDATA=${TESSDATA_DIR:-$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | tail -1)}
LANGID=${LANGID_DIR:-/usr/share/libexttextcat}

command -v patchelf >/dev/null || { echo "$0: patchelf is needed (Debian: patchelf)" >&2; exit 1; }
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp/libexec" "$OUT.tmp/bin" "$OUT.tmp/lib/quire" "$OUT.tmp/share" "$OUT.tmp/etc"
T=$OUT.tmp

# find_built PATH: the built file (BUILDDIR first, then SRCDIR for scripts).
find_built() {
	if [ -f "$B/$1" ]; then echo "$B/$1"; elif [ -f "$S/$1" ]; then echo "$S/$1"; fi
}
is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

progs=""
for p in $PROGRAMS; do
	f=$(find_built "$p")
	if [ -z "$f" ]; then
		echo "portable: $p is not built; left out" >&2
		continue
	fi
	install -m 0755 "$f" "$T/libexec/"
	progs="$progs $(basename "$p")"
done
for so in "$B"/plugins/*/.libs/*.so; do
	[ -f "$so" ] && install -m 0644 "$so" "$T/lib/quire/"
done

# The shared libraries every ELF file needs (ldd gives the closure), but
# the C library's; each copied once, by its soname.
for f in "$T"/libexec/* "$T"/lib/quire/*.so; do
	is_elf "$f" || continue
	ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}'
done | sort -u | while read -r name path; do
	[[ $name =~ $LIBC ]] && continue
	[ -f "$T/lib/$name" ] || install -m 0644 "$(readlink -f "$path")" "$T/lib/$name"
done
missing=$(for f in "$T"/libexec/* "$T"/lib/quire/*.so; do
	is_elf "$f" && ldd "$f" 2>/dev/null | grep 'not found'; done | sort -u)
[ -z "$missing" ] || { echo "$0: libraries not found:$missing" >&2; exit 1; }

# Run paths relative to each file: programs and plugins look in lib/,
# libraries beside themselves (a library's own run path finds its needs).
for f in "$T"/libexec/*; do is_elf "$f" && patchelf --set-rpath '$ORIGIN/../lib' "$f"; done
for f in "$T"/lib/quire/*.so; do patchelf --set-rpath '$ORIGIN/..' "$f"; done
for f in "$T"/lib/*.so*; do patchelf --set-rpath '$ORIGIN' "$f"; done

if [ -n "$TESSDATA" ] && [ -f "$TESSDATA/eng.traineddata" ]; then
	mkdir -p "$T/share/tessdata"
	install -m 0644 "$TESSDATA/eng.traineddata" "$T/share/tessdata/"
	[ -f "$TESSDATA/osd.traineddata" ] && install -m 0644 "$TESSDATA/osd.traineddata" "$T/share/tessdata/"
else
	echo "portable: no Tesseract English data found; OCR will not run" >&2
fi
if [ -d "$LANGID" ]; then
	mkdir -p "$T/share/libexttextcat"
	cp "$LANGID"/*.lm "$T/share/libexttextcat/"
fi
install -m 0644 "$S/etc/quire.conf" "$T/etc/quire.conf.sample"

# bin/NAME: a wrapper that points the program at the bundle's plugins and
# data, then runs it from libexec/ (where the programs find each other).
for p in $progs; do
	cat >"$T/bin/$p" <<'EOF'
#!/bin/sh
# A Quire portable bundle's launcher: the program of the same name in
# ../libexec with the bundle's plugins and data (docs/portable.md).
# SPDX-License-Identifier: GPL-3.0-or-later
d=$(dirname "$(readlink -f "$0")")/..
d=$(cd "$d" && pwd -P)
export QUIRE_PLUGIN_DIR="${QUIRE_PLUGIN_DIR:-$d/lib/quire}"
export TESSDATA_PREFIX="${TESSDATA_PREFIX:-$d/share/tessdata}"
export QUIRE_LANGID_DIR="${QUIRE_LANGID_DIR:-$d/share/libexttextcat}"
exec "$d/libexec/${0##*/}" "$@"
EOF
	chmod 0755 "$T/bin/$p"
done
cat >"$T/README" <<EOF
Quire $(sed -n 's/^AC_INIT(\[quire\], \[\([^]]*\)\].*/\1/p' "$S/configure.ac") portable bundle, built $(date -u +%Y-%m-%d) on $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") ($(uname -m)).
Run the programs in bin/ from wherever this directory is; see
docs/portable.md in the source for the layout and a CGI setup.
Programs:$progs
EOF
rm -rf "$OUT"
mv "$T" "$OUT"
echo "portable: $OUT ($(du -sh "$OUT" | cut -f1)):$progs"
