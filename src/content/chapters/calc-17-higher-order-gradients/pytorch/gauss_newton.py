# The Gauss-Newton product G v = J'(J v)/k from one jvp (functorch) and one vjp (autograd), against H v.
import math

import torch
from functorch import jvp
from torch.autograd.functional import hvp, jacobian

torch.set_default_dtype(torch.float64)
H = 4
xs = [-5 + 10 * i / 7 for i in range(8)]
X = torch.tensor(xs).reshape(-1, 1)
y = 1.5 * torch.sin(torch.tensor(xs) + 0.3)
theta = torch.tensor([0.8 * math.sin(3 * j + 1) for j in range(3 * H + 1)])
v = torch.tensor([math.cos(2 * j) for j in range(3 * H + 1)])


def predict(t):
    return torch.tanh(X @ t[:H].reshape(1, H) + t[H:2 * H]) @ t[2 * H:3 * H] + t[3 * H]


def residual(t):
    return predict(t) - y


def loss(t):
    return 0.5 * (residual(t) ** 2).mean()


_, Jv = jvp(residual, (theta,), (v,))
th = theta.clone().requires_grad_(True)
(Gv,) = torch.autograd.grad(residual(th), th, grad_outputs=Jv)
Gv = Gv / 8
J = jacobian(residual, theta)
dense = J.T @ (J @ v) / 8
print(f"max |Gv - J'Jv/k| = {(Gv - dense).abs().max().item():.1e}")
Hv = hvp(loss, theta, v)[1]
print(f"v'Gv = {(Gv @ v).item():.10f}, v'Hv = {(Hv @ v).item():.10f}")
print(f"|Jv|^2 / k = {(Jv @ Jv).item() / 8:.10f}")
