"""Peer for bench/kernels.bench.ts: NumPy matrix products (Debian's numpy on OpenBLAS) for the same shapes.

Usage: python3 bench/peers/gemm.py '<json list of {m,k,n,transB,dtype}>' MIN_SECONDS
Thread count comes from OPENBLAS_NUM_THREADS (set by the caller). Prints one JSON line per shape, with GFLOP/s
from wall-clock time and from process CPU time (best of 5 rounds each).
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
        best = best_cpu = float("inf")
        for _ in range(5):
            reps = 0
            c0 = time.process_time()
            t0 = time.perf_counter()
            while True:
                op()
                reps += 1
                t = time.perf_counter() - t0
                if t >= min_s / 5:
                    break
            best = min(best, t / reps)
            best_cpu = min(best_cpu, (time.process_time() - c0) / reps)
        flop = 2.0 * s["m"] * s["n"] * s["k"]
        # best of 5 rounds, like the TypeScript side
        print(json.dumps({"label": s["label"], "gflops": flop / (best * 1e9), "gflopsCpu": flop / (best_cpu * 1e9), "ms": best * 1000, "numpy": np.__version__}), flush=True)


if __name__ == "__main__":
    main()
