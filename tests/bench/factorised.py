#!/usr/bin/python3
"""A factorised co-occurrence model measured offline on SciFact (issue 17).

usage: factorised.py RUNDIR [options]

RUNDIR holds the TREC runs tests/bench/scifact.sh wrote (run-keyword_search.txt,
run-semantic_search.txt, run-hybrid_search.txt; keep them with SCIFACT_DIR).
Needs Debian's python3 with numpy and scipy (python3-numpy, python3-scipy),
and the shared bench data (--bench DIR, or BENCH_DATA as scifact.sh reads it)
for the corpus, the training queries, their judgements and eval.py, whose
evaluate() scores every run here.

The model (defaults: the PPMI rows of docs/search.md, "Issue 17, ninth
round"): word co-occurrence counts over SciFact's title + abstract (a window
of --window words each side, weighted 1/distance, stop words out, a light
suffix stemmer unless --no-stem), words with df >= --min-df; PPMI with the
context distribution raised to 0.75; a truncated SVD (--k dimensions), word
vectors U * S^p (--p), unit length. With --lsi the context is the document
instead: a truncated SVD of the documents x words matrix of log(1 + tf) *
idf, a word's vector its row of V * S^p. A document (and a query) is the sum
of its words' unit vectors, each times its count and its idf (--docw idf) or
its SIF weight a / (a + P(w)) (--docw sif), the documents' common component
(their first singular vector) removed unless --no-pc, unit length; a query's
score is the cosine.

Printed, over all 809 training queries and each half (alternate queries, as
scifact.py splits them; choose on half 0, check on half 1): nDCG@10 (halves
in brackets) and Recall@100 of
  (a) the model alone (every document scored), a tf-idf cosine alone and
      the two summed (the model beside lexical features, --lam);
  (b) Quire's hybrid run fused with the model's top 100 as a third list
      (standard scores over each list, a document missing from a list at the
      list's floor, as Quire fuses; --weights), hybrid's own list rescored
      with the model's score of each of its documents, and Quire's keyword
      run fused with the model in place of today's vector side, with and
      without one-document feedback (keyword's first hit);
  (c) an offline BM25 (k1 0.9, b 0.4, the same tokens) with and without each
      query word's nearest neighbours in the learned space added to the query
      (--expand of them, at --beta times their cosine), and that BM25 fused
      with the model.
--quick stops after the hybrid rows of (b). --cv N measures the choice
itself: the grid (--k x --p x --docw x --weights, the third-list fusion)
chosen on one half and scored on the other, then chosen on N-1 of N folds
and scored on the one left out, the held-out gains summed over the folds. --cache DIR keeps a PPMI
factorisation (a few minutes at k 500) for the next run with the same
window, min df, largest k and stemming.
Nothing here is Quire's code: the figures say whether the model is worth
building.
"""
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse, collections, importlib.util, json, os, re, sys, time
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

STOP = set("""a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing
down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves
however thus therefore may might must shall within without whether""".split())

TOKEN = re.compile(r"[a-z0-9]+")


def stem(w):
	"""A light English plural / suffix stripper (Harman's S-stemmer plus -ing, -ed)."""
	if len(w) <= 3 or w.isdigit():
		return w
	if w.endswith("ies") and not w.endswith(("eies", "aies")):
		w = w[:-3] + "y"
	elif w.endswith("es") and not w.endswith(("aes", "ees", "oes")):
		w = w[:-1]
	elif w.endswith("s") and not w.endswith(("us", "ss", "is")):
		w = w[:-1]
	if len(w) > 5 and w.endswith("ing"):
		w = w[:-3]
	elif len(w) > 4 and w.endswith("ed"):
		w = w[:-2]
	return w


def tokens(text, do_stem):
	out = []
	for w in TOKEN.findall(text.lower()):
		if w in STOP:
			continue
		out.append(stem(w) if do_stem else w)
	return out


def load_eval(bench):
	spec = importlib.util.spec_from_file_location("bench_eval", os.path.join(bench, "eval.py"))
	m = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(m)
	return m


def read_run(path):
	run = collections.defaultdict(dict)
	for l in open(path):
		q, _, d, _, s, _ = l.split()
		run[q][d] = float(s)
	return run


