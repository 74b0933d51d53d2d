#!/usr/bin/env python3
# tests/faults/docstate.py: a digest of the documents in a db_dump -p of documents.db.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads `db_dump -p documents.db` on stdin; prints the number of documents
and a hash of their sorted (id, title) pairs, to compare two recoveries."""
import hashlib
import json
import sys


def unescape(s):
    """db_dump -p: printable bytes as they are, "\\\\" for a backslash, \\xx hex."""
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1:i + 2] == "\\":
            out.append(0x5C)
            i += 2
        elif s[i] == "\\":
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
        else:
            out += s[i].encode()
            i += 1
    return out.decode("utf-8")


text = sys.stdin.read()
body = text.split("HEADER=END\n", 1)[1].split("DATA=END", 1)[0]
lines = [l[1:] for l in body.split("\n") if l.startswith(" ")]
recs = sorted((json.loads(unescape(v))["id"], json.loads(unescape(v))["title"])
              for v in lines[1::2])
print(len(recs), hashlib.sha256(repr(recs).encode()).hexdigest()[:16])
