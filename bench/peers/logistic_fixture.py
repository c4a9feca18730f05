"""Writes the reference fixture for Reckon's LogisticRegression / Ridge / Lasso tests.

Run: /usr/bin/python3 bench/peers/logistic_fixture.py > src/tabular/linear/fixtures/sklearn-linear.json
Uses Debian's python3-sklearn (1.2.1). Small data (60 rows x 3 features), so the JSON stays tiny.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge

warnings.filterwarnings("ignore")
rng = np.random.RandomState(7)
n, d = 60, 3
X = rng.normal(size=(n, d))
logit = 1.5 * X[:, 0] - 2.0 * X[:, 1] + 0.3 * X[:, 2] + 0.4 + rng.normal(scale=1.0, size=n)
y = (logit > 0).astype(int)
# three classes for the multinomial case
y3 = np.digitize(logit, [-1.0, 1.0])
yr = 2.0 * X[:, 0] - 1.0 * X[:, 1] + 0.5 + rng.normal(scale=0.3, size=n)

cases = []


def add(name, model, target, params):
    model.fit(X, target)
    cases.append({
        "name": name,
        "params": params,
        "target": name.split(":")[0],
        "coef": np.atleast_2d(model.coef_).tolist(),
        "intercept": np.atleast_1d(model.intercept_).tolist(),
    })


kw = dict(tol=1e-10, max_iter=100000)
add("binary:l2 C=1", LogisticRegression(C=1.0, solver="lbfgs", **kw), y, {"penalty": "l2", "regularization": 1.0})
add("binary:l2 C=0.1", LogisticRegression(C=0.1, solver="lbfgs", **kw), y, {"penalty": "l2", "regularization": 10.0})
add("binary:none", LogisticRegression(penalty=None, solver="lbfgs", **kw), y, {"penalty": "none"})
add("binary:l2 balanced", LogisticRegression(C=1.0, class_weight="balanced", solver="lbfgs", **kw), y,
    {"penalty": "l2", "regularization": 1.0, "classWeight": "balanced"})
add("binary:l1 C=0.2", LogisticRegression(penalty="l1", C=0.2, solver="saga", **kw), y, {"penalty": "l1", "regularization": 5.0})
add("binary:elasticnet C=0.3", LogisticRegression(penalty="elasticnet", l1_ratio=0.5, C=0.3, solver="saga", **kw), y,
    {"penalty": "elasticnet", "regularization": 1 / 0.3, "l1Ratio": 0.5})
add("multi:l2 C=1", LogisticRegression(C=1.0, multi_class="multinomial", solver="lbfgs", **kw), y3, {"penalty": "l2", "regularization": 1.0})
add("reg:linear", LinearRegression(), yr, {})
add("reg:ridge alpha=2", Ridge(alpha=2.0), yr, {"regularization": 2.0})
add("reg:lasso alpha=0.1", Lasso(alpha=0.1, tol=1e-12, max_iter=100000), yr, {"regularization": 0.1})

print(json.dumps({
    "sklearn": sklearn.__version__,
    "X": X.round(12).tolist(),
    "binary": y.tolist(),
    "multi": y3.tolist(),
    "reg": yr.round(12).tolist(),
    "cases": cases,
}))
