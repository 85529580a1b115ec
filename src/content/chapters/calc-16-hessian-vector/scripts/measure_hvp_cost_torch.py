#!/usr/bin/python3
"""ratio = t(Hv) / t(grad f) for PyTorch, measured like measure-hvp-cost.ts: interleaved repeats of timed batches.

Usage: measure_hvp_cost_torch.py N REPEATS BATCH_MS. Prints JSON: the samples (milliseconds per call), the setup, and
how many ATen operator calls a gradient and an HVP dispatch.
Float64, one thread, Rosenbrock; Hv by double backward (create_graph=True), as torch.autograd.functional.vhp does.
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
import torch  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

n, repeats, batch_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


x0 = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(n)])
v = torch.sin(torch.arange(1, n + 1, dtype=torch.float64))


def f():
    with torch.no_grad():
        return rosenbrock(x0)


def grad():
    x = x0.clone().requires_grad_(True)
    return torch.autograd.grad(rosenbrock(x), x)[0]


def hvp():
    x = x0.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(rosenbrock(x), x, create_graph=True)
    return torch.autograd.grad(g @ v, x)[0]


fns = {"f": f, "grad": grad, "hvp": hvp}
names = list(fns)
for k in names:
    for _ in range(10):
        fns[k]()


def ms_per_call(fn):
    calls = 0
    t0 = time.perf_counter()
    while True:
        fn()
        calls += 1
        if (time.perf_counter() - t0) * 1000 >= batch_ms:
            break
    return (time.perf_counter() - t0) * 1000 / calls


samples = []
for r in range(repeats):
    row = {}
    for j in range(len(names)):
        k = names[(j + r) % len(names)]
        row[k] = ms_per_call(fns[k])
    samples.append(row)



def aten_calls(fn):
    """How many ATen operator calls one call of fn dispatches (nested calls included), by the profiler."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        fn()
    return sum(e.count for e in prof.key_averages() if e.key.startswith("aten::"))


print(json.dumps({
    "aten_calls": {k: aten_calls(fns[k]) for k in ("grad", "hvp")},
    "version": "PyTorch %s, 1 thread, float64, OPENBLAS_CORETYPE=%s" % (torch.__version__, os.environ["OPENBLAS_CORETYPE"]),
    "samples": samples,
}))
