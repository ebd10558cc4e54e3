#!/usr/bin/python3
"""Makes the suite of real ONNX exports under src/test/resources/exports.

Each case is a small network trained with PyTorch on a data set bundled with scikit-learn, exported
with torch.onnx.export at opset 13 and, where the export differs, at opset 17. Beside the ONNX
files it writes the rows scored (data.csv), PyTorch's own float64 outputs for the same weights
(expected.csv), scikit-learn's metrics on those outputs and what the case is (case.json).

The build never runs this script; it reads what the script wrote. To remake the suite:

    apt-get install -y python3-torch python3-sklearn python3-onnx
    /usr/bin/python3 src/test/python/make_onnx_exports.py

Outputs are computed by a float64 copy of the trained network (module.double()): float32 weights
widen exactly to float64, so that copy computes what annscore computes from the ONNX file.
"""
import json
import math
import os
import shutil
import sys

import numpy as np
import onnx
import sklearn
import torch
from sklearn import datasets
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "exports")
OPSETS = (13, 17)


def standardized(x):
    return (x - x.mean(axis=0)) / x.std(axis=0)


def data(name, rows=None):
    """Features (float64) and labels of a bundled data set."""
    if name == "iris":
        d = datasets.load_iris()
    elif name == "wine":
        d = datasets.load_wine()
    elif name == "breast_cancer":
        d = datasets.load_breast_cancer()
    elif name == "digits":
        d = datasets.load_digits()
    elif name == "diabetes":
        d = datasets.load_diabetes()
    elif name == "linnerud":
        d = datasets.load_linnerud()
    else:
        raise ValueError(name)
    x, y = np.asarray(d.data, dtype=np.float64), np.asarray(d.target, dtype=np.float64)
    if rows is not None:
        x, y = x[:rows], y[:rows]
    return x, y


class Standardize(nn.Module):
    """(x - mean) / scale inside forward(), with the constants as buffers (exported as Sub and Div)."""

    def __init__(self, mean, scale):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32))

    def forward(self, x):
        return (x - self.mean) / self.scale


def mlp(n_in, n_hidden, n_out, act, head=None, extra=()):
    layers = [nn.Linear(n_in, n_hidden), *extra, act, nn.Linear(n_hidden, n_out)]
    if head is not None:
        layers.append(head)
    return nn.Sequential(*layers)


