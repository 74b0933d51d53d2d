#!/usr/bin/env python3
"""compactload.py: documents to compact around (tests/api/compact.test).

  compactload.py seed BASE KEY N OUT.json
      Creates N documents (POST /api/v1/documents, JSON) of about 1,200
      words each, drawn from a made-up vocabulary of 4,000 words so that
      every document touches many terms' postings; each also holds one
      marker word of its own. Waits until every one is completed (its
      embedding status), then writes the ids and markers.
  compactload.py delete BASE KEY SEED.json EVERY OUT.json
      Deletes every document but each EVERY-th; writes which were kept
      and which deleted.
  compactload.py find BASE KEY DATASET SPLIT.json
      Keyword search (Dify retrieve) for each marker: a kept document's
      marker must find that document alone, a deleted one's nothing.
      Prints the counts; exit 0 when all are right.

Standard library only; every request has a timeout and every loop a bound.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import random
import sys
import time

from backupload import request

SYL = ["ka", "lo", "mi", "ne", "tu", "ra", "se", "vo", "pi", "da", "gu", "fe", "zo", "bi", "he"]


def vocab(n, rng):
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYL) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def marker(i):
    # letters only, never a word of the vocabulary (no syllable has a q or x)
    return "qx" + "".join("bcdfghjklmnprstvwz"[int(c)] for c in "%03d" % i) + "qx"


def seed(base, key, n, out):
    rng = random.Random(20261207)
    words = vocab(4000, rng)
    docs = []
    for i in range(n):
        body = " ".join(rng.choice(words) for _ in range(1200))
        text = "%s %s." % (marker(i), body)
        st, data = request(base, "POST", "/api/v1/documents", key,
                           json.dumps({"title": "compact %d" % i, "content": text}).encode(),
                           "application/json")
        if st != 201:
            print("create %d: %s %s" % (i, st, data[:200]))
            return 1
        docs.append({"id": json.loads(data)["document"]["id"], "marker": marker(i)})
    end = time.monotonic() + 240
    pending = [d["id"] for d in docs]
    while pending and time.monotonic() < end:
        left = []
        for i in pending:
            st, data = request(base, "GET", "/api/v1/documents/%s/embeddings/status" % i, key)
            if st != 200 or json.loads(data).get("status") != "completed":
                left.append(i)
        pending = left
        if pending:
            time.sleep(0.5)
    with open(out, "w") as f:
        json.dump({"docs": docs}, f)
    print("created %d, %d not completed" % (n, len(pending)))
    return 1 if pending else 0


def delete(base, key, seed_path, every, out):
    with open(seed_path) as f:
        docs = json.load(f)["docs"]
    kept, gone = [], []
    for i, d in enumerate(docs):
        if i % every == 0:
            kept.append(d)
            continue
        st, _ = request(base, "DELETE", "/api/v1/documents/%s" % d["id"], key)
        if st not in (200, 204):
            print("delete %s: %s" % (d["id"], st))
            return 1
        gone.append(d)
    with open(out, "w") as f:
        json.dump({"kept": kept, "gone": gone}, f)
    print("kept %d, deleted %d" % (len(kept), len(gone)))
    return 0


def find(base, key, dataset, split_path):
    with open(split_path) as f:
        split = json.load(f)
    right = wrong = 0
    for want, docs in (("one", split["kept"]), ("none", split["gone"])):
        for d in docs:
            q = {"query": d["marker"], "retrieval_model": {"search_method": "keyword_search", "top_k": 5}}
            st, data = request(base, "POST", "/v1/datasets/%s/retrieve" % dataset, key,
                               json.dumps(q).encode(), "application/json")
            ids = [r["segment"]["document"]["id"] for r in json.loads(data)["records"]] if st == 200 else None
            good = ids == [d["id"]] if want == "one" else ids == []
            if good:
                right += 1
            else:
                wrong += 1
                if wrong <= 3:
                    print("marker %s (%s): %s" % (d["marker"], want, ids))
    print("markers right %d, wrong %d" % (right, wrong))
    return 0 if not wrong and right else 1


def main(argv):
    if len(argv) == 6 and argv[1] == "seed":
        return seed(argv[2], argv[3], int(argv[4]), argv[5])
    if len(argv) == 7 and argv[1] == "delete":
        return delete(argv[2], argv[3], argv[4], int(argv[5]), argv[6])
    if len(argv) == 6 and argv[1] == "find":
        return find(argv[2], argv[3], argv[4], argv[5])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
