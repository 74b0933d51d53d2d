#!/bin/sh
# scripts/deps.sh: install the Debian 12 packages Quire builds, runs and
# tests with. Uses sudo when not root. Does nothing when all are present.
# debhelper and lintian: tests/install/deb.test; mandoc: man.test;
# systemd: systemd-analyze (systemd.test) and systemd-tmpfiles; docx2txt:
# the DOCX figure of make bench-extract; patchelf: make portable;
# debootstrap: tests/install/portable.test.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
PKGS="build-essential autoconf automake libtool pkg-config
libfcgi-dev libdb5.3-dev db5.3-util libjansson-dev libssl-dev
libxml2-dev libzip-dev libpoppler-glib-dev libpoppler-private-dev
libtesseract-dev libleptonica-dev tesseract-ocr-eng
libcurl4-openssl-dev libseccomp-dev libstemmer-dev libutf8proc-dev libuchardet-dev
libexttextcat-dev libexttextcat-data
libgsf-1-dev zlib1g-dev libmagic-dev
lighttpd apache2 nginx-light curl python3 python3-prometheus-client python3-jsonschema python3-yaml nodejs wrk
debhelper lintian mandoc systemd docx2txt patchelf debootstrap"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
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
