# Perturbation confusion: d/dx [x * d/dy (x + y)] at x = 1 is 1.
import torch
from functorch import grad, jvp

torch.set_default_dtype(torch.float64)


class Dual:
    """a + b*eps with one eps shared by every derivative: no tags."""

    def __init__(self, value, tangent):
        self.value, self.tangent = value, tangent

    def add(self, o):
        d = o if isinstance(o, Dual) else Dual(o, 0)
        return Dual(self.value + d.value, self.tangent + d.tangent)

    def mul(self, o):
        d = o if isinstance(o, Dual) else Dual(o, 0)
        return Dual(self.value * d.value, self.value * d.tangent + self.tangent * d.value)


def derivative(f):
    return lambda x: f((x if isinstance(x, Dual) else Dual(x, 0)).add(Dual(0, 1))).tangent


naive = derivative(lambda x: x.mul(derivative(lambda y: x.add(y))(1)))(1)
print(f"naive dual numbers: {naive}")

# functorch gives each transform its own level, so the inner derivative sees only its own perturbation.
one = torch.tensor(1.0)
by_grad = grad(lambda x: x * grad(lambda y: x + y)(one))(one).item()
by_jvp = jvp(lambda x: x * jvp(lambda y: x + y, (one,), (one,))[1], (one,), (one,))[1].item()
print(f"library, grad inside grad: {by_grad:g}")
print(f"library, jvp inside jvp: {by_jvp:g}")
