# Solution in PyTorch: the Hessian-vector product of a tiny MLP, checked against central differences.
import math
import torch

X = torch.tensor([[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8], [0.2, 0.1]], dtype=torch.float64)
y = torch.tensor([1.0, -0.5, 0.3, 0.8], dtype=torch.float64)

def loss(theta):
    W1, b1, w2, b2 = theta[:6].reshape(3, 2), theta[6:9], theta[9:12], theta[12]
    return ((torch.tanh(X @ W1.T + b1) @ w2 + b2 - y) ** 2).mean()

theta = torch.tensor([math.sin(i + 1) for i in range(13)], dtype=torch.float64)
v = torch.tensor([math.cos(2 * i) for i in range(13)], dtype=torch.float64)

def gradient(at, create_graph=False):
    t = at.clone().requires_grad_(True)
    return t, torch.autograd.grad(loss(t), t, create_graph=create_graph)[0]

t, g = gradient(theta, True)
exact = torch.autograd.grad(g @ v, t)[0]  # double backward; torch.autograd.functional.hvp(loss, theta, v) is the same
print("Hv:", exact.numpy())
for r in (1e-2, 1e-4, 1e-6, 1e-8):
    central = (gradient(theta + r * v)[1] - gradient(theta - r * v)[1]) / (2 * r)
    err = (torch.linalg.norm(central - exact) / torch.linalg.norm(exact)).item()
    print("r = %.0e: relative error %.1e" % (r, err))
