"""Constructors and factories: torch.tensor, Tensor(...), as_tensor, from_numpy, zeros/ones/full/arange ..."""

import warnings

import numpy as np
import pytest
import torch
from _compare import assert_same, both, dtype_tj

import torchjax


def _run(fn):
    """Call fn(lib) on both libraries and compare results or exception types."""
    return both(lambda lib: fn(lib))


DATA = [
    3,
    3.5,
    True,
    1 + 2j,
    [1, 2, 3],
    [1.0, 2],
    [True, False],
    [True, 1],
    [[1, 2], [3, 4]],
    [[1.5], [2.5]],
    [],
    [[]],
    (1, 2),
    [1, 2.5, 3j],
    [[1, 2], [3]],
    2**62,
    -(2**63),
    [np.float32(2.5), 1],
    np.float64(2.5),
    np.int32(4),
    np.array([1, 2], np.int32),
    np.array([1.0, 2.0]),
    np.array([[True]]),
    np.array(5, np.int16),
    np.array([1, 2], np.uint8),
]


@pytest.mark.parametrize("data", DATA, ids=lambda d: repr(d)[:30])
def test_tensor_from_python_data(data):
    _run(lambda lib: lib.tensor(data))


@pytest.mark.parametrize(
    "dtype", [torch.float64, torch.int32, torch.bool, torch.float16, torch.complex64]
)
@pytest.mark.parametrize("data", [[1.7, -2.2, 0.0], [1, 0, 3], 2.5])
def test_tensor_with_dtype(data, dtype):
    both(lambda lib, dt: lib.tensor(data, dtype=dt), dtype)


def test_tensor_errors():
    _run(lambda lib: lib.tensor())
    _run(lambda lib: lib.tensor("a"))
    _run(lambda lib: lib.tensor([[1, 2], [3]]))
    _run(lambda lib: lib.tensor(2**70))
    _run(lambda lib: lib.tensor([1, 2], requires_grad=True))
    _run(lambda lib: lib.tensor([lib.tensor([1.0, 2.0]), lib.tensor([2.0, 3.0])]))


def test_tensor_from_tensors():
    _run(lambda lib: lib.tensor([lib.tensor(1.0), lib.tensor(2.0)]))
    _run(lambda lib: lib.tensor([lib.tensor(1), lib.tensor(2.0)]))


