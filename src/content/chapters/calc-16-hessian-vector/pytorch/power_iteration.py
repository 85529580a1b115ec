# The largest eigenvalue of H from Hessian-vector products alone: power iteration, v ← Hv / ‖Hv‖.
import torch

A = torch.tensor([[5.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([-4.0, 2.0], dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x + b @ x
x = torch.tensor([2.5, -2.0], dtype=torch.float64)  # any point: the Hessian of a quadratic is the same everywhere

v = torch.tensor([1.0, 0.0], dtype=torch.float64)
lam = 0.0
for k in range(1, 101):
    Hv = torch.autograd.functional.hvp(f, x, v)[1]
    nxt = (v @ Hv).item()  # Rayleigh quotient vᵀHv with ‖v‖ = 1
    v = Hv / torch.linalg.norm(Hv)
    if abs(nxt - lam) < 1e-12 * abs(nxt):
        print("λmax ≈ %r after %d Hessian-vector products" % (nxt, k))
        break
    lam = nxt
print("eigenvector ≈", v.tolist())
