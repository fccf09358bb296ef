#!/usr/bin/python3
"""hnswlib on the same kNN files as `imgsearch bench knn`: the reference its figures are compared with.

Builds an hnswlib index (inner product, M=16, efConstruction=100 by default) over BASE.fvecs on
--threads threads, then searches QUERIES.fvecs from one thread, raising ef along the same ladder as
`imgsearch bench knn` until recall@k against TRUTH.ivecs reaches --target-recall. Prints one line per
ef tried and, last, one JSON object.

Run it with Debian's Python, which has the python3-hnswlib and python3-numpy packages:
    /usr/bin/python3 bench/hnswlib_knn.py --base B.fvecs --queries Q.fvecs --truth T.ivecs
"""
import argparse
import json
import os
import platform
import resource
import sys
import time

import hnswlib
import numpy as np

# The same search-effort ladder as imgsearch's bench knn (KnnBench.LADDER).
LADDER = [10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 400, 500, 700, 1000,
          1500, 2000]
PASSES = 3


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    if raw.size == 0:
        sys.exit(f"{path} is empty")
    dim = int(raw[0])
    if dim <= 0 or raw.size % (dim + 1) != 0:
        sys.exit(f"{path} is not a .fvecs/.ivecs file of fixed dimension")
    rows = raw.reshape(-1, dim + 1)
    if not (rows[:, 0] == dim).all():
        sys.exit(f"{path}: rows of different dimensions")
    return np.ascontiguousarray(rows[:, 1:]).view(dtype)


def recall_at(k, found, truth):
    hits = 0
    for row, true in zip(found, truth):
        hits += len(set(row[:k].tolist()) & set(true[:k].tolist()))
    return hits / (k * len(truth))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="vectors to index (.fvecs)")
    p.add_argument("--queries", required=True, help="query vectors (.fvecs)")
    p.add_argument("--truth", required=True, help="exact neighbours of each query, best first (.ivecs)")
    p.add_argument("-k", type=int, default=10, help="neighbours per query (default 10)")
    p.add_argument("--target-recall", type=float, default=0.95, help="stop raising ef at this recall@k (default 0.95)")
    p.add_argument("--m", type=int, default=16, help="graph degree M (default 16)")
    p.add_argument("--ef-construction", type=int, default=100, help="efConstruction (default 100)")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="build threads (default: cores); search uses one")
    p.add_argument("--max-queries", type=int, default=0, help="use only the first N queries (default all)")
    p.add_argument("--index-file", help="load the hnswlib index from this file when it exists (no build); "
                   "else build it and save it there")
    a = p.parse_args()

    base = read_vecs(a.base, np.float32)
    queries = read_vecs(a.queries, np.float32)
    truth = read_vecs(a.truth, np.int32)
    if a.max_queries:
        queries, truth = queries[:a.max_queries], truth[:a.max_queries]
    if len(queries) != len(truth):
        sys.exit(f"{len(queries)} queries but {len(truth)} rows of ground truth")
    n, dim = base.shape
    print(f"hnswlib: {n} x {dim}, {len(queries)} queries, M={a.m}, efConstruction={a.ef_construction}, "
          f"build on {a.threads} threads; Python {platform.python_version()}", flush=True)

    start = time.perf_counter()
    index = hnswlib.Index(space="ip", dim=dim)
    if a.index_file and os.path.exists(a.index_file):
        index.load_index(a.index_file, max_elements=n)
        build = None
        print(f"loaded {a.index_file} (built by an earlier run) in {time.perf_counter() - start:.1f} s", flush=True)
    else:
        index.init_index(max_elements=n, ef_construction=a.ef_construction, M=a.m)
        index.add_items(base, np.arange(n), num_threads=a.threads)
        build = time.perf_counter() - start
        print(f"built in {build:.1f} s", flush=True)
        if a.index_file:
            index.save_index(a.index_file)
    del base

    index.set_num_threads(1)
    result = None
    for ef in [e for e in LADDER if e >= a.k]:
        index.set_ef(ef)
        index.knn_query(queries[: min(200, len(queries))], k=a.k, num_threads=1)  # warm-up
        # The fastest of PASSES passes, as imgsearch's bench knn does: other processes only slow a pass down.
        seconds = per_call = float("inf")
        for _ in range(PASSES):
            t = time.perf_counter()
            labels, _ = index.knn_query(queries, k=a.k, num_threads=1)
            seconds = min(seconds, time.perf_counter() - t)
            # The same queries one call at a time, as a server would send them (adds Python's per-call cost).
            t = time.perf_counter()
            for q in queries:
                index.knn_query(q.reshape(1, -1), k=a.k, num_threads=1)
            per_call = min(per_call, time.perf_counter() - t)
        recall = recall_at(a.k, labels, truth)
        qps, qps_call = len(queries) / seconds, len(queries) / per_call
        print(f"ef={ef:5d}  recall@{a.k}={recall:.4f}  qps={qps:8.1f}  (one call per query: {qps_call:8.1f})",
              flush=True)
        result = {"engine": "hnswlib", "n": n, "dim": dim, "M": a.m, "efConstruction": a.ef_construction,
                  "buildSeconds": None if build is None else round(build, 1), "buildThreads": a.threads, "ef": ef,
                  f"recall@{a.k}": round(recall, 4), "qps": round(qps, 1), "qpsOneCallPerQuery": round(qps_call, 1),
                  "queries": len(queries), "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "reachedTarget": recall >= a.target_recall}
        if recall >= a.target_recall:
            break
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
