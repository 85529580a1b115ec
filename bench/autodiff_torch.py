"""PyTorch side of bench/autodiff.ts: same functions, float64, one thread.

Prints one JSON object {case: {f, grad, hvp, hessian?}} with seconds per call.
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def timeit(fn, budget=0.25, rounds=5):
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt > budget / rounds or reps > 1 << 20:
            break
        reps *= 2
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t0) / reps)
    samples.sort()
    return samples[len(samples) // 2]


def rosenbrock(x):
    return (100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2).sum()


def dense_quadratic(n):
    # Same A and b as bench/autodiff.ts: A = M Mᵀ / n + I with M_ij = sin(i + 2j), b_i = cos(i).
    i = torch.arange(n, dtype=torch.float64)
    M = torch.sin(i[:, None] + 2.0 * i[None, :])
    A = M @ M.T / n + torch.eye(n)
    b = torch.cos(i)
    return (lambda x: 0.5 * x @ A @ x + b @ x), A


def bench(f, n, with_hessian):
    i = torch.arange(n, dtype=torch.float64)
    x0 = torch.sin(i) * 1.1
    v = torch.cos(i)
    x = x0.clone().requires_grad_(True)

    def value():
        with torch.no_grad():
            f(x0)

    def grad():
        torch.autograd.grad(f(x), x)

    def hvp():
        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        torch.autograd.grad(g @ v, x)

    out = {"f": timeit(value), "grad": timeit(grad), "hvp": timeit(hvp)}
    if with_hessian:
        out["hessian"] = timeit(lambda: torch.autograd.functional.hessian(f, x0), budget=0.5, rounds=1)
    return out


def main():
    cases = {}
    cases["rosenbrock-1e3"] = bench(rosenbrock, 1000, True)
    cases["rosenbrock-1e5"] = bench(rosenbrock, 100000, False)
    q, _ = dense_quadratic(1000)
    cases["quadratic-1e3"] = bench(q, 1000, True)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
