#!/usr/bin/env python3
"""Load BEIR SciFact through Quire's API and score retrieval.

usage: scifact.py BASE KEY DATASET_ID SHARED_BENCH_DIR OUTDIR [--limit-queries N]
Loads corpus.jsonl (title + text as each document) with POST /api/v1/documents
(SCIFACT_CLIENTS clients, default 8), waits until every document is
completed (indexed and embedded) and prints the end-to-end rate in tokens/s
with the stage breakdown of the ingest processes and the embedder (from
GET /metrics: quire_ingest_tokens_total, quire_ingest_stage_seconds_total;
make bench-ingest-scifact), then runs the training
queries through POST /v1/datasets/{id}/retrieve for keyword, semantic and
hybrid search, writes TREC runs and prints eval.py's nDCG@10 / Recall@100,
over all training queries and over each half of them (alternate queries:
choose a setting on one half, check it on the other).
SCIFACT_TOP_K: the hits each query asks for (default 100; nDCG@10 is
taken over the distinct documents among them).
With SCIFACT_IDMAP=FILE, the documents' ids are written to FILE after
loading; when FILE exists, loading is skipped and the queries run against
what is stored (tests/bench/scifact.sh's SCIFACT_SWEEP).
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import http.client, json, os, re, subprocess, sys, threading, time, urllib.parse

base, key, dataset, bench, out = sys.argv[1:6]
u = urllib.parse.urlparse(base)
H = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
corpus = [json.loads(l) for l in open(os.path.join(bench, "scifact/corpus.jsonl"))]
queries = [json.loads(l) for l in open(os.path.join(bench, "scifact/queries.jsonl"))]
qrels = os.path.join(bench, "scifact/qrels/train.tsv")
train = {l.split("\t")[0] for l in open(qrels) if not l.startswith("query")}
queries = [q for q in queries if q["_id"] in train]

def conn():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)

id_of = {}
refused = {429: 0, 503: 0}   # answers that asked the loaders to wait
create_ms = []   # each answered create's latency as a client saw it
lock = threading.Lock()
def load(part):
    c = conn()
    for d in part:
        body = json.dumps({"title": d["title"] or d["_id"], "content": (d["title"] + "\n\n" + d["text"]).strip()})
        while True:   # 429: the ingest queue is full, 503: busy; wait
            t = time.perf_counter()
            c.request("POST", "/api/v1/documents", body, H)
            r = c.getresponse(); raw = r.read()
            ms = (time.perf_counter() - t) * 1e3
            data = json.loads(raw)
            if r.status not in (429, 503):
                break
            with lock:
                refused[r.status] += 1
            time.sleep(float(r.getheader("Retry-After") or 1))
        assert r.status == 201, (r.status, data)
        with lock:
            id_of[data["document"]["id"]] = d["_id"]
            create_ms.append(ms)

def metrics():
    """The ingestion counters of GET /metrics: {name or stage: value}."""
    c = conn()
    c.request("GET", "/metrics", headers={"Authorization": "Bearer " + os.environ.get("SCIFACT_ADMIN_KEY", key)})
    r = c.getresponse(); text = r.read().decode()
    assert r.status == 200, (r.status, text[:200])
    out = {}
    for l in text.splitlines():
        m = re.match(r'^quire_ingest_stage_seconds_total\{stage="(\w+)"\} (\S+)$', l)
        if m:
            out[m.group(1)] = float(m.group(2))
        m = re.match(r'^(quire_ingest_tokens_total|quire_ingest_chunks_total|quire_ingest_batches_total|'
                     r'quire_embed_batches_total|quire_job_idle_steps_total|quire_store_reruns_total) (\S+)$', l)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out

def server_cpu():
    """CPU seconds (user + system, with waited-for children) of the
    processes serving this store (quired, its workers, ingest processes and
    embedder, lighttpd): those whose environment names this QUIRE_CONF,
    this script left out (its clients are counted apart)."""
    conf = ("QUIRE_CONF=" + os.environ.get("QUIRE_CONF", "")).encode()
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    byname, bysys = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        try:
            if conf not in open(f"/proc/{pid}/environ", "rb").read().split(b"\0"):
                continue
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            t = sum(int(x) for x in f[11:15]) / tick   # utime stime cutime cstime
            ks = (int(f[12]) + int(f[14])) / tick        # of which in the kernel
            name = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode(errors="replace")
            name = os.path.basename(name.split()[0]) if name else "?"
            total += t
            byname[name] = byname.get(name, 0.0) + t
            bysys[name] = bysys.get(name, 0.0) + ks
        except (OSError, ValueError, IndexError):
            continue
    return total, byname, bysys

def load_all():
    t0 = time.time()
    before = metrics()
    (cpu0, names0, sys0), own0 = server_cpu(), os.times()
    clients = int(os.environ.get("SCIFACT_CLIENTS", "8"))
    parts = [corpus[i::clients] for i in range(clients)]
    ts = [threading.Thread(target=load, args=(p,)) for p in parts]
    [t.start() for t in ts]; [t.join() for t in ts]
    print(f"loaded {len(corpus)} documents in {time.time() - t0:.1f} s "
          f"({refused[429]} answers 429 and {refused[503]} answers 503 waited for, Retry-After)")
    if create_ms:
        s = sorted(create_ms)
        q = lambda f: s[min(len(s) - 1, int(f * len(s)))]
        print(f"  a create as its client saw it: p50 {q(0.5):.1f} ms, p90 {q(0.9):.1f} ms, "
              f"p99 {q(0.99):.1f} ms ({clients} clients at once)")
    # Completed documents, counted by quire-admin (the native list carries no
    # status, and ChatAid's list holds only documents uploaded through it).
    admin = os.environ.get("QUIRE_ADMIN", "quire-admin")
    while True:
        o = subprocess.run([admin, "check-embeddings"], capture_output=True, text=True).stdout
        m = re.search(r"^documents_completed (\d+)$", o, re.M)
        total = int(m.group(1)) if m else 0
        if total >= len(corpus):
            break
        if time.time() - t0 > 1800:
            sys.exit("documents did not complete in time")
        time.sleep(1)
    wall = time.time() - t0
    (cpu1, names1, sys1), own1 = server_cpu(), os.times()
    print(f"all completed after {wall:.1f} s")
    after = metrics()
    d = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    tokens = d.get("quire_ingest_tokens_total", 0)
    print(f"end to end: {len(corpus)} documents, {int(d.get('quire_ingest_chunks_total', 0))} chunks, "
          f"{int(tokens)} tokens through lighttpd ({clients} clients) until every chunk was "
          f"indexed and embedded: {wall:.1f} s, {tokens / wall:.0f} tokens/s")
    server = cpu1 - cpu0
    clients = (own1.user - own0.user) + (own1.system - own0.system)
    if tokens:
        print(f"  CPU: {server:.1f} s by the server (quired and its children, lighttpd), "
              f"{server / tokens * 1e6:.2f} s per million tokens; {clients:.1f} s by the clients; "
              f"load average at the end {os.getloadavg()[0]:.1f}")
        print("  server CPU by process: " + ", ".join(
            f"{n} {names1[n] - names0.get(n, 0):.1f} s" for n in sorted(names1, key=lambda n: names0.get(n, 0) - names1[n])))
        print("  of which system time (the kernel): " + ", ".join(
            f"{n} {sys1[n] - sys0.get(n, 0):.1f} s" for n in sorted(names1, key=lambda n: names0.get(n, 0) - names1[n])))
    g = lambda k: int(d.get(k, 0))
    print(f"  index transactions (batches) {g('quire_ingest_batches_total')} "
          f"({len(corpus) / max(1, g('quire_ingest_batches_total')):.1f} documents each), "
          f"embedder batches {g('quire_embed_batches_total')}, claims that found no job "
          f"{g('quire_job_idle_steps_total')}, transactions rerun (deadlock, lock timeout) "
          f"{g('quire_store_reruns_total')}")
    stages = ["parse", "split", "index", "embed", "vectors", "commit"]
    busy = sum(d.get(s, 0) for s in stages)
    print(f"  stage seconds, summed over the ingest processes and the embedder ({busy:.1f} s busy in {wall:.1f} s):")
    for s in stages:
        v = d.get(s, 0)
        print(f"  {s:8s} {v:8.2f} s {100 * v / busy if busy else 0:5.1f}% {tokens / v if v else 0:12.0f} tokens/s")

idmap = os.environ.get("SCIFACT_IDMAP")
if idmap and os.path.exists(idmap):
    id_of = json.load(open(idmap))
else:
    load_all()
    if idmap:
        json.dump(id_of, open(idmap, "w"))

c = conn()
top_k = int(os.environ.get("SCIFACT_TOP_K", "100"))   # hits asked per query
for method in os.environ.get("SCIFACT_METHODS", "keyword_search semantic_search hybrid_search").split():
    run = os.path.join(out, f"run-{method}.txt")
    lat = []
    with open(run, "w") as f:
        for q in queries:
            body = json.dumps({"query": q["text"], "retrieval_model": {"search_method": method, "top_k": top_k}})
            s = time.time()
            c.request("POST", f"/v1/datasets/{dataset}/retrieve", body, H)
            r = c.getresponse(); data = json.loads(r.read())
            lat.append(time.time() - s)
            assert r.status == 200, data
            seen = set()
            for rec in data["records"]:
                doc = id_of.get(rec["segment"]["document_id"])
                if doc is None or doc in seen:
                    continue
                seen.add(doc)
                f.write(f"{q['_id']} Q0 {doc} {len(seen)} {rec['score']:.6f} quire-{method}\n")
    lat.sort()
    res = subprocess.run([sys.executable, os.path.join(bench, "eval.py"), qrels, run], capture_output=True, text=True)
    print(f"{method}: {res.stdout.strip()} | latency p50 {lat[len(lat)//2]*1000:.1f} ms p95 {lat[int(len(lat)*0.95)]*1000:.1f} ms over {len(lat)} queries")
    # the two halves of the queries (by position in queries.jsonl): a
    # setting chosen on one half is checked on the other (docs/search.md)
    for half in (0, 1):
        hq = os.path.join(out, f"qrels-half{half}.tsv")
        keep = {q["_id"] for q in queries[half::2]}
        with open(hq, "w") as f:
            f.writelines(l for l in open(qrels) if l.split("\t")[0] in keep)
        res = subprocess.run([sys.executable, os.path.join(bench, "eval.py"), hq, run], capture_output=True, text=True)
        print(f"  half {half}: " + " ".join(res.stdout.split()))
