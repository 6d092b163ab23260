"""Generator, state and random-op behaviour (torch is used only where a reference value is needed)."""

from __future__ import annotations

import math
import pickle
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import torchjax as tj
from torchjax import _generator as G
from torchjax._ops import random as R


def test_manual_seed_returns_generator_and_initial_seed():
    g = tj.manual_seed(17)
    assert g is tj.default_generator
    assert tj.initial_seed() == 17
    assert tj.random.initial_seed() == 17
    assert tj.manual_seed(-1).initial_seed() == 2**64 - 1
    with pytest.raises(RuntimeError):
        tj.manual_seed(2**64)
    with pytest.raises(TypeError):
        tj.manual_seed(1.5)


def test_seed_is_random_and_reproducible():
    s = tj.seed()
    assert 0 <= s < 2**64
    a = tj.rand(5).numpy()
    tj.manual_seed(s)
    np.testing.assert_array_equal(tj.rand(5).numpy(), a)
    assert tj.seed() != s


def test_state_round_trip_and_layout():
    tj.manual_seed(3)
    tj.randn(5)  # caches a normal
    st = tj.get_rng_state()
    assert st.dtype is tj.uint8 and tuple(st.shape) == (5056,)
    a = tj.randn(7).numpy()
    b = tj.rand(3).numpy()
    tj.set_rng_state(st)
    np.testing.assert_array_equal(tj.randn(7).numpy(), a)
    np.testing.assert_array_equal(tj.rand(3).numpy(), b)
    raw = st.numpy().tobytes()
    assert int.from_bytes(raw[:8], "little") == 3  # the_initial_seed
    assert int.from_bytes(raw[12:16], "little") == 1  # seeded


def test_set_state_rejects_bad_input():
    with pytest.raises(RuntimeError, match="size"):
        tj.set_rng_state(tj.zeros(10, dtype=tj.uint8))
    with pytest.raises(TypeError):
        tj.set_rng_state(tj.zeros(5056))
    bad = tj.get_rng_state().numpy().copy()
    bad[8:12] = 0  # left = 0
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        tj.set_rng_state(tj.tensor(bad))


def test_generators_are_independent():
    g1 = tj.Generator().manual_seed(5)
    g2 = tj.Generator().manual_seed(5)
    tj.manual_seed(0)
    before = tj.get_rng_state().numpy()
    a = tj.rand(4, generator=g1).numpy()
    np.testing.assert_array_equal(tj.get_rng_state().numpy(), before)  # default untouched
    np.testing.assert_array_equal(tj.rand(4, generator=g2).numpy(), a)
    assert g1.device == tj.device("cpu")
    assert tj.Generator("cpu").initial_seed() == 67280421310721


def test_generator_pickle_clone_deepcopy():
    import copy

    g = tj.Generator().manual_seed(11)
    tj.randn(3, generator=g)
    for h in (pickle.loads(pickle.dumps(g)), g.clone_state(), copy.deepcopy(g)):
        assert h.initial_seed() == 11
        np.testing.assert_array_equal(
            tj.randn(5, generator=h).numpy(), tj.randn(5, generator=g.clone_state()).numpy()
        )


def test_fork_rng_restores():
    tj.manual_seed(1)
    with tj.random.fork_rng():
        tj.rand(100)
    a = tj.rand(3).numpy()
    tj.manual_seed(1)
    np.testing.assert_array_equal(tj.rand(3).numpy(), a)
    with tj.random.fork_rng(enabled=False):
        tj.rand(1)


def test_generator_argument_type_checked():
    with pytest.raises(TypeError):
        tj.rand(3, generator=object())


def test_random_ops_bump_version_and_respect_leaf_rule():
    t = tj.zeros(4)
    v = t._version
    t.uniform_()
    assert t._version == v + 1
    w = tj.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w.normal_()
    with tj.no_grad():
        w.normal_()


