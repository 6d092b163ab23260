"""Tensor snippets from the study notes in ../shared/seeds/: each prints what real torch prints.

Snippets that draw random numbers seed first, so they also check torch-identical RNG. The
nn/optim snippets of the notes (GRU/LSTM, Sequential, parameters()) belong to the nn issue
and are tested there; the autograd tutorial snippets of seed 004 are in tests/autograd.
"""

import pytest
from _compare import assert_same_output

SEED_000 = {
    "scatter_dim0": """
src = torch.arange(1, 11).reshape((2, 5))
print(src)
index = torch.tensor([[0, 1, 2, 0]])
print(torch.zeros(3, 5, dtype=src.dtype).scatter_(0, index, src))
""",
    "scatter_dim1": """
src = torch.arange(1, 11).reshape((2, 5))
index = torch.tensor([[0, 1, 2], [0, 1, 4]])
print(torch.zeros(3, 5, dtype=src.dtype).scatter_(1, index, src))
""",
    "labels_to_long": """
device = torch.device('cpu')
labels = torch.tensor([1., 0., 2.])
labels = labels.to(device=device, dtype=torch.int64)
print(labels, labels.dtype)
print(torch.tensor([1., 2.]).long().to(device=device))
""",
    "labels_long_without_call_errors": """
labels = torch.tensor([1., 0.])
try:
    labels.long.to(device='cpu')
except AttributeError:
    print('AttributeError')
""",
    "dims": """
print(torch.tensor([1, 2, 3]).shape, torch.tensor([[1, 2, 3], [4, 5, 6]]).shape)
print(torch.tensor([[1, 2, 3]]).shape, torch.tensor([[1, 2, 3], [1, 2, 3]]))
""",
}

SEED_001 = {
    "Tensor_vs_tensor": """
T = torch.Tensor()
print(T, T.dtype)
print(torch.Tensor([1, 2]), torch.tensor([1, 2]))
t = torch.ones(3)
print(torch.Tensor(t).data_ptr() == t.data_ptr())
import numpy as np
arr = np.array([1, 2])
print(torch.Tensor(arr), torch.tensor(arr))
try:
    torch.tensor()
except TypeError as e:
    print('TypeError', e)
""",
    "matmul_table": """
v = torch.tensor([1., 2., 3.])
m = torch.arange(6.).reshape(2, 3)
b = torch.arange(24.).reshape(4, 3, 2)
print(torch.dot(v, v), torch.mm(m, m.t()), torch.matmul(m, v), torch.matmul(b, torch.ones(2)))
print(torch.matmul(torch.ones(5, 2, 3), torch.ones(3, 4)).shape, (m @ m.t()).shape)
try:
    torch.mm(torch.ones(5, 2, 3), torch.ones(3, 4))
except RuntimeError as e:
    print('RuntimeError', e)
""",
    "view_vs_reshape": """
a = torch.zeros((3, 2))
b = a.view(2, 3)
a.fill_(1)
print(a, b)
a = torch.zeros((3, 2))
b = a.reshape(2, 3)
a.fill_(1)
print(a, b)
a = torch.zeros(3, 2).t()
b = a.reshape(6)
a.fill_(1)
print(b)
""",
}

SEED_002 = {
    "casting": """
a = torch.tensor([1, 2, 3], dtype=torch.float)
print(a)
a = a.type(torch.long)
print(a, a.dtype)
""",
    "indexing": """
torch.manual_seed(0)
a = torch.randn(3, 4)
a_col = a[:, 0]
a_row = a[0]
print(a, a_col, a_row, a[0, :])
b = torch.tensor([3.6])
b_value = b.item()
print(b_value, type(b_value).__name__)
""",
}

SEED_003 = {
    "view_minus_one": """
bikes = torch.arange(48. * 3).reshape(48, 3)
daily_bikes = bikes.view(-1, 24, bikes.shape[1])
print(daily_bikes.shape, daily_bikes.stride())
""",
    "requires_grad": """
params = torch.tensor([1.0, 0.0], requires_grad=True)
print(params, params.requires_grad, params.grad)
for is_train in (True, False):
    with torch.set_grad_enabled(is_train):
        y = params * 2
    print(y.requires_grad, params.requires_grad)
val_loss = (params * 2).sum().detach()
assert val_loss.requires_grad == False
print(val_loss)
""",
}

SEED_004 = {
    "creation": """
import numpy as np
print(torch.tensor([1, 2]), torch.tensor((1.5, 2)), torch.from_numpy(np.array([1, 2])))
shape = (2, 3,)
torch.manual_seed(0)
print(torch.zeros(shape))
print(torch.ones(shape))
print(torch.rand(shape))
print(torch.randn(shape))
print(torch.randint(10, shape))
print(torch.randint(low=0, high=10, size=shape))
print(torch.arange(1, 4, 2))
try:
    torch.arange(1, 4, 2).view(1, 2, 3)
except RuntimeError as e:
    print('RuntimeError', e)
print(torch.arange(1, 7).view(1, 2, 3))
""",
    "rank_shape": """
torch.manual_seed(0)
x = torch.rand(4, 3, 2)
print(f"Rank : {len(x.shape)}")
print(f"Shape : {x.shape}")
print(x.squeeze().shape, x.unsqueeze(dim=-1).shape, torch.rand(1, 3, 1).squeeze().shape)
""",
    "indexing": """
torch.manual_seed(0)
x = torch.rand(2, 3)
print(f"1st row : {x[0]}")
print(f"1st column : {x[:,0]}")
print(f"last column : {x[:,-1]}")
x[:, -1] = 0
print(x)
print(x * (x > 0.5))
""",
    "nonzero": """
torch.manual_seed(1)
x = torch.rand(2, 3)
print((x > 0.5).nonzero())
axis0, axis1 = (x > 0.5).nonzero(as_tuple=True)
print(axis0, axis1)
for i in range(len(axis0)):
    print(x[axis0[i]][axis1[i]])
""",
    "sum": """
x = torch.ones(3, 2, 4)
print(x.sum(dim=0, keepdim=True).shape)
print(x.sum(dim=0, keepdim=False).shape)
print(x.sum(dim=0, keepdim=True).squeeze().shape)
print(x.sum(dim=1, keepdim=True).shape)
print(x.sum(dim=2, keepdim=True).shape)
""",
    "matmul_mul": """
torch.manual_seed(0)
shape = (2, 1)
x = torch.randint(10, shape)
y = torch.randint(10, shape)
print(torch.matmul(x, y.T))
print(x @ y.T)
print(torch.mul(x, y))
print(x * y)
print(x * y.T)
""",
    "cat": """
torch.manual_seed(0)
x = torch.randint(10, (1, 2))
print(x)
x_concat = torch.cat([x, x, x], dim=1)
print(f"Concat : {x_concat} shape: {x_concat.shape}")
print(torch.cat([x, x, x], dim=0).shape)
""",
}

ALL = {f"000_{k}": v for k, v in SEED_000.items()}
ALL.update({f"001_{k}": v for k, v in SEED_001.items()})
ALL.update({f"002_{k}": v for k, v in SEED_002.items()})
ALL.update({f"003_{k}": v for k, v in SEED_003.items()})
ALL.update({f"004_{k}": v for k, v in SEED_004.items()})


@pytest.mark.parametrize("name", sorted(ALL))
def test_seed_snippet_prints_like_torch(name):
    assert_same_output(ALL[name])
