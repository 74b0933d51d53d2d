#!/usr/bin/env python3
"""Read a /metrics answer (stdin) with prometheus_client's own parser and
print one line per sample, "name{k=v,...} value", labels sorted, so a test
can pick values with grep; exit 1 (with the parser's message) when the
text is not valid Prometheus exposition, or a histogram's buckets are not
cumulative or do not end in +Inf equal to its _count."""
# SPDX-License-Identifier: GPL-3.0-or-later
import sys
from prometheus_client.parser import text_string_to_metric_families

text = sys.stdin.read()
try:
    families = list(text_string_to_metric_families(text))
except Exception as e:  # the parser's own complaint
    print("parse error: %s" % e)
    sys.exit(1)
bad = []
for fam in families:
    if fam.type == "histogram":
        series = {}
        for s in fam.samples:
            key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
            series.setdefault(key, {"buckets": [], "count": None})
            if s.name.endswith("_bucket"):
                series[key]["buckets"].append((float(s.labels["le"]), s.value))
            elif s.name.endswith("_count"):
                series[key]["count"] = s.value
        for key, v in series.items():
            b = v["buckets"]
            if not b or b[-1][0] != float("inf") or b[-1][1] != v["count"]:
                bad.append("%s%s: +Inf bucket != _count" % (fam.name, key))
            if any(b[i][1] > b[i + 1][1] for i in range(len(b) - 1)):
                bad.append("%s%s: buckets not cumulative" % (fam.name, key))
    for s in fam.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        print("%s{%s} %g" % (s.name, labels, s.value))
for b in bad:
    print("invalid: " + b)
sys.exit(1 if bad else 0)
