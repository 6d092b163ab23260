"""torch.Generator: torch's CPU generator (mt19937 + cached normals) and its exact distributions.

numpy's ``MT19937`` seeded with ``_legacy_seeding(seed)`` runs the same ``init_genrand`` as
torch's ``at::mt19937``, so the 32-bit stream is torch's. On top of it this module reproduces
the transformations of ATen's CPU kernels (``DistributionsHelper.h``, ``TransformationHelper.h``,
``native/cpu/DistributionTemplates.h``, ``avx_mathfun.h``) bit for bit, vectorised with numpy:

- ``random()`` is one 32-bit draw, ``random64()`` two (the first is the high word);
- float uniforms are ``(bits & (2**digits - 1)) * 2**-digits`` (24 bits from ``random()`` for
  float32, 53 bits from ``random64()`` for float64), scaled with a fused multiply-add
  (torch's kernels are built with FMA contraction; emulated exactly here, see ``fma64``);
- ``normal`` has three paths: the AVX2 block Box-Muller for contiguous float32/16/bf16
  tensors of >= 16 elements, the scalar ``normal_fill`` for float64, and the scalar
  ``normal_distribution<double>`` (with the generator's cached second normal) for everything
  else;
- double-precision transcendental functions are glibc's (``math``) for arrays up to
  ``EXACT_LIBM_LIMIT`` elements; above that numpy's vectorised ones, which differ from glibc
  by one ulp in a fraction of a percent of float64 results (see docs/random.md).

The state layout (``get_state``) is torch's ``CPUGeneratorImplState`` (5056 bytes), so states
move between torch and torchjax in both directions.

Inside compiled regions a random op draws from ``Generator._jax_key()`` instead (documented
in docs/random.md: those numbers differ from torch's).
"""

from __future__ import annotations

import contextlib
import math
import struct
import threading

import numpy as np

_DEFAULT_SEED = 67280421310721
_N = 624
_STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
_LEGACY_SIZE = 5048  # sizeof(CPUGeneratorImplStateLegacy)
# the legacy POD: int64 seed, int left, int seeded, uint64 next, uint64 state[624],
# double normal_x, normal_y, normal_rho, int normal_is_valid (+4 padding)
_LEGACY_FMT = "<qiiQ624Qdddi4x"
EXACT_LIBM_LIMIT = 1 << 17


# ------------------------------------------------------------------ exact arithmetic helpers


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


_SPLIT = 134217729.0  # 2**27 + 1 (Veltkamp splitting)


def _two_prod(a, b):
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(v, err):
    """``v = RN(x)``, ``err = x - v`` exactly: return RO(x) (round to odd)."""
    need = (err != 0) & ((v.view(np.int64) & 1) == 0)
    if need.any():
        v = v.copy()
        v[need] = np.nextafter(v[need], np.where(err[need] > 0, np.inf, -np.inf))
    return v


def fma64(a, b, c) -> np.ndarray:
    """Correctly rounded ``a * b + c`` in float64 (Boldo-Melquiond emulation with round-to-odd)."""
    a, b, c = np.broadcast_arrays(
        np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64)
    )
    with np.errstate(over="ignore", invalid="ignore"):
        uh, ul = _two_prod(a, b)
        th, tl = _two_sum(c, uh)
        v, w = _two_sum(tl, ul)
        out = th + _round_to_odd(np.atleast_1d(v), np.atleast_1d(w)).reshape(v.shape)
        # products that overflow or are not finite: the plain expression is the right answer
        bad = ~np.isfinite(uh) | ~np.isfinite(out)
        if bad.any():
            out = np.where(bad, a * b + c, out)
    return out


