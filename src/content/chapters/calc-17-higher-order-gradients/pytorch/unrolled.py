# Hypergradients through T unrolled SGD steps, with create_graph=True through manual updates.
import math

import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([[5.0, 1.0], [1.0, 3.0]])
b = torch.tensor([1.0, -1.0])
B = torch.tensor([[2.0, 0.5], [0.5, 1.0]])
c = torch.tensor([-0.5, 0.5])


def f(x):
    return 0.5 * x @ A @ x + b @ x  # training loss


def V(x):
    return 0.5 * (x - c) @ B @ (x - c)  # validation loss


def val_and_grad(eta, T, K=None):
    """V after T steps from (1, 1) and dV/deta; only the last K steps stay on the graph."""
    K = T if K is None else K
    eta = torch.tensor(eta, requires_grad=True)
    x = torch.tensor([1.0, 1.0], requires_grad=True)
    for t in range(T):
        if t == T - K:
            x = x.detach().requires_grad_(True)  # truncated backpropagation
        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        x = x - eta * g
    val = V(x)
    return val.item(), torch.autograd.grad(val, eta)[0].item()


for eta in (0.1, 0.4):
    for T in (1, 5, 50):
        val, d = val_and_grad(eta, T)
        print(f"eta = {eta}, T = {T}: V = {val:.6e}, dV/deta = {d:.6e}")
print(f"2 / lambda_max = {2 / (4 + math.sqrt(2)):.6f}")
for K in (1, 2, 5, 10, 20):
    print(f"T = 20, K = {K}: dV/deta = {val_and_grad(0.05, 20, K)[1]:.6e}")
