"""PyTorch side of bench/optim.ts: one torch.optim.LBFGS run with strong Wolfe on Rosenbrock, float64, one thread.

Usage: /usr/bin/python3 bench/optim_torch.py N MAX_ITER
Prints JSON {torch, openblas, n, seconds (median of 5 runs), min, evaluations, n_iter}. The closure is the
fixture generator's Rosenbrock (autograd), so both sides do the same work per evaluation.
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_CORETYPE", "SkylakeX")  # as the fixtures (scripts/fixtures/openblas.py)
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def run(n, max_iter):
    x = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(n)], requires_grad=True)
    opt = torch.optim.LBFGS([x], max_iter=max_iter, line_search_fn="strong_wolfe")
    count = [0]

    def closure():
        opt.zero_grad()
        loss = torch.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)
        loss.backward()
        count[0] += 1
        return loss

    opt.step(closure)
    return count[0], int(opt.state[opt._params[0]]["n_iter"])


def main():
    n, max_iter = int(sys.argv[1]), int(sys.argv[2])
    run(n, max_iter)  # warm-up
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        evals, n_iter = run(n, max_iter)
        samples.append(time.perf_counter() - t0)
    samples.sort()
    print(json.dumps({"torch": torch.__version__, "openblas": os.environ["OPENBLAS_CORETYPE"], "n": n,
                      "seconds": samples[2], "min": samples[0], "evaluations": evals, "n_iter": n_iter}))


if __name__ == "__main__":
    main()
