#!/usr/bin/python3
"""Reference values for DriftIT: two days of iris-like features, the second with petal_length_cm
shifted by half its standard deviation, and the PSI and KS of each feature computed here with numpy,
independently of the Java code, from the same definition of the bins.

The bins are defined as annscore defines them (README, "Profiles and drift"): a bottom-k sample of
the rows (k = 1024; row i of partition 0 has the priority SplitMix64(i) >> 1, the k smallest are
kept), the i/10 quantiles of the sample (its floor(i*k/10)-th smallest value, i = 1..9, repeats
dropped) as inner edges; a value's bin is the number of edges <= it. PSI = sum (q - p) ln(q / p)
over the bins, shares raised to at least 1e-4; KS = the largest gap of the cumulative shares.

Run with /usr/bin/python3 (Debian's numpy); writes src/test/resources/drift/{day1,day2}.csv and
expected.json. The build never runs this script; its outputs are committed.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "drift")
FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
MEANS = np.array([0.0, 0.5, -0.3, 0.2])
STDS = np.array([1.0, 0.8, 1.2, 0.6])
SHIFTED = 2  # petal_length_cm
N = 4000
K = 1024
BINS = 10
MASK = (1 << 64) - 1


def splitmix64(key):
    z = (key + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return (z ^ (z >> 31)) >> 1


def sample_rows(n):
    priorities = [splitmix64(i) for i in range(n)]  # partition 0: key = 0 << 40 | i
    return np.argsort(np.array(priorities, dtype=np.uint64), kind="stable")[:K]


def edges_of(values):
    s = np.sort(values)
    e = []
    for i in range(1, BINS):
        q = s[(i * len(s)) // BINS]
        if not e or q > e[-1]:
            e.append(q)
    return np.array(e)


def hist(values, edges):
    return np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)


def psi(ref, run):
    p = np.maximum(ref / ref.sum(), 1e-4)
    q = np.maximum(run / run.sum(), 1e-4)
    return float(np.sum((q - p) * np.log(q / p)))


def ks(ref, run):
    return float(np.max(np.abs(np.cumsum(run) / run.sum() - np.cumsum(ref) / ref.sum())))


def write_csv(path, x):
    with open(path, "w") as f:
        f.write("id," + ",".join(FEATURES) + "\n")
        for i, row in enumerate(x):
            f.write(str(i + 1) + "," + ",".join(repr(float(v)) for v in row) + "\n")


def main():
    rng = np.random.default_rng(16)
    day1 = MEANS + STDS * rng.standard_normal((N, 4))
    day2 = MEANS + STDS * rng.standard_normal((N, 4))
    day2[:, SHIFTED] += 0.5 * STDS[SHIFTED]
    os.makedirs(OUT, exist_ok=True)
    write_csv(os.path.join(OUT, "day1.csv"), day1)
    write_csv(os.path.join(OUT, "day2.csv"), day2)
    # the CSV holds the shortest repr of each double: read back, the values are the same doubles
    chosen = sample_rows(N)
    expected = {"rows": N, "sample_rows": K, "bins": BINS, "shifted": FEATURES[SHIFTED], "features": {}}
    for j, name in enumerate(FEATURES):
        edges = edges_of(day1[chosen, j])
        ref_sample = hist(day1[chosen, j], edges)   # day 1 as a run: its histogram is its sample's
        ref_full = hist(day1[:, j], edges)          # day 1 through ./submit.sh profile: every row counted
        run2 = hist(day2[:, j], edges)
        expected["features"][name] = {
            "edges": [float(v) for v in edges],
            "day1_sample_counts": [int(v) for v in ref_sample],
            "day1_counts": [int(v) for v in ref_full],
            "day2_counts": [int(v) for v in run2],
            "psi_vs_run": psi(ref_sample, run2),
            "ks_vs_run": ks(ref_sample, run2),
            "psi_vs_profile": psi(ref_full, run2),
            "ks_vs_profile": ks(ref_full, run2),
            "day1_mean": float(day1[:, j].mean()),
            "day1_std": float(day1[:, j].std()),
        }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    for name, v in expected["features"].items():
        print(f"{name:16s} psi vs run {v['psi_vs_run']:.6f}  vs profile {v['psi_vs_profile']:.6f}")


if __name__ == "__main__":
    main()
