"""nn.functional dropout / normalization / embedding / shuffle / linear ops against real torch:
values, dtypes, in-place running-statistic updates, torch's errors, grad_fn names and gradients."""

from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, to_tj

import torchjax


def F(t):
    return t.nn.functional


def run(fn, *args, check_message=False, **kw):
    """Like _compare.both, but torchjax gets its copies before torch runs (in-place ops mutate the
    inputs) and torch works on clones."""
    tj_args = to_tj([a.clone() if isinstance(a, torch.Tensor) else a for a in args])
    th_args = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
    th_exc = tj_exc = None
    try:
        th = fn(torch, *th_args)
    except Exception as e:  # noqa: BLE001
        th_exc = e
    try:
        tj = fn(torchjax, *tj_args)
    except Exception as e:  # noqa: BLE001
        tj_exc = e
    if th_exc is not None or tj_exc is not None:
        assert type(th_exc).__name__ == type(tj_exc).__name__, (th_exc, tj_exc)
        if check_message:
            assert str(tj_exc) == str(th_exc)
        return
    assert_same(tj, th, **kw)


def grads(fn, *args, diff=(0,)):
    """Compare fn's output, grad_fn name and input gradients (for a fixed non-uniform cotangent)."""
    th = [a.clone().requires_grad_(i in diff) for i, a in enumerate(args)]
    tj = to_tj(th)
    o_th, o_tj = fn(torch, *th), fn(torchjax, *tj)
    assert_same(o_tj, o_th)
    assert type(o_tj.grad_fn).__name__ == type(o_th.grad_fn).__name__
    g_th = torch.autograd.grad((o_th * o_th.detach().cos()).sum(), [th[i] for i in diff])
    g_tj = torchjax.autograd.grad((o_tj * o_tj.detach().cos()).sum(), [tj[i] for i in diff])
    assert_same(list(g_tj), list(g_th))


torch.manual_seed(0)
X = torch.randn(4, 3, 5, dtype=torch.float64)
W3 = torch.randn(3, dtype=torch.float64)
B3 = torch.randn(3, dtype=torch.float64)


# ------------------------------------------------------------------ dropout


