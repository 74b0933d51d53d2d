#!/bin/bash
# tests/bench/upload-pdf.sh: a 10-page PDF uploaded through lighttpd
# (multipart POST /api/v1/documents) until all its chunks are stored
# (Dify's view shows its segments) and until every chunk is embedded;
# median and spread over RUNS uploads. Prints figures; never fails on time.
#   RUNS  uploads (default 9)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/lib.sh"
trap - INT TERM; trap 'exit 1' INT TERM
RUNS=${RUNS:-9}
[ -x "$top_builddir/extract/quire-extract" ] || { echo "upload-pdf: quire-extract not built"; exit 0; }
quire_setup 2
quired_start
KEY=$(new_key bench)
DS=$(admin kb list --account bench 2>/dev/null | awk '$2 == "default" {print $1}')
lighttpd_start
W="$T/pdfs"; mkdir -p "$W"
PYTHONDONTWRITEBYTECODE=1 python3 - "$top_srcdir/tests/fixtures/pdf" "$W" "$RUNS" <<'PY'
import sys, random
sys.path.insert(0, sys.argv[1])
from gen import pdf
words = ('pump valve pressure seal bearing impeller casing flow rate maintenance inspection '
         'schedule torque alignment vibration lubricant filter gasket motor shaft').split()
for r in range(int(sys.argv[3])):
    random.seed(r)
    line = lambda: ' '.join(random.choice(words) for _ in range(11))
    pages = [[line() if i % 9 else '' for i in range(45)] for _ in range(10)]
    open('%s/manual-%d.pdf' % (sys.argv[2], r), 'wb').write(pdf(pages))
PY
ms() { echo $(( $(date +%s%N) / 1000000 )); }
stored=() embedded=()
for r in $(seq 0 $((RUNS - 1))); do
	t0=$(ms)
	id=$(curl -s -H "Authorization: Bearer $KEY" -F "file=@$W/manual-$r.pdf" "$BASE/api/v1/documents" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["document"]["id"])')
	t_stored="" t_done=""
	for i in $(seq 1 3000); do
		s=$(curl -s -H "Authorization: Bearer $KEY" "$BASE/v1/datasets/$DS/documents/$id" |
			python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["indexing_status"], j["segment_count"])')
		case $s in
		"indexing "[1-9]*|"completed "[1-9]*) [ -z "$t_stored" ] && t_stored=$(( $(ms) - t0 )) ;;
		error*) echo "upload $r failed: $s"; break ;;
		esac
		case $s in completed*) t_done=$(( $(ms) - t0 )); break ;; esac
		sleep 0.01
	done
	stored+=("${t_stored:-nan}") embedded+=("${t_done:-nan}")
done
python3 - "${stored[*]}" "${embedded[*]}" <<'PY'
import sys, statistics
for label, xs in (("chunks stored", sys.argv[1]), ("all embedded ", sys.argv[2])):
    v = sorted(float(x) for x in xs.split() if x != "nan")
    if v:
        print("10-page PDF upload -> %s: median %.0f ms  min %.0f  max %.0f  (%d runs, incl. polling every 10 ms)"
              % (label, statistics.median(v), v[0], v[-1], len(v)))
PY
quired_stop
