# Sine-wave regression: MAML, first-order MAML and Reptile meta-learn a 1-10-1 tanh network's initialisation.
import math

import torch

torch.set_default_dtype(torch.float64)


def rng(seed):
    """mulberry32, the listing's seeded generator, in 32-bit unsigned arithmetic."""
    state = [seed & 0xFFFFFFFF]
    M = 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & M

    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & M
        a = state[0]
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & M) ^ t
        return ((t ^ (t >> 14)) & M) / 4294967296

    return draw


H = 10
P = 3 * H + 1


def net(theta, x):
    hidden = torch.tanh(x.reshape(-1, 1) @ theta[:H].reshape(1, H) + theta[H:2 * H])
    return hidden @ theta[2 * H:3 * H] + theta[3 * H]


def mse(x, y):
    return lambda theta: ((net(theta, x) - y) ** 2).mean()


def sample_task(rand):
    amp = 0.1 + 4.9 * rand()
    phase = math.pi * rand()

    def draw():
        x = [-5 + 10 * rand() for _ in range(10)]
        return torch.tensor(x), torch.tensor([amp * math.sin(xi + phase) for xi in x])

    xs, ys = draw()
    xq, yq = draw()
    return mse(xs, ys), mse(xq, yq)


alpha = 0.05


def grad_of(L, theta, create_graph):
    if not theta.requires_grad:
        theta = theta.detach().requires_grad_(True)
    return torch.autograd.grad(L(theta), theta, create_graph=create_graph)[0]


def meta(kind, theta, task):
    train, val = task
    if kind == "reptile":
        x = theta
        for _ in range(5):
            x = x - alpha * grad_of(train, x, False)
        return theta - x
    th = theta.detach().requires_grad_(True)
    # MAML keeps the inner gradient on the graph; first-order MAML does not (create_graph=False).
    inner = th - alpha * torch.autograd.grad(train(th), th, create_graph=(kind == "maml"))[0]
    return torch.autograd.grad(val(inner), th)[0]


rand0 = rng(1)
init = torch.tensor([(2 if j < 2 * H else 1 / math.sqrt(H)) * (rand0() - 0.5) for j in range(P)])


def meta_train(kind, iterations):
    rand = rng(2)
    theta, m, v = init.clone(), torch.zeros(P), torch.zeros(P)
    for it in range(1, iterations + 1):
        g = torch.stack([meta(kind, theta, sample_task(rand)) for _ in range(4)]).mean(0)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta = theta - 0.01 * (m / (1 - 0.9**it)) / ((v / (1 - 0.999**it)).sqrt() + 1e-8)
    return theta


def evaluate(theta, k):
    rand = rng(3)
    total = 0.0
    for _ in range(25):
        train, val = sample_task(rand)
        x = theta
        for _ in range(k):
            x = x - alpha * grad_of(train, x, False)
        total += val(x).item()
    return total / 25


def report(name, theta):
    print(f"{name}: validation loss {evaluate(theta, 0):.4f} before adapting, {evaluate(theta, 1):.4f} after one step, "
          f"{evaluate(theta, 5):.4f} after five")


report("untrained", init)
for kind in ("maml", "fomaml", "reptile"):
    report(kind, meta_train(kind, 500))