@pytest.mark.parametrize(
    "name, shape",
    [
        ("dropout", (2, 3, 4)),
        ("alpha_dropout", (2, 3)),
        ("feature_alpha_dropout", (2, 3, 4, 5)),
        ("dropout1d", (2, 3, 4)),
        ("dropout2d", (2, 3, 4, 5)),
        ("dropout3d", (2, 3, 4, 5, 2)),
    ],
)
def test_dropout_shapes_dtypes_and_eval_identity(name, shape):
    x = torchjax.randn(*shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = getattr(F(torchjax), name)(x, 0.3, True)
        assert y.shape == x.shape and y.dtype is x.dtype
        assert getattr(F(torchjax), name)(x, 0.3, False) is x


def test_dropout_statistics_and_scale():
    torchjax.manual_seed(1)
    x = torchjax.ones(200000)
    y = F(torchjax).dropout(x, 0.3)
    vals = sorted(torchjax.unique(y).tolist())
    assert len(vals) == 2 and vals[0] == 0.0 and vals[1] == pytest.approx(1 / 0.7)
    keep = (y != 0).float().mean().item()
    assert abs(keep - 0.7) < 0.005


def test_dropout_mask_is_bernoulli_of_keep_probability():
    torchjax.manual_seed(3)
    y = F(torchjax).dropout(torchjax.ones(6, 7), 0.4)
    torchjax.manual_seed(3)
    mask = torchjax.empty(6, 7).bernoulli_(0.6)
    assert bool((y == mask / 0.6).all())


def test_dropout_values_match_torch_where_torch_takes_its_default_bernoulli_path():
    torch.manual_seed(3)
    th = torch.nn.functional.dropout(torch.ones(6, 7), 0.4)
    torch.manual_seed(3)
    if not torch.equal(th, torch.empty(6, 7).bernoulli_(0.6) / 0.6):
        pytest.skip(
            "this torch build draws dropout masks from MKL (Intel CPU): values differ by design"
        )
    torchjax.manual_seed(3)
    assert_same(F(torchjax).dropout(torchjax.ones(6, 7), 0.4), th)


def test_feature_dropout_masks_whole_channels():
    torchjax.manual_seed(0)
    y = F(torchjax).dropout2d(torchjax.ones(8, 16, 3, 3), 0.5)
    per_channel = y.reshape(8, 16, 9)
    assert ((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all()


def test_alpha_dropout_keeps_selu_statistics():
    torchjax.manual_seed(0)
    x = torchjax.randn(400000)
    y = F(torchjax).alpha_dropout(x, 0.2, True)
    assert abs(y.mean().item()) < 0.01 and abs(y.std().item() - 1) < 0.01


def test_dropout_inplace_and_grad():
    x = torchjax.ones(3, 4)
    r = F(torchjax).dropout(x, 0.5, True, True)
    assert r is x
    leaf = torchjax.ones(3, 4, requires_grad=True)
    y = F(torchjax).dropout(leaf, 0.5)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    y.sum().backward()
    assert_same(leaf.grad, torch.tensor(y.detach().numpy()))
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F(torchjax).dropout(leaf, 0.5, True, True)


def test_dropout_p_edge_cases_and_errors():
    run(lambda t, x: F(t).dropout(x, 1.0), torch.tensor([1.0, float("nan"), float("inf")]))
    run(lambda t, x: F(t).dropout(x, 1.5), X, check_message=True)
    run(lambda t, x: t.dropout(x, -0.5, True), X, check_message=True)
    run(lambda t, x: t.feature_dropout(x[0, 0], 0.5, True), X, check_message=True)
    run(lambda t, x: F(t).dropout1d(x[0, 0], 0.5), X, check_message=True)
    run(lambda t, x: F(t).dropout(x.long(), 0.5), X)
    run(lambda t, x: t.native_dropout(x, 0.3, False), X)
    run(lambda t, x: (t.manual_seed(0), F(t).dropout(x, 0.5))[1], torch.tensor(2.0))  # 0-d input
    with pytest.warns(UserWarning, match="dropout2d: Received a 2-D input"):
        F(torchjax).dropout2d(torchjax.ones(3, 4), 0.5)


# ------------------------------------------------------------------ batch / instance norm


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_updates_running_stats(training):
    def f(t, x, rm, rv, w, b):
        out = F(t).batch_norm(x, rm, rv, w, b, training=training, momentum=0.3, eps=1e-4)
        return out, rm, rv

    run(f, X, torch.randn(3, dtype=torch.float64), torch.rand(3, dtype=torch.float64) + 0.5, W3, B3)


def test_native_batch_norm_outputs():
    run(lambda t, x: t.native_batch_norm(x, None, None, None, None, True, 0.1, 1e-5), X)
    run(
        lambda t, x, rm, rv: t.native_batch_norm(x, None, None, rm, rv, False, 0.1, 1e-5),
        X,
        W3,
        W3.abs(),
    )
    run(lambda t, x: t.batch_norm(x[:0], None, None, None, None, True, 0.1, 1e-5, False), X)


def test_batch_norm_errors():
    run(lambda t, x: F(t).batch_norm(x, None, None), X, check_message=True)
    run(
        lambda t, x: F(t).batch_norm(
            x, torch.zeros(4) if t is torch else torchjax.zeros(4), None, training=True
        ),
        X,
        check_message=True,
    )
    run(
        lambda t, x: F(t).batch_norm(x[:1, :, :1], None, None, training=True), X, check_message=True
    )
    run(lambda t, x: F(t).batch_norm(x, None, None, training=True, eps=0.0), X, check_message=True)
    run(lambda t, x: F(t).batch_norm(x.long(), None, None, training=True), X, check_message=True)


def test_instance_norm_running_stats():
    def f(t, x, rm, rv):
        return F(t).instance_norm(x, rm, rv, momentum=0.2), rm, rv

    run(f, X, W3, W3.abs())
    run(lambda t, x, rm, rv: F(t).instance_norm(x, rm, rv, use_input_stats=False), X, W3, W3.abs())
    run(
        lambda t, x: t.instance_norm(x, None, None, None, None, False, 0.1, 1e-5, False),
        X,
        check_message=True,
    )
    run(lambda t, x: F(t).instance_norm(x[:, :, :1]), X, check_message=True)


# ------------------------------------------------------------------ layer / group / rms / local response


def test_layer_norm_family():
    w = torch.randn(3, 5, dtype=torch.float64)
    run(lambda t, x, w: F(t).layer_norm(x, [3, 5], w, w), X, w)
    run(lambda t, x: t.native_layer_norm(x, [5], None, None, 1e-5), X)
    run(lambda t, x: F(t).layer_norm(x.float().half(), [5]), X, rtol=1e-3, atol=1e-3)
    o = torchjax.native_layer_norm(to_tj(X).requires_grad_(), [5], None, None, 1e-5)
    assert o[0].requires_grad and not o[1].requires_grad and not o[2].requires_grad


def test_group_norm_family():
    run(lambda t, x, w, b: F(t).group_norm(x, 3, w, b), X, W3, B3)
    run(lambda t, x: t.native_group_norm(x, None, None, 4, 3, 5, 1, 1e-5), X)
    run(lambda t, x: F(t).group_norm(x[:0], 1), X)


def test_rms_norm_and_local_response_norm():
    w = torch.randn(5, dtype=torch.float64)
    run(lambda t, x, w: F(t).rms_norm(x, [5], w), X, w)
    run(lambda t, x: F(t).rms_norm(x.float(), [3, 5], eps=1e-3), X)
    run(lambda t, x: F(t).rms_norm(x.half(), [5]), X)
    run(lambda t, x: F(t).local_response_norm(x, 2), X)
    run(
        lambda t, x: F(t).local_response_norm(x.reshape(2, 2, 3, 5), 3, alpha=0.1, beta=0.5, k=2.0),
        X,
    )
    run(lambda t, x: F(t).local_response_norm((x * 3).long(), 3), X)


@pytest.mark.parametrize(
    "call",
    [
        lambda t, x: F(t).group_norm(x, 0),
        lambda t, x: F(t).group_norm(x, 2),
        lambda t, x: F(t).group_norm(x[0, 0], 1),
        lambda t, x: t.group_norm(x, 3, torch.ones(4) if t is torch else torchjax.ones(4)),
        lambda t, x: F(t).layer_norm(x, [4]),
        lambda t, x: F(t).layer_norm(x, []),
        lambda t, x: F(t).layer_norm(x.long(), [5]),
        lambda t, x: F(t).rms_norm(x, [5], torch.ones(4) if t is torch else torchjax.ones(4)),
        lambda t, x: F(t).rms_norm(x.long(), [5]),
        lambda t, x: F(t).local_response_norm(x[0], 2),
    ],
)
def test_norm_errors(call):
    run(call, X, check_message=True)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, x, w: F(t).batch_norm(x, None, None, w, w, training=True),
        lambda t, x, w: F(t).batch_norm(x, w.detach().abs(), w.detach().abs(), w, None),
        lambda t, x, w: F(t).group_norm(x, 3, w, w),
        lambda t, x, w: F(t).instance_norm(x, weight=w, bias=w),
        lambda t, x, w: F(t).layer_norm(x, [5]) * w.sum(),
        lambda t, x, w: F(t).rms_norm(x, [5]) * w.sum(),
        lambda t, x, w: F(t).local_response_norm(x, 3) * w.sum(),
    ],
)
def test_norm_gradients(fn):
    grads(fn, X, W3, diff=(0, 1))


# ------------------------------------------------------------------ embedding family

EW = torch.randn(10, 3, dtype=torch.float64)
IDX = torch.tensor([[1, 2, 0, 9], [4, 3, 2, 9]])
FLAT = torch.tensor([1, 2, 1, 0, 9, 9, 4, 1])
OFFS = torch.tensor([0, 3, 3, 6])


def test_embedding_and_renorm():
    run(lambda t, i, w: F(t).embedding(i, w, padding_idx=-1), IDX, EW)
    run(lambda t, i, w: (F(t).embedding(i, w, max_norm=1.0), w), IDX, EW)
    run(lambda t, i, w: (F(t).embedding(i, w, max_norm=0.5, norm_type=1.0), w), IDX, EW)
    run(lambda t, i, w: t.embedding(w, i.int()), IDX, EW)
    run(lambda t, i, w: F(t).embedding(i, w), torch.tensor([10]), EW, check_message=True)
    run(lambda t, i, w: F(t).embedding(i.float(), w), IDX, EW, check_message=True)
    run(lambda t, i, w: F(t).embedding(i, w[0]), IDX, EW, check_message=True)
    run(lambda t, i, w: F(t).embedding(i, w, padding_idx=11), IDX, EW)
    run(
        lambda t, i, w: t.embedding_renorm_(w.requires_grad_(), i, 1.0, 2.0),
        IDX,
        EW,
        check_message=True,
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("mode", [0, 1, 2])
@pytest.mark.parametrize("padding_idx", [None, 1, -1])
@pytest.mark.parametrize("include_last_offset", [False, True])
def test_embedding_bag_matches_cpu_kernel(dtype, mode, padding_idx, include_last_offset):
    # all four outputs, including torch's CPU layout of offset2bag / bag_size / max_indices
    run(
        lambda t, w, i, o: t.embedding_bag(
            w, i, o, False, mode, False, None, include_last_offset, padding_idx
        ),
        EW.to(dtype),
        FLAT,
        OFFS,
    )


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_functional(mode):
    run(lambda t, i, w: F(t).embedding_bag(i, w, mode=mode, padding_idx=9), IDX, EW)
    run(lambda t, i, w, o: F(t).embedding_bag(i, w, o, mode=mode, max_norm=1.0), FLAT, EW, OFFS)
    run(
        lambda t, i, w, o, p: F(t).embedding_bag(i, w, o, mode=mode, per_sample_weights=p),
        FLAT,
        EW,
        OFFS,
        torch.rand(8, dtype=torch.float64),
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda t, i, w, o: F(t).embedding_bag(i, w, o + 1),
        lambda t, i, w, o: F(t).embedding_bag(i, w, o * 3),
        lambda t, i, w, o: F(t).embedding_bag(i, w, o, padding_idx=10),
        lambda t, i, w, o: F(t).embedding_bag(i, w, o, mode="prod"),
        lambda t, i, w, o: F(t).embedding_bag(i, w),
        lambda t, i, w, o: F(t).embedding_bag(i.float(), w, o),
        lambda t, i, w, o: t.embedding_bag(w, i, o, False, 3, False, None, False, None),
    ],
)
def test_embedding_bag_errors(call):
    run(call, FLAT, EW, OFFS, check_message=True)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, w, i: F(t).embedding(i, w, padding_idx=2, scale_grad_by_freq=True),
        lambda t, w, i: F(t).embedding(i, w, padding_idx=9),
        lambda t, w, i: F(t).embedding_bag(i, w, padding_idx=9, mode="mean"),
        lambda t, w, i: F(t).embedding_bag(i, w, padding_idx=9, mode="max"),
        lambda t, w, i: F(t).embedding_bag(i, w, mode="sum", scale_grad_by_freq=True),
        lambda t, w, i: F(t).embedding_bag(
            i[:, :2] * 0 + i[:, :1], w, mode="max"
        ),  # ties within a bag
    ],
)
def test_embedding_gradients(fn):
    grads(fn, EW, IDX)


