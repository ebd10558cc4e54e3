#!/usr/bin/env python3
"""Reference values of annscore's metrics, computed with scikit-learn (and numpy where a metric is
Spark MLlib's and not scikit-learn's), on the oracle fixtures' labels (data.csv) and reference
outputs (expected.csv), unweighted and weighted, and on a saturated-score case generated here.

The build never runs this script; it reads what the script wrote. Re-run it after changing a case:

    /usr/bin/python3 src/test/python/metrics_reference.py     # Debian's python3-sklearn (1.2.1)

It writes src/test/resources/metrics/reference.json and saturated.csv. The weight of a row is
weight(id) = (id * 37 mod 11) / 3: values from 0 to 10/3, a few of them 0.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as skm
from sklearn.metrics._ranking import _binary_clf_curve

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FIXTURES = os.path.join(ROOT, "src", "test", "resources", "fixtures")
OUT = os.path.join(ROOT, "src", "test", "resources", "metrics")
THRESHOLDS = [0.1, 0.3, 0.7]
TOP_K = 2
EPS = 1e-15


def weight(ids):
    return (ids * 37 % 11) / 3.0


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    return header, rows


def load_case(name):
    case = json.load(open(os.path.join(FIXTURES, name, "case.json")))
    header, rows = read_csv(os.path.join(FIXTURES, name, "data.csv"))
    label_col = header.index(case["label_columns"][0])
    labels = {int(r[0]): float(r[label_col]) for r in rows}
    eh, erows = read_csv(os.path.join(FIXTURES, name, "expected.csv"))
    outs = [i for i, c in enumerate(eh) if c.startswith("out_")]
    ids = np.array([int(r[0]) for r in erows])
    outputs = np.array([[float(r[i]) for i in outs] for r in erows])
    y = np.array([labels[i] for i in ids])
    return case["task"], ids, outputs, y


def nan_to_none(x):
    x = float(x)
    return None if np.isnan(x) else x


def pr_auc_mllib(y, p, w):
    """MLlib's areaUnderPR: trapezoids over (recall, precision) at every distinct threshold, from the
    highest down, preceded by (0, precision at the highest threshold)."""
    fps, tps, _ = _binary_clf_curve(y, p, sample_weight=w)  # distinct thresholds, descending, not truncated
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return float(skm.auc(np.concatenate([[0.0], recall]), np.concatenate([[precision[0]], precision])))


def binary(y, p, w):
    y = y.astype(int)
    pred = (p > 0.5).astype(int)
    m = {
        "mse": skm.mean_squared_error(y, p, sample_weight=w),
        "brier_score": skm.brier_score_loss(y, p, sample_weight=w),
        "mae": skm.mean_absolute_error(y, p, sample_weight=w),
        "binary_cross_entropy": skm.log_loss(y, np.clip(p, EPS, 1 - EPS), sample_weight=w, labels=[0, 1]),
        "roc_auc": skm.roc_auc_score(y, p, sample_weight=w),
        "average_precision": skm.average_precision_score(y, p, sample_weight=w),
        "pr_auc": pr_auc_mllib(y, p, w),
    }
    m.update(classifier(y, pred, w, 2))
    m["precision"] = skm.precision_score(y, pred, sample_weight=w, zero_division=0)
    m["recall"] = skm.recall_score(y, pred, sample_weight=w, zero_division=0)
    m["f1"] = skm.f1_score(y, pred, sample_weight=w, zero_division=0)
    m["specificity"] = skm.recall_score(y, pred, pos_label=0, sample_weight=w, zero_division=0)
    m["rmse"] = float(np.sqrt(m["mse"]))
    thresholds = []
    for t in THRESHOLDS:
        pt = (p > t).astype(int)
        thresholds.append({
            "threshold": t,
            "precision": skm.precision_score(y, pt, sample_weight=w, zero_division=0),
            "recall": skm.recall_score(y, pt, sample_weight=w, zero_division=0),
            "f1": skm.f1_score(y, pt, sample_weight=w, zero_division=0),
            "specificity": skm.recall_score(y, pt, pos_label=0, sample_weight=w, zero_division=0),
            "accuracy": skm.accuracy_score(y, pt, sample_weight=w),
        })
    return m, thresholds


def classifier(y, pred, w, k):
    m = {"accuracy": skm.accuracy_score(y, pred, sample_weight=w),
         "balanced_accuracy": skm.balanced_accuracy_score(y, pred, sample_weight=w)}
    for avg in ("macro", "weighted"):
        pr, rc, f1, _ = skm.precision_recall_fscore_support(y, pred, average=avg, sample_weight=w, zero_division=0)
        m[avg + "_precision"], m[avg + "_recall"], m[avg + "_f1"] = pr, rc, f1
    return m


def per_class(y, pred, w, k):
    pr, rc, f1, support = skm.precision_recall_fscore_support(
        y, pred, labels=list(range(k)), average=None, sample_weight=w, zero_division=0)
    cm = skm.confusion_matrix(y, pred, labels=list(range(k)), sample_weight=w)
    classes = [{"class": c, "support": float(cm[c].sum()), "precision": float(pr[c]), "recall": float(rc[c]),
                "f1": float(f1[c])} for c in range(k)]
    return classes, [[float(v) for v in row] for row in cm]


def multiclass(y, outputs, w):
    y = y.astype(int)
    k = outputs.shape[1]
    pred = outputs.argmax(axis=1)
    m = {"cross_entropy": skm.log_loss(y, np.clip(outputs, EPS, 1 - EPS), sample_weight=w, labels=list(range(k))),
         "top_k_accuracy": skm.top_k_accuracy_score(y, outputs, k=TOP_K, labels=list(range(k)), sample_weight=w)}
    m.update(classifier(y, pred, w, k))
    return m, k, pred


def regression(y, yhat, w):
    w_ = np.ones_like(y) if w is None else w
    ybar = np.average(y, weights=w_)
    return {
        "mse": skm.mean_squared_error(y, yhat, sample_weight=w),
        "rmse": float(np.sqrt(skm.mean_squared_error(y, yhat, sample_weight=w))),
        "mae": skm.mean_absolute_error(y, yhat, sample_weight=w),
        "r2": skm.r2_score(y, yhat, sample_weight=w),
        "explained_variance": skm.explained_variance_score(y, yhat, sample_weight=w),
        "explained_variance_mllib": float(np.average((yhat - ybar) ** 2, weights=w_)),
        "mape": skm.mean_absolute_percentage_error(y, yhat, sample_weight=w),
        # max_error takes no weights; over the rows of positive weight, as annscore's
        "max_error": skm.max_error(y[w_ > 0], yhat[w_ > 0]),
    }


def reference(task, ids, outputs, y, weighted):
    w = weight(ids) if weighted else None
    entry = {"task": task, "weighted": weighted, "rows": int(len(ids)),
             "weight_sum": float(len(ids) if w is None else w.sum())}
    if task == "regression":
        entry["metrics"] = regression(y, outputs[:, 0], w)
    elif task == "binary":
        p = outputs[:, -1]
        entry["metrics"], entry["thresholds"] = binary(y, p, w)
        entry["classes"], entry["confusion_matrix"] = per_class(y.astype(int), (p > 0.5).astype(int), w, 2)
    else:
        entry["metrics"], k, pred = multiclass(y, outputs, w)
        entry["top_k"] = TOP_K
        entry["classes"], entry["confusion_matrix"] = per_class(y.astype(int), pred, w, k)
    entry["metrics"] = {key: nan_to_none(v) for key, v in entry["metrics"].items()}
    return entry


def saturated_case():
    """Gaussian-naive-Bayes-like scores: most within 1e-12 of 0 or 1, the classes overlapping there."""
    rng = np.random.default_rng(20261201)
    n = 4000
    y = (rng.random(n) < 0.4).astype(int)
    # a log-odds far from 0 for most rows, sign mostly but not always the label's
    sign = np.where(rng.random(n) < 0.85, 2 * y - 1, 1 - 2 * y)
    logit = sign * rng.uniform(27.6, 34.0, n)          # |logit| ≥ 27.6: p within 1e-12 of 0 or 1
    middle = rng.random(n) < 0.05
    logit[middle] = rng.normal(0, 3, middle.sum())      # a few scores in between
    p = 1 / (1 + np.exp(-logit))
    ids = np.arange(1, n + 1)
    with open(os.path.join(OUT, "saturated.csv"), "w") as f:
        f.write("id,p,label\n")
        for i, pi, yi in zip(ids, p, y):
            f.write("%d,%s,%d\n" % (i, repr(float(pi)), yi))
    return ids, p.reshape(-1, 1), y.astype(float)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = {}
    for name in ["breast_cancer_logistic_binary", "iris_relu_multiclass", "torch_matmul_add_multiclass",
                 "diabetes_tanh_regression", "torch_mixed_activations_regression"]:
        task, ids, outputs, y = load_case(name)
        cases[name] = reference(task, ids, outputs, y, False)
        cases[name + "_weighted"] = reference(task, ids, outputs, y, True)
    ids, outputs, y = saturated_case()
    cases["saturated_binary"] = reference("binary", ids, outputs, y, False)
    cases["saturated_binary_weighted"] = reference("binary", ids, outputs, y, True)
    doc = {"generator": "src/test/python/metrics_reference.py", "scikit_learn": sklearn.__version__,
           "numpy": np.__version__, "thresholds": THRESHOLDS, "top_k": TOP_K,
           "weight": "(id * 37 mod 11) / 3", "cases": cases}
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