class Data:
	def __init__(self, bench, do_stem):
		corpus = [json.loads(l) for l in open(os.path.join(bench, "scifact/corpus.jsonl"))]
		queries = [json.loads(l) for l in open(os.path.join(bench, "scifact/queries.jsonl"))]
		qpath = os.path.join(bench, "scifact/qrels/train.tsv")
		train = {l.split("\t")[0] for l in open(qpath) if not l.startswith("query")}
		self.queries = [q for q in queries if q["_id"] in train]
		self.ev = load_eval(bench)
		self.qrels = self.ev.read_qrels(qpath)
		self.halves = [{q["_id"] for q in self.queries[h::2]} for h in (0, 1)]
		self.doc_ids = [d["_id"] for d in corpus]
		self.doc_tok = [tokens(d["title"] + " " + d["text"], do_stem) for d in corpus]
		self.q_tok = [tokens(q["text"], do_stem) for q in self.queries]
		self.q_ids = [q["_id"] for q in self.queries]
		# the full vocabulary (BM25) and document frequencies
		self.vocab = {}
		for t in self.doc_tok:
			for w in t:
				self.vocab.setdefault(w, len(self.vocab))
		self.words = [None] * len(self.vocab)
		for w, i in self.vocab.items():
			self.words[i] = w
		rows, cols = [], []
		for i, t in enumerate(self.doc_tok):
			ids = [self.vocab[w] for w in t]
			rows.extend([i] * len(ids))
			cols.extend(ids)
		self.tf = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
		                        shape=(len(corpus), len(self.vocab)))
		self.tf.sum_duplicates()
		self.df = np.asarray((self.tf > 0).sum(0)).ravel()
		self.cf = np.asarray(self.tf.sum(0)).ravel()

	def score(self, run):
		"""run: {qid: {doc: score}} -> (nDCG@10, R@100) over all, half 0, half 1."""
		r = {q: [(d, 0, s) for d, s in ds.items()] for q, ds in run.items()}
		out = []
		for keep in (None, self.halves[0], self.halves[1]):
			qr = self.qrels if keep is None else {q: v for q, v in self.qrels.items() if q in keep}
			mean, _, _ = self.ev.evaluate(qr, r)
			out.append((mean["nDCG@10"], mean["Recall@100"]))
		return out


def fmt(res):
	(a, ra), (h0, _), (h1, _) = res
	return f"{a:.4f} ({h0:.4f} / {h1:.4f}) R@100 {ra:.4f}"


class PPMI:
	"""Co-occurrence counts and their PPMI matrix, factorised once at the
	largest k asked (a smaller k is its leading columns)."""

	def __init__(self, D, window, min_df, kmax, cds=0.75, weight="harmonic"):
		keep = np.where(D.df >= min_df)[0]
		self.keep = keep
		self.full2m = -np.ones(len(D.vocab), np.int64)
		self.full2m[keep] = np.arange(len(keep))
		V = len(keep)
		rows, cols, vals = [], [], []
		for t in D.doc_tok:
			ids = self.full2m[[D.vocab[w] for w in t]] if t else np.zeros(0, np.int64)
			ids = ids[ids >= 0]   # rare words dropped before the window is taken
			for d in range(1, window + 1):
				if len(ids) <= d:
					break
				a, b = ids[:-d], ids[d:]
				w = 1.0 / d if weight == "harmonic" else 1.0
				rows.append(a); cols.append(b); vals.append(np.full(len(a), w, np.float32))
				rows.append(b); cols.append(a); vals.append(np.full(len(a), w, np.float32))
		rows = np.concatenate(rows); cols = np.concatenate(cols); vals = np.concatenate(vals)
		C = sp.coo_matrix((vals, (rows, cols)), shape=(V, V)).tocsr()
		C.sum_duplicates()
		total = C.sum()
		rw = np.asarray(C.sum(1)).ravel()
		cw = np.asarray(C.sum(0)).ravel() ** cds
		cw = cw / cw.sum()
		C = C.tocoo()
		pmi = np.log(C.data / total / (rw[C.row] / total) / cw[C.col])
		m = pmi > 0
		P = sp.csr_matrix((pmi[m].astype(np.float32), (C.row[m], C.col[m])), shape=(V, V))
		self.nnz = P.nnz
		U, S, _ = svds(P.astype(np.float64), k=kmax)
		o = np.argsort(-S)
		self.U, self.S = U[:, o], S[o]
		self.V = V


