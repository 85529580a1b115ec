# Differentiating one gradient step x1 = x0 - eta * grad f(x0) with respect to eta and to x0.
import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([[5.0, 1.0], [1.0, 3.0]])
b = torch.tensor([1.0, -1.0])


def f(x):
    return 0.5 * x @ A @ x + b @ x


def grad_f(x):
    # create_graph=True: the gradient is itself differentiable, so the step can be differentiated
    if not x.requires_grad:
        x = x.requires_grad_(True)
    return torch.autograd.grad(f(x), x, create_graph=True)[0]


x0 = torch.tensor([1.0, 1.0])
g = A @ x0 + b
eta = torch.tensor(0.1, requires_grad=True)
x1 = x0 - eta * grad_f(x0.clone())
(dphi,) = torch.autograd.grad(f(x1), eta)
print(f"dphi/deta at eta = 0.1: {dphi.item()}")
print(f"closed form -g.g + eta g.Hg: {-(g @ g).item() + 0.1 * (g @ A @ g).item()}")
print(f"Baydin's form -grad f(x1) . grad f(x0): {-(grad_f(x1.detach().clone()) @ g).item()}")

xr = x0.clone().requires_grad_(True)
(dx0,) = torch.autograd.grad(f(xr - 0.1 * grad_f(xr)), xr)
u = A @ x1.detach() + b
Hu = torch.autograd.functional.hvp(f, x0, u)[1]
print(f"d f(x1)/d x0 by autodiff: {dx0.numpy()}")
print(f"u - eta Hu with one HVP: {(u - 0.1 * Hu).numpy()}")


def dphi_at(e):
    e = torch.tensor(e, requires_grad=True)
    return torch.autograd.grad(f(x0 - e * grad_f(x0.clone())), e)[0].item()


e = 0.05
for k in range(20):
    e -= 0.002 * dphi_at(e)
print(f"eta after 20 hypergradient steps: {e:.10f}")
print(f"exact one-step optimum g.g / g.Hg: {((g @ g) / (g @ A @ g)).item():.10f}")

x, g_prev, lr = x0.clone(), torch.zeros(2), 0.01
for t in range(30):
    gt = A @ x + b
    lr += 0.001 * (gt @ g_prev).item()
    x = x - lr * gt
    g_prev = gt
print(f"online: eta = {lr:.6f} after 30 steps, f = {f(x).item():.10f}")
