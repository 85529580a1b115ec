# Hv without forming H: double backward in PyTorch, and the same through torch.autograd.functional.hvp.
import torch

A = torch.tensor([[5.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([-4.0, 2.0], dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x + b @ x

x = torch.tensor([1.5, -1.2], dtype=torch.float64, requires_grad=True)
v = torch.tensor([0.6, -1.0], dtype=torch.float64)
(g,) = torch.autograd.grad(f(x), x, create_graph=True)
(Hv,) = torch.autograd.grad(g @ v, x)

print("Hessian-vector product Hv:", Hv.numpy())
print("Direct H @ v:", (A @ v).numpy())
# The library function does the same double backward (its second output is Hv):
_, Hv2 = torch.autograd.functional.hvp(f, x.detach(), v)
assert torch.equal(Hv, Hv2)
