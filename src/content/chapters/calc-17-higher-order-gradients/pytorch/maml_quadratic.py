# MAML, first-order MAML and Reptile on three quadratic tasks, with functorch's composable grad.
import torch
from functorch import grad
from torch.autograd.functional import hvp

torch.set_default_dtype(torch.float64)


def task(A, c):
    A, c = torch.tensor(A), torch.tensor(c)
    return lambda x: 0.5 * (x - c) @ A @ (x - c)


tasks = [task([[4.0, 0.0], [0.0, 1.0]], [1.0, 0.0]), task([[1.0, 0.0], [0.0, 4.0]], [0.0, 1.0]),
         task([[3.0, 1.0], [1.0, 2.0]], [-1.0, -1.0])]
alpha = 0.1


def adapt(L, theta):
    return theta - alpha * grad(L)(theta)


def meta_loss(theta):
    return torch.stack([L(adapt(L, theta)) for L in tasks]).mean()


maml = grad(meta_loss)


def maml_by_hvp(theta):
    out = []
    for L in tasks:
        u = grad(L)(adapt(L, theta))
        out.append(u - alpha * hvp(L, theta, u)[1])
    return torch.stack(out).mean(0)


def first_order(theta):
    return torch.stack([grad(L)(adapt(L, theta.detach())) for L in tasks]).mean(0)


def reptile(theta):
    out = []
    for L in tasks:
        x = theta
        for _ in range(5):
            x = adapt(L, x)
        out.append(theta - x)
    return torch.stack(out).mean(0)


probe = torch.tensor([0.3, -0.2])
print(f"meta-gradient at {probe.numpy()}: {maml(probe).numpy()}")
print(f"(I - alpha H) grad L_val, one HVP per task: {maml_by_hvp(probe).numpy()}")
print(f"first-order MAML: {first_order(probe).numpy()}")

for name, direction, lr in (("MAML", maml, 0.2), ("first-order MAML", first_order, 0.2), ("Reptile", reptile, 1.0)):
    theta = torch.zeros(2)
    for _ in range(300):
        theta = theta - lr * direction(theta)
    print(f"{name}: theta = {theta.numpy()}, meta-loss {meta_loss(theta).item():.10f}")
