# Hv as the derivative of the gradient along v: forward mode through the gradient program.
import torch

try:
    from torch.func import grad, jvp  # PyTorch ≥ 2.0
except ImportError:
    from functorch import grad, jvp  # PyTorch 1.13: the same functions, before they moved into torch.func

A = torch.tensor([[5.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([-4.0, 2.0], dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x + b @ x
x = torch.tensor([1.5, -1.2], dtype=torch.float64)
v = torch.tensor([0.6, -1.0], dtype=torch.float64)

g, Hv = jvp(grad(f), (x,), (v,))  # the gradient at x, and its derivative along v
print("gradient:", g.numpy())
print("Hv by jvp(grad(f)):", Hv.numpy())
print("Hv, forward-over-reverse:", jvp(grad(f), (x,), (v,))[1].numpy())
print("Hv, reverse-over-reverse:", torch.autograd.functional.vhp(f, x, v)[1].numpy())  # double backward
