#!/usr/bin/python3
"""The query reference: the original Python pipeline (numpy and Pillow) that imgsearch replaces, in one process.

pixels-l1: decode the query with Pillow, resize it to SIZE x SIZE RGB (Pillow's default filter), then L1
  distances to every database image, held as one uint8 array (N x SIZE*SIZE*3) built before timing. The
  notebooks compute `np.sum(np.abs(data - query))` on uint8, which wraps around below zero; this computes
  the true L1 the same way in uint8 (max - min), then sums.
hsv-chi2: decode the query, convert it to HSV, histogram it over four corners and a central ellipse with
  8 x 12 x 3 bins per region (pyimagesearch's colour descriptor, as imgsearch's hsv-hist), normalised per
  region, then chi-squared distances 0.5 sum (a-b)^2 / (a+b+eps) to every database histogram (float32).

Each query is timed from reading its file to the sorted top k. Prints one JSON line:
{"method", "database", "queries", "meanMs", "p50Ms", "p95Ms", "buildSeconds", "numpy", "pillow"}.

    /usr/bin/python3 bench/reference_query.py --method pixels-l1 --database DB_LIST --queries QUERY_LIST
"""
import argparse
import json
import time

import numpy as np
from PIL import Image

HUE_BINS, SATURATION_BINS, VALUE_BINS, REGIONS = 8, 12, 3, 5
BINS = HUE_BINS * SATURATION_BINS * VALUE_BINS


def pixels(path, size):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB").resize((size, size)), dtype=np.uint8).reshape(-1)


def regions(width, height):
    """Region of each pixel: 0-3 the corners (top-left, top-right, bottom-right, bottom-left), 4 the ellipse."""
    y, x = np.mgrid[0:height, 0:width]
    dx = (x + 0.5 - width / 2.0) / (0.375 * width)
    dy = (y + 0.5 - height / 2.0) / (0.375 * height)
    left, top = x < width // 2, y < height // 2
    corner = np.where(top, np.where(left, 0, 1), np.where(left, 3, 2))
    return np.where(dx * dx + dy * dy <= 1, 4, corner)


def hsv_histogram(path):
    with Image.open(path) as image:
        hsv = np.asarray(image.convert("RGB").convert("HSV"), dtype=np.uint16)
    height, width = hsv.shape[:2]
    bins = ((hsv[..., 0] * HUE_BINS >> 8) * SATURATION_BINS + (hsv[..., 1] * SATURATION_BINS >> 8)) * VALUE_BINS \
        + (hsv[..., 2] * VALUE_BINS >> 8)
    counts = np.bincount((regions(width, height) * BINS + bins).ravel(), minlength=REGIONS * BINS)
    counts = counts.reshape(REGIONS, BINS).astype(np.float32)
    return (counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)).reshape(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["pixels-l1", "hsv-chi2"], required=True)
    parser.add_argument("--database", required=True, help="file with one image path a line")
    parser.add_argument("--queries", required=True, help="file with one image path a line")
    parser.add_argument("--size", type=int, default=224, help="pixels: side length (default 224)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3, help="untimed queries first")
    args = parser.parse_args()
    database = [line.rstrip("\n") for line in open(args.database) if line.strip()]
    queries = [line.rstrip("\n") for line in open(args.queries) if line.strip()]

    start = time.perf_counter()
    if args.method == "pixels-l1":
        db = np.stack([pixels(p, args.size) for p in database])

        def search(path):
            q = pixels(path, args.size)
            distances = (np.maximum(db, q) - np.minimum(db, q)).sum(axis=1, dtype=np.uint32)
            return top(distances)
    else:
        db = np.stack([hsv_histogram(p) for p in database])

        def search(path):
            q = hsv_histogram(path)
            d = db - q
            distances = 0.5 * (d * d / (db + q + 1e-10)).sum(axis=1)
            return top(distances)

    def top(distances):
        k = min(args.k, len(distances))
        best = np.argpartition(distances, k - 1)[:k]
        return best[np.argsort(distances[best], kind="stable")]

    build_seconds = time.perf_counter() - start
    for path in queries[:args.warmup]:
        search(path)
    millis = []
    for path in queries:
        t = time.perf_counter()
        search(path)
        millis.append((time.perf_counter() - t) * 1000)
    ordered = sorted(millis)
    print(json.dumps({
        "method": args.method, "database": len(database), "queries": len(queries),
        "meanMs": sum(millis) / len(millis), "p50Ms": ordered[len(ordered) // 2],
        "p95Ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], "buildSeconds": build_seconds,
        "numpy": np.__version__, "pillow": Image.__version__,
    }))


if __name__ == "__main__":
    main()
