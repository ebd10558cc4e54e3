#!/usr/bin/python3
"""Prints which ONNX nodes torch.onnx.export writes for common modules after a Linear, at opsets 11 to 17
(the table in docs/onnx.md). Run: /usr/bin/python3 src/test/python/list_torch_export_ops.py"""
import torch, onnx, io, warnings
warnings.filterwarnings("ignore")
from torch import nn
mods = {"ReLU": nn.ReLU(), "LeakyReLU": nn.LeakyReLU(0.1), "ELU": nn.ELU(), "SELU": nn.SELU(), "CELU": nn.CELU(0.5),
 "GELU": nn.GELU(), "GELU(tanh)": nn.GELU(approximate="tanh"), "SiLU": nn.SiLU(), "Mish": nn.Mish(),
 "Hardswish": nn.Hardswish(), "Hardsigmoid": nn.Hardsigmoid(), "Hardtanh": nn.Hardtanh(), "ReLU6": nn.ReLU6(),
 "Softplus": nn.Softplus(), "Softsign": nn.Softsign(), "Tanh": nn.Tanh(), "Sigmoid": nn.Sigmoid(),
 "PReLU(1)": nn.PReLU(), "PReLU(4)": nn.PReLU(4), "Softmax": nn.Softmax(dim=1), "LogSoftmax": nn.LogSoftmax(dim=1),
 "BatchNorm1d": nn.BatchNorm1d(4), "LayerNorm": nn.LayerNorm(4), "Dropout": nn.Dropout(0.1)}
print("| module | " + " | ".join("opset %d" % o for o in range(11, 18)) + " |")
print("|---|" + "---|" * 7)
for name, m in mods.items():
    net = nn.Sequential(nn.Linear(3, 4), m).eval()
    row = []
    for o in range(11, 18):
        f = io.BytesIO()
        try:
            torch.onnx.export(net, torch.zeros(2, 3), f, opset_version=o, input_names=["x"], dynamic_axes={"x": {0: "b"}})
            ops = [n.op_type for n in onnx.load_from_string(f.getvalue()).graph.node if n.op_type != "Constant"]
            row.append(" ".join(ops[1:]) or "(nothing)")
        except Exception as e:
            row.append("error: " + type(e).__name__)
    print("| %s | %s |" % (name, " | ".join(row)))
f = io.BytesIO()
net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2)).eval()
for o in (11, 13, 17):
    f = io.BytesIO(); torch.onnx.export(net, torch.zeros(2, 2, 2), f, opset_version=o)
    print("Flatten", o, [n.op_type for n in onnx.load_from_string(f.getvalue()).graph.node])
net = nn.Linear(3, 2, bias=False).eval()
f = io.BytesIO(); torch.onnx.export(net, torch.zeros(2, 3), f, opset_version=13)
print("Linear no bias", [n.op_type for n in onnx.load_from_string(f.getvalue()).graph.node])
class V(nn.Module):
    def forward(self, x): return x.view(x.size(0), -1)
net = nn.Sequential(V(), nn.Linear(4, 2)).eval()
f = io.BytesIO(); torch.onnx.export(net, torch.zeros(2, 2, 2), f, opset_version=13, dynamic_axes={"input.1": {0: "b"}} if False else None)
print("view(N,-1)", [n.op_type for n in onnx.load_from_string(f.getvalue()).graph.node])
