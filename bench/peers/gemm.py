"""Peer for bench/kernels.bench.ts: NumPy matrix products (Debian's numpy on OpenBLAS) for the same shapes.

Usage: python3 bench/peers/gemm.py '<json list of {m,k,n,transB,dtype}>' MIN_SECONDS
Thread count comes from OPENBLAS_NUM_THREADS (set by the caller). Prints one JSON line per shape.
"""
import json
import sys
import time

import numpy as np


def main() -> None:
    shapes = json.loads(sys.argv[1])
    min_s = float(sys.argv[2])
    rng = np.random.default_rng(2026)
    for s in shapes:
        dt = np.float32 if s["dtype"] == "f32" else np.float64
        a = rng.standard_normal((s["m"], s["k"])).astype(dt)
        b = rng.standard_normal((s["n"], s["k"]) if s["transB"] else (s["k"], s["n"])).astype(dt)
        op = (lambda: a @ b.T) if s["transB"] else (lambda: a @ b)
        op()
        reps = 0
        t0 = time.perf_counter()
        while True:
            op()
            reps += 1
            t = time.perf_counter() - t0
            if t >= min_s and reps >= 2:
                break
        flop = 2.0 * s["m"] * s["n"] * s["k"]
        print(json.dumps({"label": s["label"], "gflops": flop * reps / (t * 1e9), "ms": t * 1000 / reps, "numpy": np.__version__}), flush=True)


if __name__ == "__main__":
    main()