def test_views_see_inplace_random_fill():
    x = tj.zeros(4, 5)
    x[:, 1:3].uniform_(1, 2)
    v = x.numpy()
    assert (v[:, 1:3] >= 1).all() and (v[:, 0] == 0).all() and (v[:, 3:] == 0).all()


def test_errors():
    with pytest.raises(RuntimeError):
        tj.empty(3).uniform_(2, 1)
    with pytest.raises(RuntimeError):
        tj.empty(3).normal_(0, -1)
    with pytest.raises(RuntimeError):
        tj.randint(5, 5, (2,))
    with pytest.raises(RuntimeError):
        tj.randint(0, 300, (2,), dtype=tj.uint8)
    with pytest.raises(RuntimeError):
        tj.randperm(-1)
    with pytest.raises(RuntimeError):
        tj.empty(3).exponential_(0)
    with pytest.raises(RuntimeError):
        tj.empty(3).geometric_(1.5)
    with pytest.raises(RuntimeError):
        tj.empty(3).bernoulli_(1.5)
    with pytest.raises(RuntimeError):
        tj.multinomial(tj.tensor([1.0, 2.0]), 3)
    with pytest.raises(RuntimeError):
        tj.multinomial(tj.tensor([0.0, 0.0]), 1)
    with pytest.raises(NotImplementedError):
        tj.rand(3, dtype=tj.int64)
    with pytest.raises(TypeError):
        tj.randint(3)


def test_devices_and_requires_grad():
    t = tj.randn(3, 4, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    assert tj.rand(2, device="cpu").device == tj.device("cpu")
    out = tj.empty(5)
    r = tj.rand(5, out=out)
    assert r is out


def test_fma_emulation_is_correctly_rounded():
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((3, 3000))
    c = c * np.exp2(rng.integers(-60, 10, 3000))
    ref = np.array([float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)])
    np.testing.assert_array_equal(G.fma64(a, b, c), ref)
    a32, b32, c32 = (x.astype(np.float32) for x in (a, b, c))
    ref32 = np.array(
        [
            np.float32(float(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))))
            for x, y, z in zip(a32, b32, c32)
        ]
    )
    np.testing.assert_array_equal(G.fma32(a32, b32, c32), ref32)


def test_libm_matches_math_below_limit():
    x = np.linspace(0.001, 0.999, 1001)
    np.testing.assert_array_equal(G.libm("log1p", -x), [math.log1p(-v) for v in x])
    np.testing.assert_array_equal(G.libm("log", x), [math.log(v) for v in x])


def _fy_forward_loop(z, n):
    r = list(range(n))
    for i in range(n - 1):
        j = i + int(z[i])
        r[i], r[j] = r[j], r[i]
    return np.array(r)


def _fy_inside_out_loop(z, n):
    r = [0] * n
    for i in range(n):
        k = int(z[i])
        r[i] = r[k]
        r[k] = i
    return np.array(r)


@pytest.mark.parametrize("n", (1, 2, 3, 10, 257, 5000))
def test_vectorised_fisher_yates_equals_loops(n):
    rng = np.random.default_rng(n)
    for _ in range(3):
        z = rng.integers(0, 2**32, n) % (n - np.arange(n)) if n > 1 else np.zeros(0, np.int64)
        z = z[: n - 1] if n > 1 else z
        if n > 1:
            np.testing.assert_array_equal(R._fisher_yates_forward(z, n), _fy_forward_loop(z, n))
        zi = rng.integers(0, 2**62, n) % (np.arange(n) + 1)
        np.testing.assert_array_equal(R._fisher_yates_inside_out(zi, n), _fy_inside_out_loop(zi, n))
        # degenerate draws: all zeros (identity-ish chains) and all maximal (long chains)
        zz = np.zeros(max(n - 1, 0), np.int64)
        if n > 1:
            np.testing.assert_array_equal(R._fisher_yates_forward(zz, n), _fy_forward_loop(zz, n))
            zm = (n - 1 - np.arange(n - 1)).astype(np.int64)
            np.testing.assert_array_equal(R._fisher_yates_forward(zm, n), _fy_forward_loop(zm, n))
        zi2 = np.arange(n)
        np.testing.assert_array_equal(
            R._fisher_yates_inside_out(zi2, n), _fy_inside_out_loop(zi2, n)
        )


