"""Microsoft Recommenders' ml-100k splits, run with real pandas / numpy / scikit-learn, to check Reckon's protocols.

Re-implemented from a reading of recommenders-team/recommenders (the package cannot be installed here):
- `stratified` : python_stratified_split(data, ratio=0.75, seed=42) as in reco_utils up to 2021 (the version behind
  the published SAR row: its quick-start notebook prints 74,992 train / 25,008 test ratings, which only this variant
  gives). Per user (groupby keeps file order inside a group), `group.sample(frac=1, random_state=seed)` and
  `np.split` at `round(0.75 * len(group))` (Python round, halves to even); the first part is train.
- `stratified-v2`: the later rewrite (recommenders >= 1.0): `np.random.seed(seed)`, one `np.random.rand` per row in
  file order, sort by (user, random), train = rows whose within-user rank / count <= 0.75.
- `random`      : python_random_split(data, 0.75, seed) = sklearn train_test_split(train_size=0.75, random_state=seed).

Usage: /usr/bin/python3 bench/peers/msr_split.py [stratified|stratified-v2|random] [SEED] [PATH/u.data]
Prints one JSON line: counts, then `testRows`, the 0-based line numbers in u.data of the held-out ratings, ascending.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

COLS = ["userID", "itemID", "rating", "timestamp"]


def load(path):
    # movielens.load_pandas_df reads u.data with sep="\t" and no header, in file order
    return pd.read_csv(path, sep="\t", header=None, names=COLS)


def stratified(data, ratio, seed):
    parts = []
    for _, group in data.groupby("userID"):
        shuffled = group.sample(frac=1, random_state=seed)
        cut = round(ratio * len(shuffled))
        train, test = shuffled.iloc[:cut].copy(), shuffled.iloc[cut:].copy()
        train["split_index"], test["split_index"] = 0, 1
        parts.append(pd.concat([train, test]))
    both = pd.concat(parts)
    return both[both["split_index"] == 0], both[both["split_index"] == 1]


def stratified_v2(data, ratio, seed):
    data = data.copy()
    np.random.seed(seed)
    data["random"] = np.random.rand(data.shape[0])
    data = data.sort_values(["userID", "random"])
    groups = data.groupby("userID")
    data["count"] = groups["userID"].transform("count")
    data["rank"] = (groups.cumcount() + 1) / data["count"]
    return data[data["rank"] <= ratio], data[(data["rank"] > ratio) & (data["rank"] <= 1.0)]


def random_split(data, ratio, seed):
    return train_test_split(data, test_size=None, train_size=ratio, random_state=seed)


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "stratified"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    path = sys.argv[3] if len(sys.argv) > 3 else "/work/shared/data/ml-100k/u.data"
    data = load(path)
    fn = {"stratified": stratified, "stratified-v2": stratified_v2, "random": random_split}[kind]
    train, test = fn(data, 0.75, seed)
    rows = sorted(int(i) for i in test.index)
    print(json.dumps({
        "split": kind,
        "seed": seed,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "trainRatings": int(len(train)),
        "testRatings": int(len(test)),
        "testUsers": int(test["userID"].nunique()),
        "testRows": rows,
    }))


if __name__ == "__main__":
    main()
