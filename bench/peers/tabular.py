"""Peer side of bench/tabular.bench.ts (scikit-learn 1.2.1 and XGBoost 1.7.4 from Debian, /usr/bin/python3).

  tabular.py generate OUT.csv [ROWS]        make_classification(ROWS=100000, 30 features, 15 informative, seed 0)
  tabular.py synthetic CSV THREADS [MODELS]  first 80% rows train, last 20% test; prints one JSON line per model
                                            (MODELS: comma-separated subset of logistic,forest,histgb,xgboost)
  tabular.py telco CSV FOLDS.json THREADS    5-fold AUC on the given fold assignment (one fold id per row)

Every result is one JSON line: {"side": "peer", "model", "fit_s", "predict_s", "auc", ...}.
"""
import json
import os
import sys
import time

import numpy as np


def emit(**kw):
    kw["side"] = "peer"
    print(json.dumps(kw), flush=True)


def generate(out, rows):
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=rows, n_features=30, n_informative=15, random_state=0)
    header = ",".join([f"f{j}" for j in range(30)] + ["target"])
    np.savetxt(out, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt=["%.9g"] * 30 + ["%d"])


def models(threads):
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from xgboost import XGBClassifier
    return [
        ("logistic", lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))),
        ("forest", lambda: RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=0)),
        ("histgb", lambda: HistGradientBoostingClassifier(random_state=0)),
        ("xgboost", lambda: XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1, tree_method="hist", n_jobs=threads, random_state=0)),
    ]


def synthetic(path, threads, only=None):
    from sklearn.metrics import roc_auc_score
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1].astype(int)
    ntr = int(len(y) * 0.8)
    for name, make in models(threads):
        if only is not None and name not in only:
            continue
        m = make()
        c0 = time.process_time()
        t0 = time.perf_counter()
        m.fit(X[:ntr], y[:ntr])
        t1 = time.perf_counter()
        cpu = time.process_time() - c0
        p = m.predict_proba(X[ntr:])[:, 1]
        t2 = time.perf_counter()
        emit(task="synthetic", model=name, threads=threads, fit_s=t1 - t0, fit_cpu_s=cpu, predict_s=t2 - t1, auc=roc_auc_score(y[ntr:], p))


def telco(path, folds_path, threads):
    import pandas as pd
    from sklearn.metrics import roc_auc_score
    df = pd.read_csv(path)
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
    df["TotalCharges"] = df["TotalCharges"].fillna(0.0)
    y = (df.pop("Churn") == "Yes").astype(int).values
    df = df.drop(columns=["customerID"])
    X = pd.get_dummies(df, dtype=float).values
    folds = np.array(json.load(open(folds_path)))
    for name, make in models(threads):
        aucs, fits = [], []
        for k in range(folds.max() + 1):
            tr, te = folds != k, folds == k
            m = make()
            t0 = time.perf_counter()
            m.fit(X[tr], y[tr])
            fits.append(time.perf_counter() - t0)
            aucs.append(roc_auc_score(y[te], m.predict_proba(X[te])[:, 1]))
        emit(task="telco", model=name, threads=threads, auc=float(np.mean(aucs)), auc_std=float(np.std(aucs)), folds=aucs, fit_s=float(np.mean(fits)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100000)
    elif cmd == "synthetic":
        synthetic(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2, sys.argv[4].split(",") if len(sys.argv) > 4 else None)
    elif cmd == "telco":
        telco(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 2)
    else:
        sys.exit(f"unknown command {cmd}")
