# Newton's method with the dense Hessian, and Newton-CG with Hessian-vector products only (SciPy, gradients
# and HVPs from PyTorch).
import numpy as np
import scipy.optimize
import torch

A = torch.tensor([[5.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([-4.0, 2.0], dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x + b @ x
x0 = np.array([2.5, -2.0])
counts = {"f": 0, "hvp": 0}

def fun(x):
    counts["f"] += 1
    x = torch.tensor(x, requires_grad=True)
    y = f(x)
    return y.item(), torch.autograd.grad(y, x)[0].numpy()

def hessp(x, p):
    counts["hvp"] += 1
    return torch.autograd.functional.hvp(f, torch.tensor(x), torch.tensor(p))[1].numpy()

# Newton: H column by column (n HVPs), one Cholesky solve per step, until the gradient vanishes.
x, steps = x0.copy(), 0
while True:
    value, g = fun(x)
    if np.abs(g).max() <= 1e-8:
        break
    H = np.stack([hessp(x, e) for e in np.eye(2)], axis=1)
    x = x + np.linalg.solve(H, -g)
    steps += 1
print("newton: x = [%s] after %d step(s), %d Hessian-vector products, %d evaluations (converged)"
      % (",".join(repr(float(v)) for v in x), steps, counts["hvp"], counts["f"]))

counts = {"f": 0, "hvp": 0}
# SciPy's CG stops at the residual min(0.5, √‖g‖₁)·‖g‖₁ (no option changes it): more, cheaper outer steps than
# the course's run with cgTol = 1e-12.
run = scipy.optimize.minimize(fun, x0, jac=True, hessp=hessp, method="Newton-CG")
print("newton-cg: x = [%s] after %d step(s), %d Hessian-vector products, %d evaluations (%s)"
      % (",".join(repr(float(v)) for v in run.x), run.nit, counts["hvp"], counts["f"], "converged" if run.success else run.message))
