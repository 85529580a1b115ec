"""PyTorch side of bench/autodiff.ts: the same objectives (bench/problems.ts), float64.

argv[1]: JSON {"cases": [[name, n], ...], "hessian": [[name, n], ...], "budget": seconds},
or `--memory name n`: peak memory of 1 and of 10 HVPs in this fresh process (the method of bench/peakMemory.ts),
or `--serve`: measure one case per JSON line read from stdin (so the caller can alternate sides case by case).
Prints one JSON object: per case, eager grad and hvp at 1 thread ("t1") and at torch's default thread
count ("tdef"), each {"cpu", "wall"} seconds per call (median of 3 rounds), and a check
[Σ g·c, Σ Hv·c] with c_i = cos(3i) so the caller can confirm both sides compute the same numbers;
per hessian case, torch.autograd.functional.hessian with vectorize=True and False (1 thread).
"""
import gc
import json
import re
import sys
import time

import torch

torch.set_default_dtype(torch.float64)
DEFAULT_THREADS = torch.get_num_threads()
MLP_D, MLP_B = 8, 32


def measure(fn, budget):
    gc.collect()  # as our side does: earlier cases' garbage is not this case's cost
    warm = time.perf_counter()
    fn()
    while time.perf_counter() - warm < budget / 3:
        fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        if time.perf_counter() - t0 > budget / 3 or reps > 1 << 20:
            break
        reps *= 2
    walls, cpus = [], []
    for _ in range(3):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            fn()
        walls.append((time.perf_counter() - w0) / reps)
        cpus.append((time.process_time() - c0) / reps)
    return {"wall": sorted(walls)[1], "cpu": sorted(cpus)[1]}


def rosenbrock(x):
    return (100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2).sum()


def quadratic(n):
    i = torch.arange(n, dtype=torch.float64)
    M = torch.sin(i[:, None] + 2.0 * i[None, :])
    A = M @ M.T / n + torch.eye(n)
    b = torch.cos(i)
    return lambda x: 0.5 * (x @ A) @ x + b @ x


def mlp(h):
    k = torch.arange(MLP_B * MLP_D, dtype=torch.float64)
    X = torch.sin(k).reshape(MLP_B, MLP_D)
    y = torch.cos(torch.arange(MLP_B, dtype=torch.float64))
    return lambda w: ((torch.tanh(X @ w[: MLP_D * h].reshape(MLP_D, h)) @ w[MLP_D * h:] - y) ** 2).mean()


def problem(name, n):
    if name == "rosenbrock":
        return rosenbrock
    if name == "quadratic":
        return quadratic(n)
    return mlp(n // (MLP_D + 1))


def case(name, n, budget):
    f = problem(name, n)
    i = torch.arange(n, dtype=torch.float64)
    x0 = 0.5 * torch.sin(i)
    v = torch.cos(i)
    x = x0.clone().requires_grad_(True)

    def grad():
        return torch.autograd.grad(f(x), x)[0]

    def hvp():
        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        return torch.autograd.grad(g @ v, x)[0]

    c = torch.cos(3.0 * i)
    out = {"check": [float(grad() @ c), float(hvp() @ c)]}
    for key, threads in (("t1", 1), ("tdef", DEFAULT_THREADS)):
        torch.set_num_threads(threads)
        out[key] = {"grad": measure(grad, budget), "hvp": measure(hvp, budget)}
    torch.set_num_threads(1)
    return out


def hessian_case(name, n, budget):
    f = problem(name, n)
    x0 = 0.5 * torch.sin(torch.arange(n, dtype=torch.float64))
    torch.set_num_threads(1)
    return {
        "vectorize": measure(lambda: torch.autograd.functional.hessian(f, x0, vectorize=True), budget),
        "loop": measure(lambda: torch.autograd.functional.hessian(f, x0), budget),
    }


def status_kib(field):
    with open("/proc/self/status") as f:
        return int(re.search(field + r":\s+(\d+)", f.read()).group(1))


def peak_memory(name, n):
    """Warm up at a small size, collect, reset the peak-RSS mark; VmHWM - VmRSS before after 1 HVP at n and after 10."""
    torch.set_num_threads(1)

    def hvp_at(m):
        f = problem(name, m)
        i = torch.arange(m, dtype=torch.float64)
        x = (0.5 * torch.sin(i)).requires_grad_(True)
        v = torch.cos(i)

        def run():
            (g,) = torch.autograd.grad(f(x), x, create_graph=True)
            return torch.autograd.grad(g @ v, x)[0]
        return run

    warm = hvp_at((MLP_D + 1) * round(100 / (MLP_D + 1)) if name == "mlp" else 100)
    for _ in range(20):
        warm()
    run = hvp_at(n)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = status_kib("VmRSS")
    run()
    first = status_kib("VmHWM") - base
    for _ in range(9):
        run()
    return {"firstKiB": first, "tenKiB": status_kib("VmHWM") - base, "baseKiB": base}


def serve():
    """One JSON line per request on stdin ({"kind": "case" | "hessian", "name", "n", "budget"}), one reply per line."""
    print(json.dumps({"torch": torch.__version__, "default_threads": DEFAULT_THREADS}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        run = case if req["kind"] == "case" else hessian_case
        print(json.dumps(run(req["name"], req["n"], req["budget"])), flush=True)


def main():
    if sys.argv[1] == "--memory":
        json.dump(peak_memory(sys.argv[2], int(sys.argv[3])), sys.stdout)
        return
    if sys.argv[1] == "--serve":
        serve()
        return
    spec = json.loads(sys.argv[1])
    budget = spec["budget"]
    cases = {f"{name}-{n}": case(name, n, budget) for name, n in spec["cases"]}
    hessians = {f"{name}-{n}": hessian_case(name, n, budget) for name, n in spec["hessian"]}
    json.dump({"torch": torch.__version__, "default_threads": DEFAULT_THREADS, "cases": cases, "hessian": hessians}, sys.stdout)


if __name__ == "__main__":
    main()
