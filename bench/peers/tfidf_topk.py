"""Peer for bench/content.bench.ts: scikit-learn TfidfVectorizer(stop_words='english') + cosine_similarity + top-10
neighbours of every document (itself excluded), in row chunks (a dense n x n matrix does not fit for 100k documents).

Usage: /usr/bin/python3 bench/peers/tfidf_topk.py DOCS.json K OUT.json [MAX_ROWS]
DOCS.json is a JSON list of strings. Prints one JSON line with timings; writes the top-k indices of the first rows to
OUT.json for the agreement check. MAX_ROWS (optional) limits the rows whose neighbours are computed (all of X is still
fitted and used as candidates); the JSON line says how many rows were done.
"""
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

docs = json.load(open(sys.argv[1], encoding='utf-8'))
k = int(sys.argv[2])
out_path = sys.argv[3]
max_rows = int(sys.argv[4]) if len(sys.argv) > 4 else len(docs)

t0 = time.perf_counter()
X = TfidfVectorizer(stop_words='english').fit_transform(docs)
t1 = time.perf_counter()
n = X.shape[0]
rows = min(n, max_rows)
chunk = max(1, min(2048, int(2e8 // (8 * n))))
top = np.empty((rows, k), dtype=np.int64)
for s in range(0, rows, chunk):
    e = min(rows, s + chunk)
    S = cosine_similarity(X[s:e], X)  # dense (e-s) x n block
    S[np.arange(e - s), np.arange(s, e)] = -np.inf
    part = np.argpartition(-S, k, axis=1)[:, :k]
    vals = np.take_along_axis(S, part, axis=1)
    order = np.argsort(-vals, axis=1, kind='stable')
    top[s:e] = np.take_along_axis(part, order, axis=1)
t2 = time.perf_counter()
json.dump(top[: min(rows, 20000)].tolist(), open(out_path, 'w'))
print(json.dumps({'peer': 'scikit-learn', 'n': n, 'vocab': X.shape[1], 'nnz': int(X.nnz), 'rows_done': rows,
                  'fit_s': t1 - t0, 'topk_s': t2 - t1, 'total_s': t2 - t0, 'chunk': chunk}))