def fma32(a, b, c) -> np.ndarray:
    """Correctly rounded float32 ``fma(a, b, c)``.

    A float32 product is exact in float64, so ``a * b + c`` in float64 is rounded once there;
    rounding that to float32 is wrong only when the float64 sum was inexact and landed exactly on a
    float32 halfway point (or in the float32 subnormal range): those few elements are redone with
    an exact error term and round-to-odd.
    """
    a64 = np.asarray(a, np.float32).astype(np.float64)
    s = a64 * np.asarray(b, np.float32).astype(np.float64)
    s += np.asarray(c, np.float32).astype(np.float64)
    if s.ndim == 0:
        s = s.reshape(1)
    low = s.view(np.int64) & 0x1FFFFFFF
    risky = (low == 0x10000000) | (np.abs(s) < 2.0**-125)
    if risky.any():
        idx = np.flatnonzero(risky.ravel())
        aa = np.broadcast_to(np.asarray(a, np.float32), s.shape).ravel()[idx].astype(np.float64)
        bb = np.broadcast_to(np.asarray(b, np.float32), s.shape).ravel()[idx].astype(np.float64)
        cc = np.broadcast_to(np.asarray(c, np.float32), s.shape).ravel()[idx].astype(np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            ss, e = _two_sum(aa * bb, cc)
            ss = _round_to_odd(ss, np.nan_to_num(e))
        flat = s.ravel()
        flat[idx] = ss
        s = flat.reshape(s.shape)
    out = s.astype(np.float32)
    return out.reshape(np.broadcast(np.asarray(a), np.asarray(b), np.asarray(c)).shape)


_NP_FUNCS = {"log": np.log, "log1p": np.log1p, "exp": np.exp, "tan": np.tan}


def libm(name: str, x: np.ndarray) -> np.ndarray:
    """glibc's double ``name`` (as torch calls it) on a float64 array.

    numpy's SIMD ``log``/``log1p``/``exp``/``tan`` differ from glibc by an ulp now and then, so
    up to ``EXACT_LIBM_LIMIT`` elements the values come from ``math`` (glibc itself).
    """
    x = np.asarray(x, np.float64)
    if x.size <= EXACT_LIBM_LIMIT:
        f = getattr(math, name)

        def safe(v):
            try:
                return f(v)
            except (ValueError, OverflowError):
                with np.errstate(all="ignore"):
                    return float(_NP_FUNCS[name](v))

        return np.fromiter(map(safe, x.ravel().tolist()), np.float64, x.size).reshape(x.shape)
    with np.errstate(all="ignore"):
        return _NP_FUNCS[name](x)


# ------------------------------------------------------------------ avx_mathfun (float32, FMA-contracted)

_F = np.float32
_LOG_P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
          -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]  # fmt: skip


