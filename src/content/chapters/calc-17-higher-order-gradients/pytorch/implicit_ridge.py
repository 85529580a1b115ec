# Tuning a ridge penalty: dV/dlambda by implicit differentiation (CG on HVPs), by unrolling, in closed form.
import math

import torch

torch.set_default_dtype(torch.float64)
w = [1.0, -2.0, 0.5, 0.3]
Xa = [[math.sin(1 + 1.3 * i * (j + 1) + j) for j in range(4)] for i in range(12)]
Za = [[math.cos(2 + 1.7 * i * (j + 1) + 2 * j) for j in range(4)] for i in range(12)]
X, Z = torch.tensor(Xa), torch.tensor(Za)
y = X @ torch.tensor(w) + 0.8 * torch.sin(5 * torch.arange(12.0) + 2)
u = Z @ torch.tensor(w) + 0.8 * torch.cos(3 * torch.arange(12.0) + 1)


def L(x, lam):
    return 0.5 * ((X @ x - y) ** 2).sum() + 0.5 * lam * (x @ x)


def V(x):
    return 0.5 * ((Z @ x - u) ** 2).sum()


lam = torch.tensor(1.0)
M = X.T @ X + lam * torch.eye(4)
x_star = torch.linalg.solve(M, X.T @ y)
xs = x_star.clone().requires_grad_(True)
(grad_v,) = torch.autograd.grad(V(xs), xs)
closed = (grad_v @ -torch.linalg.solve(M, x_star)).item()
print(f"x* = {x_star.numpy()}")
print(f"closed form dV/dlambda: {closed:.12f}")


def cg(op, b, tol=1e-14):
    """Conjugate gradients on op(s) = b from s = 0, stopping at |r| <= tol |b|."""
    s, r = torch.zeros_like(b), b.clone()
    p, rr, k = r.clone(), r @ r, 0
    while rr.sqrt() > tol * b.norm() and k < 10 * b.numel():
        Ap = op(p)
        a = rr / (p @ Ap)
        s, r = s + a * p, r - a * Ap
        rr_new = r @ r
        p, rr, k = r + (rr_new / rr) * p, rr_new, k + 1
    return s, k


# Implicit: solve H s = grad V(x*) with Hessian-vector products, then dV/dlambda = -d/dlambda <grad_x L, s>.
s, iters = cg(lambda p: torch.autograd.functional.hvp(lambda x: L(x, lam), x_star, p)[1], grad_v)
lam_r = lam.clone().requires_grad_(True)
(gx,) = torch.autograd.grad(L(xs, lam_r), xs, create_graph=True)
(mixed,) = torch.autograd.grad(gx @ s, lam_r)
print(f"implicit dV/dlambda: {-mixed.item():.12f} ({iters} CG iterations)")

eta = 0.08
for T in (10, 30, 100, 300):
    lam_r = torch.tensor(1.0, requires_grad=True)
    x = torch.zeros(4, requires_grad=True)
    for _ in range(T):
        (g,) = torch.autograd.grad(L(x, lam_r), x, create_graph=True)
        x = x - eta * g
    print(f"unrolled, T = {T}: {torch.autograd.grad(V(x), lam_r)[0].item():.12f}")