def test_tensor_copy_warns_and_copies():
    src = torchjax.ones(3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = torchjax.tensor(src)
    assert "sourceTensor.detach().clone()" in str(w[0].message)
    t.add_(1)
    assert src.tolist() == [1.0, 1.0, 1.0]
    assert not torchjax.tensor(torchjax.ones(2, requires_grad=True)).requires_grad


def test_requires_grad_flag():
    t = torchjax.tensor([1.0, 2.0], requires_grad=True)
    assert t.requires_grad and t.is_leaf and t.grad is None


def test_legacy_constructors():
    _run(lambda lib: lib.Tensor())
    _run(lambda lib: lib.Tensor(2, 3).shape)
    _run(lambda lib: lib.Tensor([[1, 2], [3, 4]]))
    _run(lambda lib: lib.Tensor((2, 3)))
    _run(lambda lib: lib.Tensor(lib.Size([2, 3])).shape)
    _run(lambda lib: lib.Tensor(3.5))
    _run(lambda lib: lib.FloatTensor([1, 2]))
    _run(lambda lib: lib.LongTensor([1.7, 2]))
    _run(lambda lib: lib.LongTensor(2).shape)
    _run(lambda lib: lib.DoubleTensor([1]))
    _run(lambda lib: lib.BoolTensor([1, 0]))
    _run(lambda lib: lib.Tensor([1, 2], dtype=lib.int64))
    _run(lambda lib: lib.Tensor(lib.ones(3, dtype=lib.int64)))
    assert isinstance(torchjax.ones(2), torchjax.FloatTensor)
    assert not isinstance(torchjax.ones(2, dtype=torchjax.int64), torchjax.FloatTensor)


def test_legacy_tensor_of_tensor_aliases():
    t = torchjax.ones(3)
    a = torchjax.Tensor(t)
    assert a.data_ptr() == t.data_ptr()
    a.add_(1)
    assert t.tolist() == [2.0, 2.0, 2.0]


def test_as_tensor_and_from_numpy():
    t = torchjax.ones(3)
    assert torchjax.as_tensor(t) is t
    assert torchjax.as_tensor(t, dtype=torchjax.float64).dtype is torchjax.float64
    _run(lambda lib: lib.as_tensor([1, 2], dtype=lib.float64))
    _run(lambda lib: lib.as_tensor(np.array([1, 2], np.int16)))
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = torchjax.from_numpy(a)
    assert x.dtype is torchjax.float32 and x.shape == (2, 3) and x.tolist() == a.tolist()
    # the array cannot change under the tensor's feet: torchjax copies and makes it read-only
    with pytest.raises(ValueError):
        a[0, 0] = 5
    _run(lambda lib: lib.from_numpy([1, 2]))
    _run(lambda lib: lib.from_numpy(np.array([1, 2], np.uint16)))
    with pytest.raises(TypeError):
        torchjax.from_numpy(np.array(["a"]))


SIZES = [(), (0,), (3,), (2, 3), (2, 0, 4)]


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", SIZES)
def test_fill_factories(name, size):
    both(
        lambda lib: (
            getattr(lib, name)(*size).zero_() if name == "empty" else getattr(lib, name)(*size)
        )
    )
    both(lambda lib: getattr(lib, name)(size).shape)
    both(lambda lib: getattr(lib, name)(size=size).shape)
    both(lambda lib: getattr(lib, name)(list(size), dtype=lib.int32).dtype)


def test_factory_errors():
    _run(lambda lib: lib.zeros(2, -1))
    _run(lambda lib: lib.zeros(2.5))
    _run(lambda lib: lib.full((2,), 3, requires_grad=True))


@pytest.mark.parametrize("fill", [3, 2.5, True, 1 + 1j, -7])
def test_full(fill):
    _run(lambda lib: lib.full((2, 2), fill))
    _run(lambda lib: lib.full((2,), fill, dtype=lib.float64))
    _run(
        lambda lib: (
            lib.full([3], fill, dtype=lib.int32) if not isinstance(fill, complex) else lib.zeros(1)
        )
    )


ARANGE = [
    (5,),
    (1, 4, 2),
    (0, 1, 0.1),
    (-1.0, 1.0, 0.3),
    (1.5,),
    (10, 0, -3),
    (0, 10, 3),
    (2.5, 7),
    (0, 1e-3, 1e-4),
    (10, 0),
    (0, 10, 0),
    (5, 5),
]


@pytest.mark.parametrize("args", ARANGE)
def test_arange(args):
    _run(lambda lib: lib.arange(*args))
    _run(lambda lib: lib.arange(*args, dtype=lib.float64))


@pytest.mark.parametrize(
    "args,dtype",
    [
        ((0, float("inf"), 2), None),
        ((-float("inf"), 1, 2), None),
        ((1.5, float("nan")), None),
        ((0, float("inf"), 0.5), "int64"),
        ((0, float("nan"), 0), None),
        ((0, 5, float("nan")), None),
        ((0, 5, float("inf")), None),
        ((0, 5, -float("inf")), None),
        ((0, 2**62, 1e-3), None),
        ((0, 1e30, 1e-30), "int64"),
        ((0, 10, 0.5), "int64"),
        ((5, 0, 0.5), "int64"),
        ((0, 10, 0.5), "int32"),
        ((0, 10, 0.5), "uint8"),
        ((3,), "bool"),
    ],
    ids=str,
)
def test_arange_bounds_checks(args, dtype):
    """ATen's arange checks in its order: nonzero step (NaN is not), finite bounds ("unsupported
    range: 0 -> inf"), step sign, int64 conversion, the int64 path's ValueError for a step that
    truncates to 0, the size overflow check; no bool kernel."""
    both(
        lambda lib: lib.arange(*args, dtype=None if dtype is None else getattr(lib, dtype)),
        check_message=True,
    )
    if dtype in (None, "int64"):
        both(
            lambda lib: lib.arange(
                *args, out=lib.empty(0, dtype=lib.float32 if dtype is None else lib.int64)
            ),
            check_message=True,
        )


def test_arange_tensor_args_and_int_dtype():
    _run(lambda lib: lib.arange(lib.tensor(3)))
    _run(lambda lib: lib.arange(0, 5, 1.5, dtype=lib.int64))
    _run(lambda lib: lib.arange(0.5, 5, dtype=lib.int32))


LINSPACE = [
    (0, 1, 5),
    (0, 10, 5),
    (-3.5, 7.25, 11),
    (1, 1, 3),
    (0, 1, 1),
    (0, 1, 0),
    (5, -5, 33),
    (0, 1, 100),
]


@pytest.mark.parametrize("args", LINSPACE)
@pytest.mark.parametrize("dt", [None, torch.float64, torch.int64, torch.float16])
def test_linspace_exact(args, dt):
    kw = {} if dt is None else {"dtype": dt}
    th = torch.linspace(*args, **kw)
    tj = torchjax.linspace(*args, **({} if dt is None else {"dtype": dtype_tj(dt)}))
    assert_same(tj, th, rtol=0, atol=0)


@pytest.mark.parametrize("args", [(0, 2, 3), (0, 1, 5), (-1, 1, 4)])
def test_logspace(args):
    _run(lambda lib: lib.logspace(*args))
    _run(lambda lib: lib.logspace(*args, base=2))
    _run(lambda lib: lib.logspace(*args, dtype=lib.float64))


def test_eye_and_scalar_tensor():
    _run(lambda lib: lib.eye(3))
    _run(lambda lib: lib.eye(2, 3, dtype=lib.int64))
    _run(lambda lib: lib.eye(-1))
    _run(lambda lib: lib.scalar_tensor(3))
    _run(lambda lib: lib.scalar_tensor(True))


@pytest.mark.parametrize(
    "make",
    [
        lambda lib: lib.ones(3, 4),
        lambda lib: lib.ones(3, 4).t(),
        lambda lib: lib.ones(3, 4)[:, ::2],
        lambda lib: lib.ones(2, 3, 4).permute(2, 0, 1),
        lambda lib: lib.ones(3, 1).expand(3, 4),
    ],
)
@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
def test_like_preserves_strides(make, name):
    th = getattr(torch, name)(make(torch))
    tj = getattr(torchjax, name)(make(torchjax))
    assert tuple(tj.stride()) == tuple(th.stride())
    assert tuple(tj.shape) == tuple(th.shape)
    if name != "empty_like":
        assert_same(tj, th)
    both(lambda lib: getattr(lib, name)(make(lib), dtype=lib.int32).dtype)


def test_full_like_and_new_methods():
    _run(lambda lib: lib.full_like(lib.ones(2, 3), 7))
    _run(lambda lib: lib.full_like(lib.ones(2, dtype=lib.int64), 2.7))
    _run(lambda lib: lib.ones(2).new_zeros(3))
    _run(lambda lib: lib.ones(2, dtype=lib.int32).new_ones((2, 2)))
    _run(lambda lib: lib.ones(2, dtype=lib.int32).new_tensor([1.5]))
    _run(lambda lib: lib.ones(2, dtype=lib.int32).new_full((2,), 3.5))
    _run(lambda lib: lib.ones(2, dtype=lib.float64).new_empty(3).zero_())
    _run(lambda lib: lib.ones(2).new_tensor([1, 2], dtype=lib.int64))
    _run(lambda lib: lib.empty_strided((2, 3), (1, 2)).stride())


def test_factory_requires_grad():
    t = torchjax.zeros(2, 3, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    assert repr(t) == repr(torch.zeros(2, 3, requires_grad=True))


def test_out_argument():
    out = torchjax.empty(3)
    r = torchjax.ones(3, out=out)
    assert r is out and out.tolist() == [1.0, 1.0, 1.0]
    out = torchjax.empty(0, dtype=torchjax.int64)
    torchjax.arange(4, out=out)
    assert out.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "size,layout",
    [
        ((2, 3, 4), (2, 0, 1)),
        ((2, 0, 4), (1, 2, 0)),
        ((), ()),
        ((1, 3, 5), (0, 1, 2)),
        ((2,), (0, 1)),
        ((2,), (3,)),
        ((2, 3), (0, 0)),
        ((2, 3), (-1, 0)),
    ],
)
def test_empty_permuted(size, layout):
    both(
        lambda lib: (lambda t: (t.shape, t.stride(), t.dtype))(
            lib.empty_permuted(size, layout, dtype=lib.float64)
        ),
        check_message=True,
    )
    both(lambda lib: lib.empty_permuted(size, layout, requires_grad=True).requires_grad) if len(
        size
    ) == len(layout) and len(set(layout)) == len(layout) and all(
        0 <= d < len(size) for d in layout
    ) else None


def test_zero_function():
    def f(lib, x):
        y = x * 1
        r = lib.zero_(y)
        return r is y, y, r.grad_fn.name()

    both(f, torch.randn(3, requires_grad=True))


@pytest.mark.parametrize("name", ["linspace", "logspace"])
@pytest.mark.parametrize(
    "args",
    [
        (0, 3, 1.0),
        (0, 3, True),
        (0, 3, -1),
        (0, 3, 4),
        (torch.tensor([1.0, 2.0]), 1, 3),
        (0, torch.tensor([2.0]), 3),
        (torch.tensor(1.0), 3, 4),
        (0, 3, torch.tensor(2)),
    ],
)
def test_space_argument_errors(name, args):
    both(lambda lib, *a: getattr(lib, name)(*a), *args, check_message=True)
    if name == "logspace":
        both(lambda lib, *a: lib.logspace(*a, 2.0), *args, check_message=True)
