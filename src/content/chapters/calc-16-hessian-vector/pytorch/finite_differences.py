# Hv by central differences against the exact product: truncation error for large r, round-off for small r.
import torch

def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()

def grad(x):
    x = x.clone().requires_grad_(True)
    return torch.autograd.grad(rosenbrock(x), x)[0]

x = torch.tensor([-0.5, 0.8], dtype=torch.float64)
v = torch.tensor([0.6, -1.0], dtype=torch.float64)
exact = torch.autograd.functional.hvp(rosenbrock, x, v)[1]
print("exact Hv:", exact.tolist())

for k in range(0, 13, 2):
    r = 10.0 ** -k
    fd = (grad(x + r * v) - grad(x - r * v)) / (2 * r)
    error = (torch.linalg.norm(fd - exact) / torch.linalg.norm(exact)).item()
    print("r = 1e-%d: relative error %.1e" % (k, error))
