#!/usr/bin/python3
"""The ingest reference: libjpeg-turbo (through Debian's python3-pil) decoding every file at full size.

Decodes each file of a list (one path a line, from a file or stdin) fully, in N worker processes, and
prints one JSON line: {"images", "failed", "seconds", "imagesPerSecond", "cpuSeconds", "processes", "pillow",
"libjpeg"}; cpuSeconds is the CPU time of the decoding processes (user + system), which other work on the
machine does not inflate the way it inflates wall-clock time.
The clock starts once the workers are up, so interpreter start-up is not counted: the figure is the
decoder's own rate, the limit an indexer that decodes every file at full size cannot beat.

    /usr/bin/python3 bench/reference_decode.py --processes 2 FILE_LIST
"""
import argparse
import json
import resource
import sys
import time
from multiprocessing import Pool

from PIL import Image, features


def decode(path):
    try:
        with Image.open(path) as image:
            image.load()  # the whole image, at full size (no draft mode, so no DCT scaling)
        return 1
    except Exception:
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="?", help="file with one image path a line (default: stdin)")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    stream = open(args.files) if args.files else sys.stdin
    paths = [line.rstrip("\n") for line in stream if line.strip()]
    pool = Pool(args.processes)
    pool.map(abs, range(args.processes * 4))  # the workers are started before the clock runs
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    decoded = sum(pool.imap_unordered(decode, paths, chunksize=8))
    seconds = time.perf_counter() - start
    pool.close()
    pool.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(json.dumps({
        "images": decoded, "failed": len(paths) - decoded, "seconds": seconds,
        "imagesPerSecond": decoded / seconds if seconds > 0 else 0, "cpuSeconds": cpu, "processes": args.processes,
        "pillow": Image.__version__, "libjpeg": features.version("jpg"),
    }))


if __name__ == "__main__":
    main()
