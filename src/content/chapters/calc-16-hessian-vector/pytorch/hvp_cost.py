# What a Hessian-vector product costs next to a gradient in PyTorch (Rosenbrock, n = 10 000, one thread):
# the median of 9 interleaved repeats.
import time
import torch

try:
    from torch.func import grad as fgrad, jvp  # PyTorch ≥ 2.0
except ImportError:
    from functorch import grad as fgrad, jvp  # PyTorch 1.13

torch.set_num_threads(1)
n = 10_000
rosenbrock = lambda x: (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
x0 = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(n)], dtype=torch.float64)
v = torch.sin(torch.arange(1, n + 1, dtype=torch.float64))

def f():
    with torch.no_grad():
        rosenbrock(x0)

def grad():
    x = x0.clone().requires_grad_(True)
    torch.autograd.grad(rosenbrock(x), x)

def hvp():
    x = x0.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(rosenbrock(x), x, create_graph=True)
    torch.autograd.grad(g @ v, x)  # reverse-over-reverse, as torch.autograd.functional.vhp does it

def hvp_fwd():
    jvp(fgrad(rosenbrock), (x0,), (v,))  # forward-over-reverse

def batch(fn):
    """Milliseconds per call of fn over one batch of at least 10 ms."""
    calls, t0 = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        if time.perf_counter() - t0 >= 0.010:
            return (time.perf_counter() - t0) * 1000 / calls


# Interleaved repeats: each repeat times all four back to back, so a disturbance hits one repeat, not one function.
fns = [f, grad, hvp, hvp_fwd]
for fn in fns:
    for _ in range(5):
        fn()
repeats = [[] for _ in fns]
for _ in range(9):
    for k, fn in enumerate(fns):
        repeats[k].append(batch(fn))
tf, tg, th, tfw = (sorted(r)[len(r) // 2] for r in repeats)
print("f:    %.3f ms" % tf)
print("grad: %.3f ms  (%.1f × f)" % (tg, tg / tf))
print("Hv, reverse-over-reverse: %.3f ms  (%.1f × grad)" % (th, th / tg))
print("Hv, forward-over-reverse: %.3f ms  (%.1f × grad)" % (tfw, tfw / tg))
print("Forming H column by column would take %d of those products." % n)
