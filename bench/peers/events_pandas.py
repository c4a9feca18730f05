"""Peer for bench/data-prep.bench.ts: the same event aggregation in pandas, timed after the CSV is loaded.

Usage: events_pandas.py EVENTS_CSV HALF_LIFE_SECONDS KCORE
Prints one JSON line per measurement (seconds).
"""
import json
import sys
import time

import numpy as np
import pandas as pd

path, half_life, kcore = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
df = pd.read_csv(path, dtype={"user_id": str, "item_id": str, "event": str, "timestamp": np.float64, "session_id": str})
n = len(df)

REPEATS = 5


def timed(fn):
    """Median and min seconds over REPEATS runs, and the last result."""
    times = []
    out = None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return out, times[REPEATS // 2], times[0]


def aggregate():
    weights = df["event"].map({"view": 1.0, "cart": 3.0, "purchase": 5.0})
    ref = df["timestamp"].max()
    w = weights * np.power(0.5, (ref - df["timestamp"]) / half_life)
    frame = pd.DataFrame({"user_id": df["user_id"], "item_id": df["item_id"], "w": w})
    return frame.groupby(["user_id", "item_id"], sort=False)["w"].sum().reset_index()


def kcore_filter(cur):
    while True:
        uc = cur.groupby("user_id")["item_id"].transform("size")
        ic = cur.groupby("item_id")["user_id"].transform("size")
        nxt = cur[(uc >= kcore) & (ic >= kcore)]
        if len(nxt) == len(cur):
            return cur
        cur = nxt


agg, med, mn = timed(aggregate)
print(json.dumps({"bench": "events-aggregate", "impl": "pandas", "events": n, "pairs": len(agg), "seconds": med, "min": mn}))
core, med, mn = timed(lambda: kcore_filter(agg))
print(json.dumps({"bench": "kcore", "impl": "pandas", "k": kcore, "pairs": len(core), "seconds": med, "min": mn}))
