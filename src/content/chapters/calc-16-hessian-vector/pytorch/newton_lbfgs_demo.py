# SGD against L-BFGS with a strong-Wolfe line search on a convex quadratic, in PyTorch.
import torch

A = torch.tensor([[5.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
b = torch.tensor([-4.0, 2.0], dtype=torch.float64)
f = lambda x: 0.5 * x @ A @ x + b @ x

# Gradient descent: 40 steps of size 0.1, recording every iterate.
x = torch.tensor([2.5, -2.0], dtype=torch.float64, requires_grad=True)
sgd = torch.optim.SGD([x], lr=0.1)
sgd_path = [x.detach().clone()]
for _ in range(40):
    sgd.zero_grad()
    f(x).backward()
    sgd.step()
    sgd_path.append(x.detach().clone())

# L-BFGS: the closure records every point where f is evaluated, line-search trials included.
y = torch.tensor([2.5, -2.0], dtype=torch.float64, requires_grad=True)
lbfgs = torch.optim.LBFGS([y], lr=1, max_iter=40, history_size=10, line_search_fn="strong_wolfe")
lbfgs_path = []

def closure():
    lbfgs.zero_grad()
    loss = f(y)
    loss.backward()
    lbfgs_path.append(y.detach().clone())
    return loss

lbfgs.step(closure)
# Steps that moved y: here every line search accepts its first trial, so each new evaluation point is a step.
moves = sum(1 for p, q in zip(lbfgs_path, lbfgs_path[1:]) if not torch.equal(p, q))

print("SGD ended at %s after %d steps (%d gradient evaluations)" % (x.detach().numpy(), len(sgd_path) - 1, len(sgd_path) - 1))
print("L-BFGS ended at %s after %d steps (%d function evaluations)" % (y.detach().numpy(), moves, len(lbfgs_path)))
x_star = torch.linalg.solve(A, -b)  # x* = −A⁻¹b
print("Optimum: %s, f* = %s" % (x_star.numpy(), f(x_star).item()))

try:  # the two figures, where matplotlib is installed
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    g = torch.linspace(-3, 3, 61, dtype=torch.float64)
    X1, X2 = torch.meshgrid(g, g, indexing="xy")
    Z = 0.5 * (A[0, 0] * X1**2 + 2 * A[0, 1] * X1 * X2 + A[1, 1] * X2**2) + b[0] * X1 + b[1] * X2
    for name, paths in (("contours", {}), ("paths", {"SGD": sgd_path, "L-BFGS": lbfgs_path})):
        plt.figure(figsize=(5, 5))
        plt.contour(X1, X2, Z, levels=15)
        for label, path in paths.items():
            P = torch.stack(path).numpy()
            plt.plot(P[:, 0], P[:, 1], marker="o", label=label)
        plt.plot([x_star[0]], [x_star[1]], "k*", markersize=12)
        if paths:
            plt.legend()
        plt.savefig(name + ".png")