def test_one_hot():
    run(lambda t, i: F(t).one_hot(i), IDX)
    run(lambda t, i: F(t).one_hot(i, 12), IDX)
    run(lambda t, i: F(t).one_hot(i[0, 0]), IDX)
    for call in (
        lambda t, i: F(t).one_hot(i, 3),
        lambda t, i: F(t).one_hot(i.int()),
        lambda t, i: F(t).one_hot(-i),
        lambda t, i: F(t).one_hot(i[:0]),
    ):
        run(call, IDX, check_message=True)


# ------------------------------------------------------------------ shuffles, linear, bilinear

Y = torch.randn(2, 8, 4, 6, dtype=torch.float64)


def test_shuffles():
    run(lambda t, x: F(t).pixel_shuffle(x, 2), Y)
    run(lambda t, x: t.pixel_shuffle(x[0], 2), Y)
    run(lambda t, x: F(t).pixel_unshuffle(x, 2), Y)
    run(lambda t, x: F(t).channel_shuffle(x, 4), Y)
    run(lambda t, x: t.native_channel_shuffle(x.long(), 2), Y)
    for call in (
        lambda t, x: F(t).pixel_shuffle(x, 3),
        lambda t, x: F(t).pixel_shuffle(x[0, 0], 2),
        lambda t, x: F(t).pixel_unshuffle(x, 4),
        lambda t, x: F(t).channel_shuffle(x, 3),
        lambda t, x: F(t).channel_shuffle(x, 0),
        lambda t, x: F(t).pixel_shuffle(x, 0),
    ):
        run(call, Y, check_message=True)
    grads(lambda t, x: F(t).pixel_shuffle(x, 2), Y)
    grads(lambda t, x: F(t).channel_shuffle(x, 2), Y)
    x = torchjax.ones(2, 4, 3, requires_grad=True)
    y = torchjax.native_channel_shuffle(x, 2)
    with pytest.raises(
        RuntimeError, match="derivative for aten::native_channel_shuffle is not implemented"
    ):
        y.sum().backward()


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 4), (2, 2, 3, 4)])
def test_linear(shape):
    x = torch.randn(*shape, dtype=torch.float64)
    w = torch.randn(5, 4, dtype=torch.float64)
    b = torch.randn(5, dtype=torch.float64)
    run(lambda t, x, w, b: F(t).linear(x, w, b), x, w, b)
    run(lambda t, x, w: F(t).linear(x, w), x, w)
    run(lambda t, x, w, b: F(t).linear(x.long(), w.long(), b.long()), x * 5, w * 5, b * 5)
    grads(lambda t, x, w, b: F(t).linear(x, w, b), x, w, b, diff=(0, 1, 2))
    if len(shape) == 3:
        grads(lambda t, x, w, b: F(t).linear(x.transpose(0, 1), w, b), x, w, b, diff=(0, 1, 2))
    run(lambda t, x, w: F(t).linear(x, w[:, :3]), x, w)


def test_bilinear():
    a = torch.randn(2, 3, 4, dtype=torch.float64)
    b = torch.randn(2, 3, 2, dtype=torch.float64)
    w = torch.randn(5, 4, 2, dtype=torch.float64)
    bias = torch.randn(5, dtype=torch.float64)
    run(lambda t, a, b, w, bias: F(t).bilinear(a, b, w, bias), a, b, w, bias)
    run(lambda t, a, b, w: t.bilinear(a, b, w), a, b, w)
    run(lambda t, a, b, w: t.bilinear(a.long(), b.long(), w.long()), a * 4, b * 4, w * 4)
    grads(lambda t, a, b, w, bias: F(t).bilinear(a, b, w, bias), a, b, w, bias, diff=(0, 1, 2, 3))
    for call in (
        lambda t, a, b, w: t.bilinear(a, b[0], w),
        lambda t, a, b, w: t.bilinear(a, b[:1], w),
        lambda t, a, b, w: t.bilinear(a, a, w),
        lambda t, a, b, w: t.bilinear(b, b, w),
        lambda t, a, b, w: t.bilinear(a, b, w, w[0, 0]),
    ):
        run(call, a, b, w, check_message=True)
