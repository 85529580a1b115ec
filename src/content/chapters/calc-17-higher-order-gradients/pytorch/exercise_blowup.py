# Hypergradients through T steps blow up once eta > 2 / lambda_max: the closed form against create_graph=True.
import math

import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([[5.0, 1.0], [1.0, 3.0]])
b = torch.tensor([1.0, -1.0])
B = torch.tensor([[2.0, 0.5], [0.5, 1.0]])
c = torch.tensor([-0.5, 0.5])
x0 = torch.tensor([1.0, 1.0])


def f(x):
    return 0.5 * x @ A @ x + b @ x


def V(x):
    return 0.5 * (x - c) @ B @ (x - c)


def run(eta, T):
    x = x0.clone().requires_grad_(True)
    for _ in range(T):
        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        x = x - eta * g
    return x


def closed_form(eta, T):
    # grad f(x_t) = (I - eta A)^t grad f(x0): every step contributes the same -(I - eta A)^(T-1) g0.
    p = A @ x0 + b
    for _ in range(T - 1):
        p = p - eta * (A @ p)
    xT = run(eta, T).detach()
    return -T * (B @ (xT - c)) @ p


lmax = 4 + math.sqrt(2)
print(f"2 / lambda_max = {2 / lmax:.6f}; |1 - eta lambda_max| = {abs(1 - 0.3 * lmax):.6f} at 0.3, "
      f"{abs(1 - 0.4 * lmax):.6f} at 0.4")
for eta in (0.3, 0.4):
    for T in (10, 20, 40):
        e = torch.tensor(eta, requires_grad=True)
        unrolled = torch.autograd.grad(V(run(e, T)), e)[0].item()
        print(f"eta = {eta}, T = {T}: unrolled {unrolled:.6e}, closed form {closed_form(eta, T).item():.6e}")