class LSI:
	"""The alternative with the document as the context: a truncated SVD of
	the documents x words matrix of log(1 + tf) * idf (latent semantic
	indexing); a word's vector is its right singular vector row."""

	def __init__(self, D, min_df, kmax):
		keep = np.where(D.df >= min_df)[0]
		self.keep = keep
		self.full2m = -np.ones(len(D.vocab), np.int64)
		self.full2m[keep] = np.arange(len(keep))
		X = D.tf[:, keep].tocsr().astype(np.float64)
		X.data = np.log1p(X.data)
		X = X.multiply(np.log(len(D.doc_ids) / D.df[keep])[None, :]).tocsr()
		self.nnz = X.nnz
		_, S, Vt = svds(X, k=kmax)
		o = np.argsort(-S)
		self.U, self.S = Vt[o].T, S[o]
		self.V = len(keep)


class Model:
	"""Word vectors U_k * S_k^p; SIF- or idf-weighted document vectors."""

	def __init__(self, D, F, k, p, docw="sif", sif_a=1e-3, pc=True):
		W = F.U[:, :k] * (F.S[:k] ** p)
		W /= np.maximum(np.linalg.norm(W, axis=1, keepdims=True), 1e-12)
		self.W = W.astype(np.float32)     # unit word vectors, model vocabulary
		self.V, self.full2m, self.D = F.V, F.full2m, D
		keep = F.keep
		if docw == "sif":
			prob = D.cf[keep] / D.cf.sum()
			self.wt = (sif_a / (sif_a + prob)).astype(np.float32)
		else:
			N = len(D.doc_ids)
			self.wt = np.log(N / D.df[keep]).astype(np.float32)
		docs = D.tf[:, keep].multiply(self.wt[None, :]).tocsr() @ self.W
		# the documents' common component (their first singular vector)
		if pc:
			_, _, vt = np.linalg.svd(docs, full_matrices=False)
			self.pc = vt[0]
		else:
			self.pc = np.zeros(W.shape[1], np.float32)
		self.docs = self.unit(docs - np.outer(docs @ self.pc, self.pc))

	@staticmethod
	def unit(X):
		return X / np.maximum(np.linalg.norm(X, axis=-1, keepdims=True), 1e-12)

	def query_vec(self, toks):
		v = np.zeros(self.W.shape[1], np.float32)
		for w in toks:
			i = self.D.vocab.get(w)
			if i is None or self.full2m[i] < 0:
				continue
			j = self.full2m[i]
			v += self.wt[j] * self.W[j]
		v -= (v @ self.pc) * self.pc
		return self.unit(v)

	def neighbours(self, w, n):
		i = self.D.vocab.get(w)
		if i is None or self.full2m[i] < 0:
			return []
		j = self.full2m[i]
		s = self.W @ self.W[j]
		s[j] = -1
		top = np.argpartition(-s, n)[:n]
		top = top[np.argsort(-s[top])]
		keep = np.where(self.full2m >= 0)[0]   # model index -> full vocabulary
		return [(self.D.words[keep[t]], float(s[t])) for t in top]


def top_run(D, scores, n=100):
	"""scores: queries x documents -> {qid: {doc: score}} of each query's top n."""
	run = {}
	for qi, q in enumerate(D.q_ids):
		s = scores[qi]
		top = np.argpartition(-s, n)[:n]
		run[q] = {D.doc_ids[t]: float(s[t]) for t in top}
	return run


def zs(lst):
	"""A list's standard scores and its floor (the last score's)."""
	v = np.array(list(lst.values()))
	mu, sd = v.mean(), v.std()
	sd = sd if sd > 0 else 1.0
	return {d: (s - mu) / sd for d, s in lst.items()}, (v.min() - mu) / sd


def fuse(lists, weights):
	"""Quire's fusion: each list's standard scores, a document missing from a
	list at that list's floor, summed by weight."""
	out = {}
	for q in lists[0]:
		zz = [zs(l.get(q, {})) if l.get(q) else ({}, 0.0) for l in lists]
		union = set().union(*(z[0].keys() for z in zz))
		out[q] = {d: sum(w * z[0].get(d, z[1]) for w, z in zip(weights, zz)) for d in union}
	return out


