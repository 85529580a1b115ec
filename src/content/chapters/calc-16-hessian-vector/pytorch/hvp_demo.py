# Hv without forming H: double backward in PyTorch, and the same through torch.autograd.functional.
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
# The same product from torch.autograd.functional: vhp is this double backward (vᵀH = (Hv)ᵀ, H being
# symmetric); hvp reaches Hv by the "double-backward trick", one more backward pass.
assert torch.equal(Hv, torch.autograd.functional.vhp(f, x.detach(), v)[1])
assert torch.allclose(Hv, torch.autograd.functional.hvp(f, x.detach(), v)[1], rtol=1e-15, atol=0)
