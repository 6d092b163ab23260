"""nn.functional.multi_head_attention_forward against torch 2.13 (values, grads, errors)."""

import warnings

import pytest
import torch
from _compare import both, to_tj

import torchjax

E, H, L, S, N = 8, 2, 3, 4, 2


def _r(*shape, seed=0, grad=False):
    g = torch.Generator().manual_seed(sum(shape) * 17 + seed)
    return torch.randn(*shape, generator=g, dtype=torch.float64).requires_grad_(grad)


def _params(kdim=E, vdim=E):
    return dict(
        in_proj_weight=_r(3 * E, E, seed=1, grad=True),
        in_proj_bias=_r(3 * E, seed=2, grad=True),
        out_proj_weight=_r(E, E, seed=3, grad=True),
        out_proj_bias=_r(E, seed=4, grad=True),
        q_proj_weight=_r(E, E, seed=5, grad=True),
        k_proj_weight=_r(E, kdim, seed=6, grad=True),
        v_proj_weight=_r(E, vdim, seed=7, grad=True),
        bias_k=_r(1, 1, E, seed=8, grad=True),
        bias_v=_r(1, 1, E, seed=9, grad=True),
    )


def _mha(L_, q, k, v, p, *, separate=False, biases=False, add_zero_attn=False, grads=True, **kw):
    out, w = L_.nn.functional.multi_head_attention_forward(
        q,
        k,
        v,
        E,
        H,
        None if separate else p["in_proj_weight"],
        p["in_proj_bias"],
        p["bias_k"] if biases else None,
        p["bias_v"] if biases else None,
        add_zero_attn,
        0.0,
        p["out_proj_weight"],
        p["out_proj_bias"],
        use_separate_proj_weight=separate,
        q_proj_weight=p["q_proj_weight"] if separate else None,
        k_proj_weight=p["k_proj_weight"] if separate else None,
        v_proj_weight=p["v_proj_weight"] if separate else None,
        **kw,
    )
    if not grads:
        return out, w
    leaves = [t for t in (q, k, v, *p.values()) if t.requires_grad]
    loss = out.sum() + (w.sum() * 0.5 if w is not None else 0)
    gs = L_.autograd.grad(loss, leaves, allow_unused=True)
    return out, w, [g for g in gs if g is not None]


def _run(*, batched=True, self_attn=False, kdim=E, vdim=E, **kw):
    lead = (N,) if batched else ()
    q = _r(L, *lead, E, seed=10, grad=True)
    k = q if self_attn else _r(S, *lead, kdim, seed=11, grad=True)
    v = (
        q
        if self_attn
        else (k if kw.pop("kv_same", False) else _r(S, *lead, vdim, seed=12, grad=True))
    )
    p = _params(kdim, vdim)

    def f(L_, q, k, v, p):
        # keep torch's identity tests (q is k / k is v) intact across the conversion
        k2 = q if self_attn else k
        v2 = q if self_attn else v
        return _mha(L_, q, k2, v2, p, **kw)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(f, q, k, v, p, rtol=1e-6, atol=1e-6)


def test_self_attention():
    _run(self_attn=True)


def test_encoder_decoder_kv_same():
    q, kv = _r(L, N, E, seed=10, grad=True), _r(S, N, E, seed=11, grad=True)
    p = _params()
    both(lambda L_, q, kv, p: _mha(L_, q, kv, kv, p), q, kv, p, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        dict(average_attn_weights=False),
        dict(need_weights=False),
        dict(biases=True),
        dict(add_zero_attn=True),
        dict(biases=True, add_zero_attn=True, average_attn_weights=False),
        dict(separate=True, kdim=5, vdim=6),
        dict(batched=False),
        dict(batched=False, need_weights=False, add_zero_attn=True),
    ],
)
def test_variants(kw):
    _run(**kw)


@pytest.mark.parametrize("mask_kind", ["bool", "float"])
@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("which", ["kpm", "attn2d", "attn3d", "both"])
def test_masks(mask_kind, need_weights, which):
    def mk(*shape, seed):
        m = torch.rand(*shape, generator=torch.Generator().manual_seed(seed)) > 0.7
        m[..., 0] = False  # no row fully masked
        return (
            m
            if mask_kind == "bool"
            else torch.zeros(*shape, dtype=torch.float64).masked_fill(m, -5.0)
        )

    kw = {}
    if which in ("kpm", "both"):
        kw["key_padding_mask"] = mk(N, S, seed=1)
    if which in ("attn2d", "both"):
        kw["attn_mask"] = mk(L, S, seed=2)
    if which == "attn3d":
        kw["attn_mask"] = mk(N * H, L, S, seed=3)
    q, k, v = (
        _r(L, N, E, seed=10, grad=True),
        _r(S, N, E, seed=11, grad=True),
        _r(S, N, E, seed=12, grad=True),
    )
    p = _params()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(
            lambda L_, q, k, v, p, kw: _mha(
                L_, q, k, v, p, need_weights=need_weights, biases=True, **kw
            ),
            q,
            k,
            v,
            p,
            kw,
            rtol=1e-6,
            atol=1e-6,
        )


