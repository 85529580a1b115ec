# Solution in PyTorch: conjugate gradients built from Hessian-vector products, solving Hp = −g.
import torch

X = torch.tensor([[1, 0.5, -1.2, 0.3, 2], [0.2, -1, 0.7, 1.1, -0.4], [-0.8, 0.3, 0.5, -1.5, 0.9], [1.3, 1.2, -0.3, 0.4, -1],
                  [-0.5, -0.7, 1.4, 0.2, 0.6], [0.9, -0.2, -0.6, -0.9, 1.2], [0.1, 1.6, 0.8, -0.3, -0.7], [-1.1, 0.4, -0.9, 1, 0.3]],
                 dtype=torch.float64)
y = torch.tensor([1.0, 0, 1, 1, 0, 1, 0, 0], dtype=torch.float64)
lam = 0.1

def f(w):
    z = X @ w
    return (torch.nn.functional.softplus(z) - y * z).mean() + 0.5 * lam * w @ w

w = torch.tensor([0.3, -0.2, 0.5, 0.1, -0.4], dtype=torch.float64)
w_ = w.clone().requires_grad_(True)
g = torch.autograd.grad(f(w_), w_)[0]
hvp = lambda d: torch.autograd.functional.hvp(f, w, d)[1]

def conjugate_gradients(tol=1e-12):
    p = torch.zeros_like(w)
    r = -g  # residual −g − Hp at p = 0
    d = r.clone()
    rr, hvps = r @ r, 0
    while rr.sqrt() > tol * g.norm() and hvps < 10 * len(w):
        Hd = hvp(d)
        hvps += 1
        alpha = rr / (d @ Hd)
        p = p + alpha * d
        r = r - alpha * Hd
        rr_new = r @ r
        d = r + (rr_new / rr) * d
        rr = rr_new
    return p, hvps

p, hvps = conjugate_gradients()
print("CG used %d Hessian-vector products for n = %d" % (hvps, len(p)))
print("residual ‖Hp + g‖ / ‖g‖ = %.1e" % ((hvp(p) + g).norm() / g.norm()).item())
print("Newton step p:", " ".join("%.6f" % pi for pi in p.tolist()))
