# Higher derivatives by nesting transforms: grad of grad of grad, and D3 f[v, v, v] by three nested jvps.
import torch
from functorch import grad, jvp

torch.set_default_dtype(torch.float64)


def f(x):
    return x**3 * torch.sin(x)


derivatives = [f, grad(f), grad(grad(f)), grad(grad(grad(f)))]
for k, d in enumerate(derivatives):
    print(f"f^({k})(1) = {d(torch.tensor(1.0)).item():.12f}")


def rosenbrock(x):
    head = x[:-1]
    return (100 * (x[1:] - head**2) ** 2 + (1 - head) ** 2).sum()


x = torch.tensor([-0.5, 0.8])
v = torch.tensor([0.6, -1.0])


def along(g):
    return lambda z: jvp(g, (z,), (v,))[1]


d1 = along(rosenbrock)
d2 = along(d1)
d3 = along(d2)
print(f"D1 f[v] = {d1(x).item()}, D2 f[v,v] = {d2(x).item()}, D3 f[v,v,v] = {d3(x).item()}")

# Reverse mode: the gradient of (Hv . v) is the vector D3 f[v, v, .].
d3_vector = grad(lambda z: grad(lambda w: grad(rosenbrock)(w) @ v)(z) @ v)(x)
print(f"D3 f[v,v,.] = {d3_vector.numpy()}, and its dot with v = {(d3_vector @ v).item()}")


def hvp(w):
    return jvp(grad(rosenbrock), (w,), (v,))[1]


d4_vector = jvp(lambda z: jvp(hvp, (z,), (v,))[1], (x,), (v,))[1]
ratio = d4_vector.norm().item() / hvp(x).norm().item()
print(f"D4 f[v,v,v,.] = {d4_vector.numpy()}")
print(f"predicted relative error of the central difference at r = 1e-2: {1e-4 / 6 * ratio:.3e}")
