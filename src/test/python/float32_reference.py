#!/usr/bin/python3
"""PyTorch's float32 outputs for the clean oracle fixtures, for the float32 scorer's test.

For each fixture in src/test/resources/fixtures that has a clean data.csv, this builds the network
of its neutral dump (model.json) in PyTorch with float32 weights -- the float32 values its
model.onnx holds -- runs data.csv through it in float32 (inputs standardized in float32 first when
the dump has input_scaling, as the ONNX graph's Sub and Div do), and writes expected_float32.csv:
id, out_0..out_k (the last layer's activations, probabilities for classifiers, as float32 values
printed exactly with repr of the float64 they widen to).

Run from the repository root with Debian's python3-torch (1.13):  /usr/bin/python3 src/test/python/float32_reference.py
The outputs are committed; the build never runs this.
"""
import csv
import json
import os

import torch

FIXTURES = "src/test/resources/fixtures"
CASES = ["breast_cancer_logistic_binary", "diabetes_tanh_regression", "iris_relu_multiclass",
         "torch_matmul_add_multiclass", "torch_mixed_activations_regression"]


def activation(name, params, z):
    params = params or {}
    if name == "identity":
        return z
    if name == "relu":
        return torch.relu(z)
    if name == "logistic":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "softmax":
        return torch.softmax(z, dim=1)
    if name == "elu":
        return torch.nn.functional.elu(z, alpha=params.get("alpha", 1.0))
    if name == "leaky_relu":
        return torch.nn.functional.leaky_relu(z, negative_slope=params.get("alpha", 0.01))
    if name == "softplus":
        return torch.nn.functional.softplus(z)
    raise ValueError("activation " + name)


def main():
    for case in CASES:
        folder = os.path.join(FIXTURES, case)
        with open(os.path.join(folder, "model.json")) as f:
            model = json.load(f)
        with open(os.path.join(folder, "case.json")) as f:
            meta = json.load(f)
        with open(os.path.join(folder, "data.csv")) as f:
            rows = list(csv.DictReader(f))
        ids = [r[meta["id_column"]] for r in rows]
        x = torch.tensor([[float(r[c]) for c in meta["feature_columns"]] for r in rows], dtype=torch.float32)
        scaling = model.get("input_scaling")
        if scaling:
            x = (x - torch.tensor(scaling["mean"], dtype=torch.float32)) / torch.tensor(scaling["scale"], dtype=torch.float32)
        with torch.no_grad():
            for layer in model["layers"]:
                w = torch.tensor(layer["weights"], dtype=torch.float32)
                b = torch.tensor(layer["bias"], dtype=torch.float32)
                x = activation(layer["activation"], layer.get("params"), torch.nn.functional.linear(x, w, b))
        assert x.dtype == torch.float32
        with open(os.path.join(folder, "expected_float32.csv"), "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["id"] + ["out_%d" % k for k in range(x.shape[1])])
            for i, row in zip(ids, x.tolist()):
                out.writerow([i] + [repr(v) for v in row])
        print(case, x.shape[0], "rows")


if __name__ == "__main__":
    main()
