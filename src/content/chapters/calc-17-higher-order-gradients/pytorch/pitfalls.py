# Two ways to lose the second-order term without an error: no create_graph, and a stray detach.
import torch
from functorch import grad

torch.set_default_dtype(torch.float64)
A = torch.tensor([[4.0, 0.0], [0.0, 1.0]])
c = torch.tensor([1.0, 0.0])
alpha = 0.1


def L(x):
    return 0.5 * (x - c) @ A @ (x - c)


def meta_gradient(create_graph):
    theta = torch.tensor([0.3, -0.2], requires_grad=True)
    (g,) = torch.autograd.grad(L(theta), theta, create_graph=create_graph)
    adapted = theta - alpha * g  # still depends on theta through the subtraction, so no error
    return torch.autograd.grad(L(adapted), theta)[0]


print(f"inner gradient with a graph: {meta_gradient(True).numpy()}")
print(f"inner gradient without a graph: {meta_gradient(False).numpy()} (first-order MAML, silently)")

x = torch.tensor([0.3, -0.2], requires_grad=True)
(g,) = torch.autograd.grad(L(x), x)
try:
    torch.autograd.grad(g.sum(), x)
except RuntimeError as e:
    print(f"error: {e}")


def meta(th):
    return L(th - alpha * grad(L)(th))


def meta_first_order(th):
    return L(th - alpha * grad(L)(th.detach()))


p = torch.tensor([0.3, -0.2])
print(f"grad(meta) = {grad(meta)(p).numpy()}, with detach: {grad(meta_first_order)(p).numpy()}")