# name: (data set, rows, feature transform, task, the outputs the last layer gives, model builder,
#        input shape after the batch, dtype)
def cases():
    c = {}

    def add(name, dataset, task, values, build, rows=None, shape=None, dtype=torch.float32, raw=False, scale_x=None):
        c[name] = dict(dataset=dataset, task=task, values=values, build=build, rows=rows, shape=shape,
                       dtype=dtype, raw=raw, scale_x=scale_x)

    add("relu_multiclass", "iris", "multiclass", "probabilities", lambda: mlp(4, 8, 3, nn.ReLU(), nn.Softmax(dim=1)))
    add("batchnorm_binary", "breast_cancer", "binary", "probabilities",
        lambda: mlp(30, 16, 1, nn.ReLU(), nn.Sigmoid(), extra=[nn.BatchNorm1d(16)]))
    add("batchnorm_first", "wine", "multiclass", "probabilities",
        lambda: nn.Sequential(nn.BatchNorm1d(13), nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1)),
        raw=True)
    add("dropout_multiclass", "iris", "multiclass", "probabilities",
        lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 3), nn.Softmax(dim=1)))
    add("flatten_2d", "digits", "multiclass", "probabilities",
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10), nn.Softmax(dim=1)),
        rows=300, scale_x=16.0)
    add("flatten_3d", "digits", "multiclass", "probabilities",
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10), nn.Softmax(dim=1)),
        rows=300, shape=(8, 8), scale_x=16.0)
    add("layernorm_multiclass", "wine", "multiclass", "probabilities",
        lambda: mlp(13, 8, 3, nn.ReLU(), nn.Softmax(dim=1), extra=[nn.LayerNorm(8)]))
    add("leaky_relu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.LeakyReLU(0.1)))
    add("elu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.ELU()))
    add("gelu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.GELU()))
    add("gelu_tanh_regression", "diabetes", "regression", "probabilities",
        lambda: mlp(10, 8, 1, nn.GELU(approximate="tanh")))
    add("silu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.SiLU()))
    add("hardswish_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Hardswish()))
    add("mish_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Mish()))
    add("softplus_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Softplus()))
    add("softsign_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Softsign()))
    add("tanh_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Tanh()))
    add("relu6_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.ReLU6()))
    add("hardtanh_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.Hardtanh()))
    add("prelu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.PReLU()))
    add("celu_regression", "diabetes", "regression", "probabilities", lambda: mlp(10, 8, 1, nn.CELU(0.5)))
    add("sigmoid_binary", "breast_cancer", "binary", "probabilities",
        lambda: mlp(30, 8, 1, nn.ReLU(), nn.Sigmoid()))
    add("logits_binary", "breast_cancer", "binary", "logits", lambda: mlp(30, 8, 1, nn.ReLU()))
    add("logits_multiclass", "wine", "multiclass", "logits", lambda: mlp(13, 8, 3, nn.ReLU()))
    add("log_softmax_multiclass", "iris", "multiclass", "log_probabilities",
        lambda: mlp(4, 8, 3, nn.ReLU(), nn.LogSoftmax(dim=1)))
    add("multi_output_regression", "linnerud", "regression", "probabilities", lambda: mlp(3, 8, 3, nn.Tanh()))
    add("standardize_in_forward", "diabetes", "regression", "probabilities", None, raw=True)
    add("float64_multiclass", "iris", "multiclass", "probabilities",
        lambda: mlp(4, 8, 3, nn.Tanh(), nn.Softmax(dim=1)), dtype=torch.float64)
    return c


def train(model, x, y, task, values, epochs=300):
    """A few hundred full-batch Adam steps: enough for outputs that mean something."""
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    model.train()
    for _ in range(epochs):
        opt.zero_grad()
        out = model(x)
        if task == "regression":
            loss = nn.functional.mse_loss(out, y)
        elif task == "binary":
            t = y.reshape(-1, 1)
            loss = (nn.functional.binary_cross_entropy_with_logits(out, t) if values == "logits"
                    else nn.functional.binary_cross_entropy(out, t))
        elif values == "logits":
            loss = nn.functional.cross_entropy(out, y.long())
        elif values == "log_probabilities":
            loss = nn.functional.nll_loss(out, y.long())
        else:
            loss = nn.functional.nll_loss(torch.log(out.clamp_min(1e-12)), y.long())
        loss.backward()
        opt.step()
    model.eval()


def op_types(path):
    return [n.op_type for n in onnx.load(path).graph.node]


def probabilities(out, task, values):
    if values == "logits":
        return 1 / (1 + np.exp(-out)) if task == "binary" else np.exp(out - out.max(1, keepdims=True)) / np.exp(
            out - out.max(1, keepdims=True)).sum(1, keepdims=True)
    if values == "log_probabilities":
        return np.exp(out)
    return out


def make(name, spec):
    torch.manual_seed(sum(map(ord, name)))
    x_raw, y = data(spec["dataset"], spec["rows"])
    if spec["dataset"] == "diabetes":
        y = (y - y.mean()) / y.std()     # a target of order 1 for a small network
    x = x_raw / spec["scale_x"] if spec["scale_x"] else (x_raw if spec["raw"] else standardized(x_raw))
    n_features = x.shape[1]
    if spec["dataset"] == "linnerud":
        x_raw, y = data("linnerud")
        y = np.asarray(datasets.load_linnerud().target, dtype=np.float64)
        y = (y - y.mean(axis=0)) / y.std(axis=0)
        x = standardized(x_raw)
    if name == "standardize_in_forward":
        model = nn.Sequential(Standardize(x.mean(axis=0), x.std(axis=0)), nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 1))
    else:
        model = spec["build"]()
    dtype = spec["dtype"]
    model = model.to(dtype)
    shape = spec["shape"] or (n_features,)
    xt = torch.tensor(x, dtype=dtype).reshape(-1, *shape)
    yt = torch.tensor(y, dtype=dtype)
    if spec["task"] == "regression" and yt.dim() == 1:
        yt = yt.reshape(-1, 1)
    train(model, xt, yt, spec["task"], spec["values"])

    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    files = []
    previous = None
    for opset in OPSETS:
        path = os.path.join(folder, "opset%d.onnx" % opset)
        torch.onnx.export(model, xt[:2], path, opset_version=opset, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        ops = op_types(path)
        if previous is not None and ops == previous:
            os.remove(path)      # the same graph as the lower opset: nothing new to test
            continue
        previous = ops
        files.append({"file": "opset%d.onnx" % opset, "opset": opset, "ops": ops})

    reference = model.double()
    with torch.no_grad():
        out = reference(torch.tensor(x, dtype=torch.float64).reshape(-1, *shape)).numpy()
    out = out.reshape(len(x), -1)
    prob = probabilities(out, spec["task"], spec["values"])

    features = ["x%d" % i for i in range(n_features)]
    labels = ["label"] if y.ndim == 1 else ["label_%d" % k for k in range(y.shape[1])]
    with open(os.path.join(folder, "data.csv"), "w") as f:
        f.write(",".join(["id"] + features + labels) + "\n")
        for r in range(len(x)):
            ys = [y[r]] if y.ndim == 1 else list(y[r])
            ys = [repr(int(v)) if spec["task"] != "regression" else repr(float(v)) for v in ys]
            f.write(",".join([str(r + 1)] + [repr(float(v)) for v in x[r]] + ys) + "\n")
    with open(os.path.join(folder, "expected.csv"), "w") as f:
        cols = ["out_%d" % k for k in range(out.shape[1])]
        if spec["task"] != "regression":
            cols += ["prob_%d" % k for k in range(prob.shape[1])]
        f.write(",".join(["id"] + cols) + "\n")
        for r in range(len(x)):
            vals = list(out[r]) + (list(prob[r]) if spec["task"] != "regression" else [])
            f.write(",".join([str(r + 1)] + [repr(float(v)) for v in vals]) + "\n")

    metrics = {"rows": len(x)}
    if spec["task"] == "binary":
        p1 = prob[:, 0]
        metrics["binary_cross_entropy"] = log_loss(y, p1, labels=[0, 1])
        metrics["accuracy"] = accuracy_score(y, (p1 > 0.5).astype(int))
    elif spec["task"] == "multiclass":
        metrics["cross_entropy"] = log_loss(y, prob, labels=list(range(prob.shape[1])))
        metrics["accuracy"] = accuracy_score(y, prob.argmax(axis=1))
    else:
        yy = y.reshape(len(x), -1)
        metrics["mse"] = mean_squared_error(yy, out)
        metrics["r2"] = r2_score(yy, out)
    case = {
        "name": name,
        "dataset": spec["dataset"] + " (scikit-learn " + sklearn.__version__ + ")",
        "task": spec["task"],
        "outputs": spec["values"],
        "input_shape": ["batch"] + list(shape),
        "feature_columns": features,
        "label_columns": labels,
        "dtype": str(dtype).replace("torch.", ""),
        "exports": files,
        "torch": torch.__version__,
        "module": repr(model).replace("\n", " "),
        "metrics": metrics,
    }
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(case, f, indent=2)
        f.write("\n")
    print(name, [e["file"] for e in files], metrics, file=sys.stderr)


def main():
    torch.set_num_threads(1)
    only = sys.argv[1:]
    for name, spec in cases().items():
        if not only or name in only:
            make(name, spec)


if __name__ == "__main__":
    main()