def test_randperm_large_path_consumes_random64(monkeypatch):
    monkeypatch.setattr(R, "_RANDPERM_SMALL", 10)
    g = tj.Generator().manual_seed(4)
    h = g.clone_state()
    p = tj.randperm(50, generator=g).numpy()
    z = h.random_u64(50) % (np.arange(50, dtype=np.uint64) + np.uint64(1))
    np.testing.assert_array_equal(p, _fy_inside_out_loop(z.astype(np.int64), 50))
    assert sorted(p.tolist()) == list(range(50))


def test_jax_key_advances_and_depends_on_state():
    g = tj.Generator().manual_seed(0)
    k1 = jax.random.key_data(g._jax_key())
    k2 = jax.random.key_data(g._jax_key())
    assert not np.array_equal(k1, k2)
    g.manual_seed(0)
    np.testing.assert_array_equal(jax.random.key_data(g._jax_key()), k1)


def test_traced_generation_uses_installed_key():
    g = tj.Generator().manual_seed(0)

    @jax.jit
    def step(key):
        with g._traced_key(key) as h:
            a = tj.rand(4, generator=g)
            b = tj.randn(2, 3, generator=g)
            c = tj.randint(0, 10, (5,), generator=g)
            x = tj.zeros(3)
            x.uniform_(generator=g)
            p = tj.randperm(6, generator=g)
        return a._v(), b._v(), c._v(), x._v(), p._v(), jax.random.key_data(h.final_key)

    k = jax.random.key(1)
    a1, b1, c1, x1, p1, kd = step(k)
    a2, *_ = step(jax.random.wrap_key_data(kd))
    assert a1.shape == (4,) and b1.shape == (2, 3) and c1.dtype == jnp.int64 and p1.shape == (6,)
    assert ((0 <= np.asarray(a1)) & (np.asarray(a1) < 1)).all()
    assert not np.array_equal(
        np.asarray(a1), np.asarray(a2)
    )  # a fresh key each call, never a constant
    assert sorted(np.asarray(p1).tolist()) == list(range(6))


def test_inplace_on_traced_tensor_draws_from_generator_key():
    g = tj.Generator().manual_seed(0)

    def f(v):
        t = tj.from_jax(v) if hasattr(tj, "from_jax") else tj.Tensor(v)
        t.normal_(generator=g)
        return t._v()

    out1 = jax.jit(f)(jnp.zeros(5, jnp.float32))
    out2 = jax.jit(f)(jnp.zeros(6, jnp.float32))
    assert out1.shape == (5,) and not np.array_equal(np.asarray(out1), np.asarray(out2)[:5])


def test_multinomial_out_dtype():
    """multinomial_out requires a Long ``out`` (checked after the input's dimension and dtype
    checks, before the sample-count checks), as torch does."""
    from _compare import both

    for out_dt in ("float64", "int32"):
        both(
            lambda L, out_dt=out_dt: L.multinomial(
                L.tensor([[0.2, 0.8]], dtype=L.float64),
                2,
                out=L.empty(1, 2, dtype=getattr(L, out_dt)),
            ),
            check_message=True,
        )
    both(
        lambda L: L.multinomial(L.tensor([1, 2]), 1, out=L.empty(1, dtype=L.float64)),
        check_message=True,
    )
    both(
        lambda L: L.multinomial(L.tensor([0.5, 0.5]), 0, out=L.empty(1, dtype=L.float64)),
        check_message=True,
    )
    r = tj.multinomial(tj.tensor([0.2, 0.8]), 3, True, out=tj.empty(0, dtype=tj.int64))
    assert r.shape == (3,) and r.dtype is tj.int64
