# A third directional derivative by nested functorch.jvp, checked against a finite-difference stencil.
import torch
from functorch import jvp

torch.set_default_dtype(torch.float64)


def f(x):
    return (torch.exp(torch.sin(x)) * torch.log1p(x**2)).sum() + x[0] * x[1] / (1 + x[2] ** 2)


x = torch.tensor([0.7, -0.4, 1.1, 0.3, -1.3])
v = torch.tensor([1.0, -0.5, 0.8, 0.2, -1.0])


def g(t):
    return f(x + t * v).item()


def along(h):
    return lambda z: jvp(h, (z,), (v,))[1]


exact = along(along(along(f)))(x).item()
print(f"D3 f[v,v,v] by nested jvp: {exact:.12f}")
for h in (1e-1, 1e-2, 1e-3, 1e-4):
    fd = (g(2 * h) - 2 * g(h) + 2 * g(-h) - g(-2 * h)) / (2 * h**3)
    print(f"h = {h:g}: finite difference {fd:.12f}, relative error {abs(fd - exact) / abs(exact):.1e}")
