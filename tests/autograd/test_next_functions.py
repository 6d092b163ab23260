"""grad_fn names and next_functions edges of common ops, compared with real torch.

torch gives an edge to every input its derivative formula covers: Python scalars wrapped as
tensors (``x + 2``) get a ``None`` edge, Scalar overloads (``x ** 2``, ``x.fmod(2)``) none at
all, and index / mask / condition / target / running-stat arguments none.
"""

import pytest
import torch

import torchjax

F = "nn.functional"

CASES = {
    "add_scalar": lambda L, x: x + 2,
    "mul_scalar": lambda L, x: x * 2,
    "pow_scalar": lambda L, x: x**2,
    "rpow": lambda L, x: 2**x,
    "fmod_scalar": lambda L, x: x.fmod(2),
    "remainder_scalar": lambda L, x: x % 2,
    "rsub": lambda L, x: 2 - x,
    "where_scalar": lambda L, x: L.where(x > 1, x, 2.0),
    "where": lambda L, x: L.where(x > 1, x, x * 2),
    "masked_fill": lambda L, x: x.masked_fill(x > 1, 2.0),
    "masked_fill_tensor": lambda L, x: x.masked_fill(x > 1, L.tensor(2.0)),
    "clamp": lambda L, x: x.clamp(0.6, 1.0),
    "gather": lambda L, x: x.gather(1, L.tensor([[0], [1], [2]])),
    "index_select": lambda L, x: x.index_select(0, L.tensor([0, 2])),
    "scatter_value": lambda L, x: x.scatter(1, L.tensor([[0], [1], [2]]), 5.0),
    "scatter_add": lambda L, x: x.scatter_add(1, L.tensor([[0], [1], [2]]), x),
    "index_add": lambda L, x: x.index_add(0, L.tensor([0, 2]), x[:2]),
    "getitem_tensor": lambda L, x: x[L.tensor([0, 2])],
    "getitem_mask": lambda L, x: x[x > 1],
    "index_put": lambda L, x: x.index_put((L.tensor([0, 2]),), L.tensor(1.0)),
    "take": lambda L, x: x.take(L.tensor([0, 2])),
    "masked_scatter": lambda L, x: x.masked_scatter(x > 1, x),
    "embedding": lambda L, x: L.nn.functional.embedding(L.tensor([0, 1]), x),
    "nll_loss": lambda L, x: L.nn.functional.nll_loss(x, L.tensor([0, 1, 2]), weight=L.ones(4)),
    "cross_entropy": lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([0, 1, 2])),
    "multi_margin": lambda L, x: L.nn.functional.multi_margin_loss(x, L.tensor([0, 1, 2])),
    "bce_logits": lambda L, x: L.nn.functional.binary_cross_entropy_with_logits(
        x, x.detach().sigmoid(), pos_weight=L.ones(4)
    ),
    "batch_norm": lambda L, x: L.nn.functional.batch_norm(x, L.zeros(4), L.ones(4), training=True),
    "mse_loss": lambda L, x: L.nn.functional.mse_loss(x, x.detach()),
    "linear": lambda L, x: L.nn.functional.linear(x, x),
    "cat": lambda L, x: L.cat([x, x.detach()]),
}


def _graph(L, fn):
    x = L.ones(3, 4, requires_grad=True) + 0.5
    r = fn(L, x)
    nexts = [None if f is None else (type(f).__name__, k) for f, k in r.grad_fn.next_functions]
    return type(r.grad_fn).__name__, nexts


@pytest.mark.parametrize("name", list(CASES))
def test_next_functions_match_torch(name):
    assert _graph(torchjax, CASES[name]) == _graph(torch, CASES[name])