def _log256_ps(x):
    """avx_mathfun's log256_ps as GCC compiles it for torch (mul+add pairs fused)."""
    invalid = x <= 0
    x = np.maximum(x, np.array(0x00800000, np.int32).view(_F))
    bits = x.view(np.int32)
    e = ((bits.view(np.uint32) >> 23).astype(np.int32) - 0x7F).astype(_F) + _F(1)
    x = ((bits & ~0x7F800000) | np.array(0.5, _F).view(np.int32)).view(_F)
    mask = x < _F(0.707106781186547524)
    tmp = np.where(mask, x, _F(0))
    x = x - _F(1)
    e = e - np.where(mask, _F(1), _F(0))
    x = x + tmp
    z = x * x
    y = np.full_like(x, _F(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = fma32(y, x, _F(p))
    y = y * x
    y = fma32(y, z, e * _F(-2.12194440e-4))
    y = fma32(z, _F(-0.5), y)
    x = x + y
    x = fma32(e, _F(0.693359375), x)
    return np.where(invalid, _F(np.nan), x)


def _sincos256_ps(x):
    """avx_mathfun's sincos256_ps as GCC compiles it for torch."""
    sign_sin = x.view(np.int32) & np.int32(-(2**31))
    x = np.abs(x)
    j = (x * _F(1.27323954473516)).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(_F)
    sign_sin = sign_sin ^ ((j & 4) << 29)
    poly = (j & 2) == 0
    for d in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = fma32(y, _F(d), x)
    sign_cos = ((~(j - 2)) & 4) << 29
    z = x * x
    yc = np.full_like(x, _F(2.443315711809948e-005))
    yc = fma32(yc, z, _F(-1.388731625493765e-003))
    yc = fma32(yc, z, _F(4.166664568298827e-002))
    yc = yc * z
    yc = fma32(yc, z, -(z * _F(0.5)))
    yc = yc + _F(1)
    ys = np.full_like(x, _F(-1.9515295891e-4))
    ys = fma32(ys, z, _F(8.3321608736e-3))
    ys = fma32(ys, z, _F(-1.6666654611e-1))
    ys = ys * z
    ys = fma32(ys, x, x)
    s = np.where(poly, ys, yc)
    c = np.where(poly, yc, ys)
    return (s.view(np.int32) ^ sign_sin).view(_F), (c.view(np.int32) ^ sign_cos).view(_F)


def _box_muller_16_f32(d, mean, std):
    """normal_fill_16_AVX2 on blocks of 16 float32 uniforms (rows of ``d``), in cache-sized chunks."""
    d = d.reshape(-1, 16)
    step = 1 << 13
    if d.shape[0] > step:
        return np.concatenate(
            [
                _box_muller_16_f32_rows(d[i : i + step], mean, std)
                for i in range(0, d.shape[0], step)
            ]
        )
    return _box_muller_16_f32_rows(d, mean, std)


def _box_muller_16_f32_rows(d, mean, std):
    u1 = _F(1) - d[:, :8]
    u2 = d[:, 8:]
    radius = np.sqrt(_F(-2) * _log256_ps(u1))
    s, c = _sincos256_ps(_F(2.0 * math.pi) * u2)
    out = np.empty_like(d)
    out[:, :8] = fma32(radius * c, _F(std), _F(mean))
    out[:, 8:] = fma32(radius * s, _F(std), _F(mean))
    return out.reshape(-1)


def _box_muller_16_f64(d, mean, std):
    """normal_fill_16<double> (glibc log/cos/sin, fused final multiply-add)."""
    d = d.reshape(-1, 16)
    u1 = 1.0 - d[:, :8]
    u2 = d[:, 8:]
    radius = np.sqrt(-2.0 * libm("log", u1))
    theta = (2.0 * math.pi) * u2
    out = np.empty_like(d)
    out[:, :8] = fma64(radius * np.cos(theta), std, mean)
    out[:, 8:] = fma64(radius * np.sin(theta), std, mean)
    return out.reshape(-1)


# ------------------------------------------------------------------ the generator


def _check_seed(seed) -> int:
    if hasattr(seed, "item") and not isinstance(seed, int):
        seed = seed.item()
    if isinstance(seed, float) or not hasattr(seed, "__index__"):
        raise TypeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = int(seed)
    if not -(2**63) <= seed < 2**64:
        raise RuntimeError("Overflow when unpacking long long")
    return seed % 2**64


class Generator:
    """torch.Generator(device='cpu'): mt19937 state, torch's seed and cached normals.

    ``get_state``/``set_state`` use torch's byte layout; the private ``_uniform``/``_normal``/...
    methods are the exact CPU distributions that the random ops (and nn.init, samplers) call.
    """

    def __init__(self, device="cpu"):
        from ._device import canonical

        self.device = canonical(device)
        self._lock = threading.RLock()
        self._trace_key = None
        self.manual_seed(_DEFAULT_SEED)

    def __repr__(self):
        return f"<torch._C.Generator object at 0x{id(self):x}>"

    # ------------------------------------------------------------- seeding

    def manual_seed(self, seed) -> Generator:
        """Seed with ``seed`` (negative seeds wrap to uint64, as in torch); returns self."""
        seed = _check_seed(seed)
        with self._lock:
            bg = np.random.MT19937(0)
            bg._legacy_seeding(seed & 0xFFFFFFFF)
            self._bg = bg
            self._seed = seed
            self._fresh = True  # torch's next_ is 0 until the first draw
            self._next_double = None
            self._next_float = None
        return self

    def seed(self) -> int:
        """Seed from the OS's entropy (64 bits); returns the seed."""
        s = int.from_bytes(
            np.random.SeedSequence().generate_state(2, np.uint32).tobytes(), "little"
        )
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    # ------------------------------------------------------------- state (torch's byte layout)

    def _state_bytes(self) -> bytes:
        with self._lock:
            st = self._bg.state["state"]
            key = np.asarray(st["key"], np.uint32)
            pos = int(st["pos"])
            left = _N + 1 - pos
            nxt = 0 if (pos == _N and self._fresh) else pos
            seed = self._seed - 2**64 if self._seed >= 2**63 else self._seed
            nd = self._next_double
            legacy = struct.pack(
                _LEGACY_FMT, seed, left, 1, nxt, *key.astype(np.uint64).tolist(),
                0.0, 0.0 if nd is None else float(nd), 0.0, 0 if nd is None else 1,
            )  # fmt: skip
            nf = self._next_float
            return legacy + struct.pack("<f?3x", 0.0 if nf is None else float(nf), nf is not None)

    def get_state(self):
        """The state as torch's 5056-byte uint8 tensor (``CPUGeneratorImplState``)."""
        from . import _dtype as D
        from ._creation import from_host

        return from_host(np.frombuffer(self._state_bytes(), np.uint8).copy(), D.uint8)

    def _set_state_bytes(self, raw: bytes):
        n = len(raw)
        if n != _STATE_SIZE:  # torch 2.13 no longer reads the 5048-byte legacy layout
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input RNG state size to be {n}"
            )
        vals = struct.unpack(_LEGACY_FMT, raw[:_LEGACY_SIZE])
        seed, left, seeded, nxt = vals[:4]
        key = np.array(vals[4 : 4 + _N], np.uint64).astype(np.uint32)
        normal_x, normal_y, normal_rho, normal_valid = vals[4 + _N :]
        if not (seeded and 0 < left <= _N and (nxt & 0xFFFFFFFF) <= _N):
            raise RuntimeError("Invalid mt19937 state")
        next_double = next_float = None
        f, fvalid = struct.unpack("<f?3x", raw[_LEGACY_SIZE:])
        if fvalid:
            next_float = f
        if normal_valid:
            next_double = normal_y
        bg = np.random.MT19937(0)
        bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        with self._lock:
            self._bg = bg
            self._seed = seed % 2**64
            self._fresh = left == 1 and (nxt & 0xFFFFFFFF) == 0
            self._next_double = next_double
            self._next_float = next_float

    def set_state(self, new_state) -> Generator:
        """Restore a state from ``get_state`` (torchjax's or real torch's bytes)."""
        from ._tensor import Tensor

        if isinstance(new_state, Tensor):
            if new_state.dtype._np != np.uint8:
                raise TypeError(f"expected a torch.ByteTensor, but got {new_state.type()}")
            raw = np.asarray(new_state.detach().numpy(), np.uint8).tobytes()
        elif hasattr(new_state, "numpy"):  # a real torch tensor (tests, interop)
            raw = np.asarray(new_state.numpy(), np.uint8).tobytes()
        else:
            raw = bytes(new_state)
        self._set_state_bytes(raw)
        return self

    def clone_state(self) -> Generator:
        g = Generator(self.device)
        g._set_state_bytes(self._state_bytes())
        return g

    def graphsafe_get_state(self):
        return self.clone_state()

    def graphsafe_set_state(self, state):
        self._set_state_bytes(state._state_bytes())
        return self

    def __getstate__(self):
        return {"device": str(self.device), "state": self._state_bytes()}

    def __setstate__(self, d):
        from ._device import canonical

        self.device = canonical(d["device"])
        self._lock = threading.RLock()
        self._trace_key = None
        self._set_state_bytes(d["state"])

    def __deepcopy__(self, memo):
        return self.clone_state()

    # ------------------------------------------------------------- raw streams

    def random_u32(self, n: int) -> np.ndarray:
        """The next ``n`` outputs of ``random()`` (uint32)."""
        if n <= 0:
            return np.zeros(0, np.uint32)
        with self._lock:
            self._fresh = False
            return self._bg.random_raw(n).astype(np.uint32)

    def random_u64(self, n: int) -> np.ndarray:
        """The next ``n`` outputs of ``random64()``: two 32-bit draws, the first the high word."""
        r = self.random_u32(2 * n).astype(np.uint64)
        return (r[0::2] << np.uint64(32)) | r[1::2]

    def _f24(self, n):
        """``uniform_real_distribution<float>(0, 1)``: 24 random bits per float32."""
        return (self.random_u32(n) & np.uint32(0xFFFFFF)).astype(np.float32) * np.float32(2.0**-24)

    def _f53(self, n):
        """``uniform_real_distribution<double>(0, 1)``: 53 random bits per float64."""
        return (self.random_u64(n) & np.uint64(2**53 - 1)).astype(np.float64) * 2.0**-53

    # ------------------------------------------------------------- distributions (host, exact)

    def _uniform(self, n, np_dtype, low=0.0, high=1.0) -> np.ndarray:
        """``uniform_(low, high)`` values for ``n`` elements of a floating dtype.

        float16/bfloat16 are the float32 draws cast (what torch 2.13 does on CPU).
        """
        np_dtype = np.dtype(np_dtype)
        if np_dtype == np.float64:
            x = self._f53(n)
            if low == 0.0 and high == 1.0:
                return x
            x = fma64(x, float(high) - float(low), float(low))
        else:
            x = self._f24(n)
            if not (low == 0.0 and high == 1.0):
                lo, hi = np.float32(low), np.float32(high)
                x = fma32(x, hi - lo, lo)
            if np_dtype != np.float32:
                x = x.astype(np_dtype)
        # a value that rounds up to ``high`` in the target dtype is replaced by ``low``, as torch does
        hi_t, lo_t = np.asarray(high).astype(np_dtype), np.asarray(low).astype(np_dtype)
        return np.where(x >= hi_t, lo_t, x)

    def _normal_scalar(self, n, mean=0.0, std=1.0) -> np.ndarray:
        """``n`` draws of ``normal_distribution<double>(mean, std)`` (uses and refills the cache)."""
        out = np.empty(n, np.float64)
        if n == 0:
            return out
        with self._lock:
            k = 0
            if self._next_double is not None:
                out[0] = self._next_double
                self._next_double = None
                k = 1
            m = n - k
            if m:
                pairs = (m + 1) // 2
                u = self._f53(2 * pairs)
                u1, u2 = u[0::2], u[1::2]
                r = np.sqrt(-2.0 * libm("log1p", -u2))
                theta = (2.0 * math.pi) * u1
                z = np.empty(2 * pairs, np.float64)
                z[0::2] = r * np.cos(theta)
                z[1::2] = r * np.sin(theta)
                out[k:] = z[:m]
                if m % 2:
                    self._next_double = float(z[-1])
        if mean != 0.0 or std != 1.0:
            out = fma64(out, float(std), float(mean))
        return out

    def _normal(self, n, np_dtype, mean=0.0, std=1.0, contiguous=True) -> np.ndarray:
        """``normal_(mean, std)`` values for ``n`` elements (torch's path choice by dtype/size/layout)."""
        np_dtype = np.dtype(np_dtype)
        if n >= 16 and contiguous:
            if np_dtype == np.float64:
                with self._lock:
                    d = self._f53(n)
                    m = n // 16 * 16
                    out = np.empty(n, np.float64)
                    out[:m] = _box_muller_16_f64(d[:m], mean, std)
                    if n % 16:
                        # torch overwrites the last 16 values with a freshly drawn block
                        out[n - 16 :] = _box_muller_16_f64(self._f53(16), mean, std)
                return out
            if np_dtype == np.float32:
                with self._lock:
                    d = self._f24(n)
                    m = n // 16 * 16
                    out = np.empty(n, np.float32)
                    out[:m] = _box_muller_16_f32(d[:m], mean, std)
                    if n % 16:
                        out[n - 16 :] = _box_muller_16_f32(self._f24(16), mean, std)
                return out
            # float16 / bfloat16: blocks of 16 drawn one after the other; the ragged end is a
            # full extra block whose last 16 values overwrite the tail
            blocks = (n + 15) // 16
            b = _box_muller_16_f32(self._f24(16 * blocks), mean, std)
            out = b[:n].copy()
            if n % 16:
                out[n - 16 :] = b[-16:]
            return out.astype(np_dtype)
        return self._normal_scalar(n, mean, std).astype(np_dtype)

    def _random_from_to(self, n, rng: int, base: int) -> np.ndarray:
        """``(val % range) + base`` as int64 (``random64`` when range >= 2**28), wrapping like uint64."""
        if rng >= 1 << 28:
            v = self.random_u64(n) % np.uint64(rng)
        else:
            v = self.random_u32(n).astype(np.uint64) % np.uint64(rng)
        return (v + np.uint64(base % 2**64)).view(np.int64)

    def _exponential(self, n, lambd=1.0) -> np.ndarray:
        """``exponential_distribution<double>``: -1/lambda * log1p(-u)."""
        return (-1.0 / float(lambd)) * libm("log1p", -self._f53(n))

    def _jax_key(self):
        """A JAX PRNG key for a random op inside traced code; advances the generator.

        When a compiler has installed a traced key (``_traced_key``), the key is split from it
        (so each call of the compiled program draws fresh numbers); otherwise it is derived from
        the current mt19937 state (two 32-bit draws), which then moves on.
        """
        import jax
        import jax.numpy as jnp

        with self._lock:
            if self._trace_key is not None:
                self._trace_key, sub = jax.random.split(self._trace_key)
                return sub
            words = self.random_u32(2)
        return jax.random.wrap_key_data(jnp.asarray(words, jnp.uint32))

    @contextlib.contextmanager
    def _traced_key(self, key):
        """Install ``key`` (typically a tracer argument of a compiled step) as the source of
        ``_jax_key()`` for the duration; ``.final_key`` on the yielded holder is the key after
        the last split (to be returned from the compiled program)."""

        class _Holder:
            final_key = None

        h = _Holder()
        prev = self._trace_key
        self._trace_key = key
        try:
            yield h
        finally:
            h.final_key = self._trace_key
            self._trace_key = prev

    @property
    def _is_tracing(self) -> bool:
        return self._trace_key is not None


default_generator = Generator()