class BM25:
	def __init__(self, D, k1=0.9, b=0.4):
		tf = D.tf.tocsr().astype(np.float64)
		dl = np.asarray(tf.sum(1)).ravel()
		avg = dl.mean()
		N = tf.shape[0]
		self.idf = np.log(1 + (N - D.df + 0.5) / (D.df + 0.5))
		tf = tf.tocoo()
		den = tf.data + k1 * (1 - b + b * dl[tf.row] / avg)
		val = tf.data * (k1 + 1) / den * self.idf[tf.col]
		self.M = sp.csr_matrix((val, (tf.row, tf.col)), shape=tf.shape).T.tocsr()   # terms x docs
		self.D = D

	def scores(self, qweights):
		"""qweights: [{full vocab id: weight}] -> queries x docs."""
		rows, cols, vals = [], [], []
		for qi, qw in enumerate(qweights):
			for t, w in qw.items():
				rows.append(qi); cols.append(t); vals.append(w)
		Q = sp.csr_matrix((vals, (rows, cols)), shape=(len(qweights), self.M.shape[0]))
		return np.asarray((Q @ self.M).todense())


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("rundir")
	ap.add_argument("--bench", default=os.environ.get("BENCH_DATA") or
	                os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/bench"))
	ap.add_argument("--window", type=int, default=10)
	ap.add_argument("--min-df", type=int, default=2)
	ap.add_argument("--k", type=int, nargs="+", default=[500])
	ap.add_argument("--p", type=float, nargs="+", default=[0.0])
	ap.add_argument("--no-stem", action="store_true")
	ap.add_argument("--weights", type=float, nargs="+", default=[0.05, 0.1, 0.2, 0.3])
	ap.add_argument("--expand", type=int, nargs="+", default=[3, 10], help="neighbours per query word")
	ap.add_argument("--beta", type=float, nargs="+", default=[0.05, 0.1, 0.3], help="expansion weight (times similarity)")
	ap.add_argument("--docw", nargs="+", default=["idf"], choices=["sif", "idf"], help="word weights in a document")
	ap.add_argument("--no-pc", action="store_true", help="keep the documents' common component")
	ap.add_argument("--lam", type=float, nargs="+", default=[1.0], help="the model's weight beside a tf-idf cosine")
	ap.add_argument("--lsi", action="store_true", help="factorise documents x words (LSI) instead of PPMI")
	ap.add_argument("--cache", help="a directory to keep each factorisation in (reused when its parameters match)")
	ap.add_argument("--cv", type=int, default=0, help="cross-validate the grid's choice over this many folds (third list only)")
	ap.add_argument("--quick", action="store_true", help="(a) and hybrid + model only")
	a = ap.parse_args()
	t0 = time.time()
	D = Data(a.bench, not a.no_stem)
	runs = {m: read_run(os.path.join(a.rundir, f"run-{m}_search.txt")) for m in ("keyword", "semantic", "hybrid")}
	for m, r in runs.items():
		print(f"Quire {m:8s} {fmt(D.score(r))}")
	print(f"corpus: {len(D.doc_ids)} documents, {len(D.vocab)} words ({time.time() - t0:.1f} s)")
	bm = BM25(D)
	qw_plain = [dict(collections.Counter(D.vocab[w] for w in t if w in D.vocab)) for t in D.q_tok]
	bm_plain = bm.scores(qw_plain)
	run_bm = top_run(D, bm_plain)
	print(f"offline BM25      {fmt(D.score(run_bm))}")
	F = None
	if a.cache and not a.lsi:
		path = os.path.join(a.cache, f"ppmi-w{a.window}-df{a.min_df}-k{max(a.k)}-{'nostem' if a.no_stem else 'stem'}.npz")
		if os.path.exists(path):
			F = PPMI.__new__(PPMI)
			z = np.load(path)
			F.U, F.S, F.keep, F.nnz = z["U"], z["S"], z["keep"], int(z["nnz"])
			F.V = len(F.keep)
			F.full2m = -np.ones(len(D.vocab), np.int64)
			F.full2m[F.keep] = np.arange(F.V)
	if F is None and a.lsi:
		F = LSI(D, a.min_df, max(a.k))
		print("(the document as the context: LSI)")
	elif F is None:
		F = PPMI(D, a.window, a.min_df, max(a.k))
		if a.cache and not a.lsi:
			os.makedirs(a.cache, exist_ok=True)
			np.savez(path, U=F.U, S=F.S, keep=F.keep, nnz=F.nnz)
	if a.lsi:
		print(f"LSI: min df {a.min_df}: {F.V} words, {F.nnz} cells, SVD at k {max(a.k)} ({time.time() - t0:.1f} s)")
	else:
		print(f"PPMI: window {a.window}, min df {a.min_df}: {F.V} words, {F.nnz} positive cells, "
		      f"SVD at k {max(a.k)} ({time.time() - t0:.1f} s)")
	if a.cv:
		cross_validate(D, F, runs, a)
		return
	for k in a.k:
		for p in a.p:
			for docw in a.docw:
				t1 = time.time()
				M = Model(D, F, k, p, docw, pc=not a.no_pc)
				print(f"\n== k {k}, p {p}, documents by {docw}" + (", common component kept" if a.no_pc else ""))
				measure(D, M, runs, a, bm, run_bm)
				print(f"({time.time() - t1:.1f} s)")
				sys.stdout.flush()


def per_query(D, run):
	r = {q: [(d, 0, s) for d, s in ds.items()] for q, ds in run.items()}
	return {q: v["nDCG@10"] for q, v in D.ev.evaluate(D.qrels, r)[1].items()}


def cross_validate(D, F, runs, a):
	"""Choose (k, p, w, fusion) on some queries, score it on the others: the
	halves both ways, then --cv folds (query i in fold i mod N), each chosen
	on the other folds. Prints each choice's gain over hybrid on the queries
	it was not chosen on."""
	base = per_query(D, runs["hybrid"])
	qs = [q for q in D.q_ids if q in base]
	grid = {}
	for k in a.k:
		for p in a.p:
			for docw in a.docw:
				M = Model(D, F, k, p, docw, pc=not a.no_pc)
				Q = np.stack([M.query_vec(t) for t in D.q_tok])
				run_m = top_run(D, Q @ M.docs.T)
				for w in a.weights:
					r = per_query(D, fuse([runs["hybrid"], run_m], [1 - w, w]))
					grid[(k, p, docw, w)] = np.array([r[q] - base[q] for q in qs])
	print(f"{len(grid)} settings (third list), {len(qs)} queries")
	def choose(mask):
		return max(grid, key=lambda g: grid[g][mask].mean())
	idx = {q: i for i, q in enumerate(D.q_ids)}
	pos = np.array([idx[q] for q in qs])
	for h in (0, 1):
		on = np.isin(qs, list(D.halves[h]))
		g = choose(on)
		print(f"chosen on half {h}: k {g[0]} p {g[1]} {g[2]} w {g[3]}: +{grid[g][on].mean():.4f} there, "
		      f"{grid[g][~on].mean():+.4f} on half {1 - h}")
	held = np.zeros(len(qs))
	for f in range(a.cv):
		test = pos % a.cv == f
		g = choose(~test)
		held[test] = grid[g][test]
		print(f"fold {f}: chosen k {g[0]} p {g[1]} {g[2]} w {g[3]} (+{grid[g][~test].mean():.4f} on the rest), "
		      f"{grid[g][test].mean():+.4f} on the fold ({test.sum()} queries)")
	rng = np.random.default_rng(1)
	bs = [rng.choice(held, len(held)).mean() for _ in range(2000)]
	print(f"{a.cv}-fold held-out gain over hybrid: {held.mean():+.4f} (bootstrap 95% "
	      f"[{np.percentile(bs, 2.5):+.4f}, {np.percentile(bs, 97.5):+.4f}]); up on {(held > 1e-9).sum()}, "
	      f"down on {(held < -1e-9).sum()} queries")


def measure(D, M, runs, a, bm, run_bm):
	Q = np.stack([M.query_vec(t) for t in D.q_tok])
	S = Q @ M.docs.T
	run_m = top_run(D, S)
	print(f"(a) model alone   {fmt(D.score(run_m))}")
	for w in a.weights:
		print(f"(b) hybrid + {w:.2f} model   {fmt(D.score(fuse([runs['hybrid'], run_m], [1 - w, w])))}")
	# the model's own score for every document of hybrid's list (standardised
	# by its top 100's mean and spread): what Quire could compute for its
	# candidates without a scan of its own
	pos = {d: i for i, d in enumerate(D.doc_ids)}
	for w in a.weights:
		out = {}
		for qi, q in enumerate(D.q_ids):
			h = runs['hybrid'].get(q, {})
			if not h:
				continue
			zh, _ = zs(h)
			top = np.sort(S[qi])[-100:]
			mu, sd = top.mean(), top.std() or 1.0
			out[q] = {d: (1 - w) * z + w * (S[qi, pos[d]] - mu) / sd for d, z in zh.items()}
		print(f"(b) hybrid's list rescored, + {w:.2f} model   {fmt(D.score(out))}")
	# the model beside lexical features: a tf-idf cosine (every word, the
	# same tokens) plus lambda times the model's cosine, as one vector side
	if not hasattr(D, "lex"):
		N = len(D.doc_ids)
		idf = np.log(N / np.maximum(D.df, 1))
		X = D.tf.multiply(idf[None, :]).tocsr()
		nrm = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
		X = sp.diags(1 / np.maximum(nrm, 1e-12)) @ X
		rows, cols, vals = [], [], []
		for qi, t in enumerate(D.q_tok):
			for w, c in collections.Counter(t).items():
				if w in D.vocab:
					rows.append(qi); cols.append(D.vocab[w]); vals.append(c * idf[D.vocab[w]])
		Ql = sp.csr_matrix((vals, (rows, cols)), shape=(len(D.q_ids), X.shape[1]))
		nq = np.sqrt(np.asarray(Ql.multiply(Ql).sum(1)).ravel())
		Ql = sp.diags(1 / np.maximum(nq, 1e-12)) @ Ql
		D.lex = np.asarray((Ql @ X.T).todense())
		print(f"(a) tf-idf cosine alone   {fmt(D.score(top_run(D, D.lex)))}")
	for lam in a.lam:
		run_l = top_run(D, D.lex + lam * S)
		print(f"(a) tf-idf cosine + {lam} model   {fmt(D.score(run_l))}")
		for w in a.weights:
			print(f"(b) hybrid + {w:.2f} (tf-idf + {lam} model)   {fmt(D.score(fuse([runs['hybrid'], run_l], [1 - w, w])))}")
	if a.quick:
		return
	for w in (0.2, 0.3, 0.4):
		print(f"(b) keyword + {w:.2f} model (no feedback)   "
		      f"{fmt(D.score(fuse([runs['keyword'], run_m], [1 - w, w])))}")
	# the model's query vector plus the vector of keyword's first hit
	# (Quire's one-chunk vector feedback)
	F = np.stack([M.docs[pos[max(runs['keyword'][q], key=runs['keyword'][q].get)]]
	              if runs['keyword'].get(q) else np.zeros(M.docs.shape[1], np.float32) for q in D.q_ids])
	run_mf = top_run(D, M.unit(Q + F) @ M.docs.T)
	print(f"(a') model + feedback  {fmt(D.score(run_mf))}")
	for w in (0.2, 0.3, 0.4):
		print(f"(b) keyword + {w:.2f} model with feedback   "
		      f"{fmt(D.score(fuse([runs['keyword'], run_mf], [1 - w, w])))}")
	for w in a.weights:
		print(f"(b) hybrid + {w:.2f} model with feedback   "
		      f"{fmt(D.score(fuse([runs['hybrid'], run_mf], [1 - w, w])))}")
	# (c) query expansion through the offline BM25
	cache = {}
	for n in a.expand:
		for beta in a.beta:
			qws = []
			for t in D.q_tok:
				qw = collections.Counter(D.vocab[w] for w in t if w in D.vocab)
				for w in set(t):
					if w not in cache:
						cache[w] = M.neighbours(w, max(a.expand))
					for nb, s in cache[w][:n]:
						if s > 0:
							qw[D.vocab[nb]] += beta * s
				qws.append(dict(qw))
			run_x = top_run(D, bm.scores(qws))
			print(f"(c) BM25 + {n} neighbours x {beta}   {fmt(D.score(run_x))}")
	for w in (0.2, 0.3, 0.4):
		print(f"(c) offline BM25 + {w:.2f} model   {fmt(D.score(fuse([run_bm, run_m], [1 - w, w])))}")


if __name__ == "__main__":
	main()