@pytest.mark.parametrize("need_weights", [True, False])
def test_is_causal(need_weights):
    mask = torch.triu(torch.full((L, L), float("-inf"), dtype=torch.float64), 1)
    q = _r(L, N, E, seed=10, grad=True)
    p = _params()
    both(
        lambda L_, q, p, m: _mha(
            L_, q, q, q, p, attn_mask=m, is_causal=True, need_weights=need_weights
        ),
        q,
        p,
        mask,
        rtol=1e-6,
        atol=1e-6,
    )


def test_static_kv():
    q, k, v = _r(L, N, E, seed=10), _r(S, N, E, seed=11), _r(S, N, E, seed=12)
    sk, sv = _r(N * H, 5, E // H, seed=13), _r(N * H, 5, E // H, seed=14)
    p = _params()
    both(
        lambda L_, q, k, v, p, sk, sv: _mha(L_, q, k, v, p, grads=False, static_k=sk, static_v=sv),
        q,
        k,
        v,
        p,
        sk,
        sv,
        rtol=1e-6,
        atol=1e-6,
    )


def test_dropout_training_shapes():
    q = to_tj(_r(L, N, E, seed=10))
    p = to_tj(_params())
    torchjax.manual_seed(0)
    out, w = torchjax.nn.functional.multi_head_attention_forward(
        q,
        q,
        q,
        E,
        H,
        p["in_proj_weight"],
        p["in_proj_bias"],
        None,
        None,
        False,
        0.5,
        p["out_proj_weight"],
        p["out_proj_bias"],
        training=True,
    )
    assert tuple(out.shape) == (L, N, E) and tuple(w.shape) == (N, L, L)
    # eval mode ignores dropout_p
    both(
        lambda L_, q, p: L_.nn.functional.multi_head_attention_forward(
            q,
            q,
            q,
            E,
            H,
            p["in_proj_weight"],
            p["in_proj_bias"],
            None,
            None,
            False,
            0.5,
            p["out_proj_weight"],
            p["out_proj_bias"],
            training=False,
        ),
        _r(L, N, E, seed=10),
        _params(),
        rtol=1e-6,
        atol=1e-6,
    )


def _call(L_, q, k, v, **kw):
    args = dict(
        embed_dim_to_check=E,
        num_heads=H,
        in_proj_weight=L_.zeros(3 * E, E),
        in_proj_bias=None,
        bias_k=None,
        bias_v=None,
        add_zero_attn=False,
        dropout_p=0.0,
        out_proj_weight=L_.zeros(E, E),
        out_proj_bias=None,
    )
    args.update(kw)
    return L_.nn.functional.multi_head_attention_forward(q, k, v, **args)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L_: _call(L_, L_.zeros(L, N, E), L_.zeros(S, E), L_.zeros(S, N, E)),
        lambda L_: _call(L_, L_.zeros(L, E), L_.zeros(S, N, E), L_.zeros(S, N, E)),
        lambda L_: _call(L_, L_.zeros(1, L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E)),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            key_padding_mask=L_.zeros(S),
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), attn_mask=L_.zeros(S)
        ),
        lambda L_: _call(
            L_, L_.zeros(L, E), L_.zeros(S, E), L_.zeros(S, E), attn_mask=L_.zeros(3, L, S)
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            key_padding_mask=L_.zeros(N, S, dtype=L_.int64),
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), is_causal=True
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), embed_dim_to_check=6
        ),
        lambda L_: _call(L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), num_heads=3),
        lambda L_: _call(L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S + 1, N, E)),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), in_proj_weight=None
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            use_separate_proj_weight=True,
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            use_separate_proj_weight=True,
            q_proj_weight=L_.zeros(E, E + 1),
            k_proj_weight=L_.zeros(E, E),
            v_proj_weight=L_.zeros(E, E),
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), attn_mask=L_.zeros(L, L)
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), attn_mask=L_.zeros(2, L, S)
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), bias_k=L_.zeros(1, 1, E)
        ),
        lambda L_: _call(
            L_, L_.zeros(L, N, E), L_.zeros(S, N, E), L_.zeros(S, N, E), bias_v=L_.zeros(1, 1, E)
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            bias_k=L_.zeros(1, 1, E),
            bias_v=L_.zeros(1, 1, E),
            static_k=L_.zeros(N * H, S, E // H),
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            static_k=L_.zeros(N, S, E // H),
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            key_padding_mask=L_.zeros(N + 1, S, dtype=L_.bool),
        ),
        lambda L_: _call(
            L_,
            L_.zeros(L, N, E),
            L_.zeros(S, N, E),
            L_.zeros(S, N, E),
            key_padding_mask=L_.zeros(N, S + 1, dtype=L_.bool),
        ),
    ],
)
def test_errors(fn):
    both(fn, check_message=True)


def test_mismatched_mask_types_warn():
    q = to_tj(_r(L, N, E, seed=10))
    p = to_tj(_params())
    with pytest.warns(
        UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"
    ):
        torchjax.nn.functional.multi_head_attention_forward(
            q,
            q,
            q,
            E,
            H,
            p["in_proj_weight"],
            p["in_proj_bias"],
            None,
            None,
            False,
            0.0,
            p["out_proj_weight"],
            p["out_proj_bias"],
            key_padding_mask=torchjax.zeros(N, L, dtype=torchjax.bool),
            attn_mask=torchjax.zeros(L, L, dtype=torchjax.float64),
        )
