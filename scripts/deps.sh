#!/bin/sh
# scripts/deps.sh: install the Debian 12 packages Quire builds, runs and
# tests with. Uses sudo when not root. Does nothing when all are present.
# debhelper and lintian: tests/install/deb.test; mandoc: man.test;
# systemd: systemd-analyze (systemd.test) and systemd-tmpfiles; docx2txt:
# the DOCX figure of make bench-extract; patchelf: make portable;
# debootstrap: tests/install/portable.test; chromium, php-cgi and npm:
# tests/api/form-browser.test, whose puppeteer-core is installed from its
# lockfile into tests/api/form/node_modules (npm ci, when missing);
# libpoppler-cpp-dev: the PDF plugin on poppler-cpp
# (tests/extract/pdf-cpp.test, --with-poppler-api=cpp); clang and
# libclang-rt-14-dev (only recommended by clang, so named): the libFuzzer
# targets of tests/fuzz (make check builds them, make fuzz-short runs them).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
PKGS="build-essential autoconf automake libtool pkg-config
libfcgi-dev libdb5.3-dev db5.3-util libjansson-dev libssl-dev
libxml2-dev libzip-dev libpoppler-glib-dev libpoppler-private-dev libpoppler-cpp-dev
libtesseract-dev libleptonica-dev tesseract-ocr-eng
libcurl4-openssl-dev libseccomp-dev libstemmer-dev libutf8proc-dev libuchardet-dev
libexttextcat-dev libexttextcat-data
libgsf-1-dev zlib1g-dev libmagic-dev
lighttpd apache2 nginx-light curl python3 python3-prometheus-client python3-jsonschema python3-yaml nodejs wrk
debhelper lintian mandoc systemd docx2txt patchelf debootstrap
chromium php-cgi clang libclang-rt-14-dev"
# The browser test's npm packages, pinned by tests/api/form/package-lock.json.
npm_ci() {
	d=$(cd "$(dirname "$0")/.." && pwd)/tests/api/form
	[ -d "$d/node_modules/puppeteer-core" ] || [ ! -f "$d/package-lock.json" ] ||
		(cd "$d" && npm ci --no-audit --no-fund)
}
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# npm: Debian's package only where no npm is on the PATH (NodeSource's
# nodejs carries its own npm and conflicts with Debian's)
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -z "$missing" ]; then
	npm_ci
	exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "Installing:$missing"
if [ "${CI:-}" = true ] && [ ! -e /usr/sbin/policy-rc.d ]; then
	# CI: the packages' own lighttpd/apache2 services must not start;
	# tests start their own on free loopback ports.
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
npm_ci
