"""Orthogonal and spectral decompositions: QR, SVD, eigh/eig, pinv, lstsq, Householder products
(householder_product / orgqr, geqrf, ormqr) and the randomized svd_lowrank / pca_lowrank.

Gradients follow torch's backward formulas through ``jax.custom_vjp`` (``svd_backward``,
``linalg_eig_backward``, ``pinv_backward``) where JAX's own rules differ from torch's conventions
(full_matrices SVD, gauge terms); for gauge-invariant losses they agree with torch.
"""

from __future__ import annotations

import builtins
import functools
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function, register_method
from .blas import HI, _write_out_composite, sname, strict_out
from .linalg import (
    _LinAlgError,
    _mH,
    _mm,
    _need_float,
    _need_matrix,
    _no_low_precision,
    _not_impl,
    _real_dtype,
    _t,
)

# ------------------------------------------------------------------ QR


def _qr_check(name):
    def check(A, mode="reduced"):
        if not _t(A):
            return
        if mode not in ("reduced", "complete", "r"):
            raise RuntimeError(
                f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
            )
        _need_float(name, A)
        _need_matrix(name, A)
        _not_impl("geqrf_cpu", A)

    return check


def _qr_value(A, mode):
    m, n = A.shape[-2:]
    full = mode == "complete"
    if m == 0 or n == 0:
        k = m if full else min(m, n)
        Q = jnp.broadcast_to(jnp.eye(m, k, dtype=A.dtype), A.shape[:-2] + (m, k))
        Rr = jnp.zeros(A.shape[:-2] + (k if not full else m, n), A.dtype)
    else:
        Q, Rr = jnp.linalg.qr(A, mode="complete" if full else "reduced")
    if mode == "r":
        return jnp.zeros((0,), A.dtype), Rr
    return Q, Rr


@op(
    "linalg.qr(Tensor A, str mode='reduced') -> (Tensor Q, Tensor R)",
    namespace="linalg",
    promote="none",
    check=_qr_check("linalg.qr"),
)
def qr_linalg(A, mode):
    return _qr_value(A, mode)


@op(
    "_qr(Tensor input, str mode) -> (Tensor Q, Tensor R)",
    namespace="_linalg",
    promote="none",
    grad="LinalgQrBackward0",
    check=_qr_check("linalg.qr"),
)
def _tqr_op(input, mode):
    return _qr_value(input, mode)


def qr(input, some=True, *, out=None):
    """torch.qr (deprecated in torch): reduced (some=True) or complete QR."""
    warnings.warn(
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\nThe "
        "boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
        "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
        UserWarning,
        stacklevel=2,
    )
    r = _tqr_op(input, "reduced" if some else "complete")
    res = R.return_type("qr", ("Q", "R"))(tuple(r))
    if out is not None:
        return _write_out_composite("qr", res, out, (input,))
    return res


register_function("qr", qr)
register_method("qr", lambda self, some=True: qr(self, some))


# ------------------------------------------------------------------ SVD


def _safe_div(x, s):
    return jnp.where(s == 0, jnp.zeros_like(x), x / jnp.where(s == 0, jnp.ones_like(s), s))


def _svd_backward(U, S, Vh, gU, gS, gVh):
    """torch's svd_backward (torch's conjugate convention); U, Vh narrowed to k = len(S)."""
    m, n = U.shape[-2], Vh.shape[-1]
    is_c = jnp.issubdtype(U.dtype, jnp.complexfloating)
    Sc = S.astype(U.dtype)
    UhgU = _mm(_mH(U), gU)
    UhgU = UhgU - _mH(UhgU)
    VhgV = _mm(Vh, _mH(gVh))
    VhgV = VhgV - _mH(VhgV)
    S2 = S * S
    E = S2[..., None, :] - S2[..., :, None]
    k = S.shape[-1]
    eye = jnp.eye(k, dtype=bool)
    E = jnp.where(eye, jnp.ones_like(E), E).astype(U.dtype)
    ret = (UhgU * Sc[..., None, :] + Sc[..., :, None] * VhgV) / E
    ret = ret + (gS.astype(U.dtype)[..., :, None] * jnp.eye(k, dtype=U.dtype))
    if is_c:
        d = jnp.diagonal(UhgU, axis1=-2, axis2=-1)
        ret = ret + _safe_div(d, 2 * Sc)[..., :, None] * jnp.eye(k, dtype=U.dtype)
    if m > n:
        gA = _mm(U, ret)
        gUSinv = _safe_div(gU, Sc[..., None, :])
        gA = gA + gUSinv - _mm(U, _mm(_mH(U), gUSinv))
        return _mm(gA, Vh)
    if m < n:
        gA = _mm(ret, Vh)
        SinvgVh = _safe_div(gVh, Sc[..., :, None])
        gA = gA + SinvgVh - _mm(_mm(SinvgVh, _mH(Vh)), Vh)
        return _mm(U, gA)
    return _mm(U, _mm(ret, Vh))


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _svd_core(A, full):
    U, S, Vh = jnp.linalg.svd(A, full_matrices=full)
    return U, S.astype(_real_dtype(A.dtype)), Vh


def _svd_fwd(A, full):
    out = _svd_core(A, full)
    return out, out


def _svd_bwd(full, res, cts):
    U, S, Vh = res
    k = S.shape[-1]
    ctU, ctS, ctVh = cts
    U, Vh = U[..., :, :k], Vh[..., :k, :]
    gU, gVh = jnp.conj(ctU[..., :, :k]), jnp.conj(ctVh[..., :k, :])
    gA = _svd_backward(U, S, Vh, gU, ctS, gVh)
    return (jnp.conj(gA),)


_svd_core.defvjp(_svd_fwd, _svd_bwd)


@jax.custom_vjp
def _svdvals_core(A):
    return jnp.linalg.svd(A, compute_uv=False).astype(_real_dtype(A.dtype))


def _svdvals_fwd(A):
    U, S, Vh = jnp.linalg.svd(A, full_matrices=False)
    return S.astype(_real_dtype(A.dtype)), (U, Vh)


def _svdvals_bwd(res, gS):
    U, Vh = res
    gS = gS.astype(U.dtype)
    m, n = U.shape[-2], Vh.shape[-1]
    gA = _mm(U, gS[..., :, None] * Vh) if m >= n else _mm(U * gS[..., None, :], Vh)
    return (jnp.conj(gA),)


_svdvals_core.defvjp(_svdvals_fwd, _svdvals_bwd)


def _svd_value(A, full):
    m, n = A.shape[-2:]
    k = min(m, n)
    if k == 0:
        b = A.shape[:-2]
        U = jnp.broadcast_to(jnp.eye(m, m if full else k, dtype=A.dtype), b + (m, m if full else k))
        Vh = jnp.broadcast_to(
            jnp.eye(n if full else k, n, dtype=A.dtype), b + (n if full else k, n)
        )
        return U, jnp.zeros(b + (0,), _real_dtype(A.dtype)), Vh
    return _svd_core(A, full)


def _svdvals_value(A):
    if min(A.shape[-2:]) == 0:
        return jnp.zeros(A.shape[:-2] + (0,), _real_dtype(A.dtype))
    return _svdvals_core(A)


def _svd_check(A, full_matrices=True, driver=None):
    if not _t(A):
        return
    _need_float("linalg.svd", A)
    _need_matrix("linalg.svd", A)
    _not_impl("linalg_svd_cpu", A)
    if driver is not None:
        raise RuntimeError(
            "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend."
        )


@op(
    "linalg.svd(Tensor A, bool full_matrices=True, *, str? driver=None) -> (Tensor U, Tensor S, Tensor Vh)",
    namespace="linalg",
    promote="none",
    check=_svd_check,
)
def svd_linalg(A, full_matrices, driver):
    return _svd_value(A, full_matrices)


@op(
    "linalg.svdvals(Tensor A, *, str? driver=None) -> Tensor",
    namespace="linalg",
    promote="none",
    check=lambda A, driver=None: _svd_check(A, True, driver),
    grad="LinalgSvdBackward0",
)
def svdvals(A, driver):
    return _svdvals_value(A)


@op(
    "_svd_full(Tensor A, bool full) -> (Tensor, Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="LinalgSvdBackward0",
    check=lambda A, full: _svd_check(A),
)
def _svd_op(A, full):
    return _svd_value(A, full)


@op(
    "_svdvals(Tensor A) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="LinalgSvdBackward0",
    check=lambda A: _svd_check(A),
)
def _svdvals_op(A):
    return _svdvals_value(A)


def svd(input, some=True, compute_uv=True, *, out=None):
    """torch.svd: (U, S, V) with V (not V^H); compute_uv=False gives zero-filled U and V."""
    from . import api

    if compute_uv:
        U, S, Vh = _svd_op(input, not some)
        V = api.adjoint(Vh) if Vh.is_complex() else api.transpose(Vh, -2, -1)
    else:
        S = _svdvals_op(input)
        m, n = input.shape[-2:]
        U = api.zeros(tuple(input.shape[:-2]) + (m, m), dtype=input.dtype)
        V = api.zeros(tuple(input.shape[:-2]) + (n, n), dtype=input.dtype)
    res = R.return_type("svd", ("U", "S", "V"))((U, S, V))
    if out is not None:
        return _write_out_composite("svd", res, out, (input,))
    return res


register_function("svd", svd)
register_method("svd", lambda self, some=True, compute_uv=True: svd(self, some, compute_uv))


def _nonfinite_svd_check(A):
    v = A._v()
    if not isinstance(v, jax.core.Tracer) and not builtins.bool(jnp.all(jnp.isfinite(v))):
        raise _LinAlgError(
            "linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values."
        )


# ------------------------------------------------------------------ eigendecompositions


def _eig_backward(gL, gV, L, V, hermitian):
    """torch's linalg_eig_backward (torch's conjugate convention)."""
    VhgV = _mm(_mH(V), gV)
    if hermitian:
        VhgV = 0.5 * (VhgV - _mH(VhgV))
    else:
        d = jnp.real(jnp.diagonal(VhgV, axis1=-2, axis2=-1))
        VhgV = VhgV - _mm(_mH(V), V * d[..., None, :].astype(V.dtype))
    Lc = L if hermitian else jnp.conj(L)
    E = Lc[..., None, :] - Lc[..., :, None]
    n = L.shape[-1]
    eye = jnp.eye(n, dtype=bool)
    E = jnp.where(eye, jnp.ones_like(E), E).astype(V.dtype)
    ret = VhgV / E
    ret = jnp.where(eye, gL.astype(V.dtype)[..., None, :] * jnp.ones_like(ret), ret)
    if hermitian:
        return _mm(V, _mm(ret, _mH(V)))
    return jnp.linalg.solve(_mH(V), _mm(ret, _mH(V)))


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _eigh_core(A, lower):
    V, w = lax.linalg.eigh(A, lower=lower, symmetrize_input=False)
    return w.astype(_real_dtype(A.dtype)), V


def _eigh_fwd(A, lower):
    out = _eigh_core(A, lower)
    return out, out


def _eigh_bwd(lower, res, cts):
    w, V = res
    gA = _eig_backward(cts[0], jnp.conj(cts[1]), w, V, True)
    return (jnp.conj(gA),)


_eigh_core.defvjp(_eigh_fwd, _eigh_bwd)


def _eigh_check(name):
    def check(A, UPLO="L"):
        if not _t(A):
            return
        _need_matrix(name, A)
        if A.shape[-1] != A.shape[-2]:
            raise RuntimeError(
                f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
            )
        if UPLO not in ("L", "U", "l", "u"):
            raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
        _not_impl("linalg_eigh_cpu", A)

    return check


def _eigh_value(A, UPLO):
    if A.shape[-1] == 0:
        return jnp.zeros(A.shape[:-1], _real_dtype(A.dtype)), A
    return _eigh_core(A, UPLO.upper() == "L")


@op(
    "linalg.eigh(Tensor A, str UPLO='L') -> (Tensor eigenvalues, Tensor eigenvectors)",
    namespace="linalg",
    promote="none",
    check=_eigh_check("linalg.eigh"),
)
def eigh(A, UPLO):
    return _eigh_value(A, UPLO)


@op(
    "linalg.eigvalsh(Tensor A, str UPLO='L') -> Tensor",
    namespace="linalg",
    promote="none",
    check=_eigh_check("linalg.eigh"),
    grad="LinalgEighBackward0",
)
def eigvalsh(A, UPLO):
    return _eigh_value(A, UPLO)[0]


def _eig_value(A):
    cdt = jnp.result_type(A.dtype, np.complex64)
    if A.shape[-1] == 0:
        return jnp.zeros(A.shape[:-1], cdt), jnp.zeros(A.shape, cdt)
    if jnp.issubdtype(A.dtype, jnp.complexfloating):
        return _eig_c(A)
    return _eig_r(A)


@jax.custom_vjp
def _eig_c(A):
    w, v = lax.linalg.eig(A, compute_left_eigenvectors=False)
    return w, v


def _eig_c_fwd(A):
    out = _eig_c(A)
    return out, out


def _eig_c_bwd(res, cts):
    w, V = res
    return (jnp.conj(_eig_backward(jnp.conj(cts[0]), jnp.conj(cts[1]), w, V, False)),)


_eig_c.defvjp(_eig_c_fwd, _eig_c_bwd)


@jax.custom_vjp
def _eig_r(A):
    w, v = lax.linalg.eig(A, compute_left_eigenvectors=False)
    return w, v


def _eig_r_bwd(res, cts):
    w, V = res
    # a real input receives the real part of torch's complex gradient
    return (jnp.real(_eig_backward(jnp.conj(cts[0]), jnp.conj(cts[1]), w, V, False)),)


_eig_r.defvjp(_eig_c_fwd, _eig_r_bwd)


def _eig_check(name):
    def check(A):
        if not _t(A):
            return
        _need_matrix(name, A)
        if A.shape[-1] != A.shape[-2]:
            raise RuntimeError(
                f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
            )
        if not (A.dtype.is_floating_point or A.dtype.is_complex):
            raise RuntimeError(f"Unknown Complex ScalarType for {sname(A.dtype)}")
        _not_impl("linalg_eig_out_cpu", A)
        v = A._v()
        if not isinstance(v, jax.core.Tracer) and not builtins.bool(jnp.all(jnp.isfinite(v))):
            raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")

    return check


@op(
    "linalg.eig(Tensor A) -> (Tensor eigenvalues, Tensor eigenvectors)",
    namespace="linalg",
    promote="none",
    check=_eig_check("linalg.eig"),
)
def eig(A):
    return _eig_value(A)


@op(
    "linalg.eigvals(Tensor A) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_eig_check("linalg.eigvals"),
    grad="LinalgEigBackward0",
)
def eigvals(A):
    return _eig_value(A)[0]


# ------------------------------------------------------------------ pinv


def _pinv_backward(g, pinvA, A):
    """torch's pinv_backward (torch's conjugate convention)."""
    m, n = A.shape[-2:]
    pinvAh = _mH(pinvA)
    gh = _mH(g)
    if m <= n:
        K = _mm(gh, pinvA)
        KpinvAh = _mm(K, pinvAh)
        return (
            -_mH(_mm(pinvA, K))
            + KpinvAh
            - _mm(_mm(A, pinvA), KpinvAh)
            + _mm(_mm(pinvAh, pinvA), gh - _mm(K, A))
        )
    K = _mm(pinvA, gh)
    pinvAhK = _mm(pinvAh, K)
    return (
        -_mH(_mm(K, pinvA))
        + pinvAhK
        - _mm(_mm(pinvAhK, pinvA), A)
        + _mm(_mm(gh - _mm(A, K), pinvA), pinvAh)
    )


def _tolerances(atol, rtol, dt, m, n):
    """torch's pinv / matrix_rank tolerance rules: rtol defaults to eps * max(m, n) unless atol > 0 is given."""
    rd = _real_dtype(dt)
    eps = jnp.finfo(rd).eps
    if atol is None and rtol is None:
        return jnp.zeros((), rd), jnp.asarray(eps * max(m, n), rd)
    a = jnp.zeros((), rd) if atol is None else jnp.asarray(atol).astype(rd)
    if rtol is None:
        r = jnp.where(a > 0, jnp.zeros((), rd), jnp.asarray(eps * max(m, n), rd))
    else:
        r = jnp.asarray(rtol).astype(rd)
    return a, r


def _pinv_raw(A, atol, rtol, hermitian):
    m, n = A.shape[-2:]
    if m == 0 or n == 0:
        return jnp.zeros(A.shape[:-2] + (n, m), A.dtype)
    if hermitian:
        w, V = _eigh_core(A, True)
        s = jnp.abs(w)
        smax = jnp.max(s, axis=-1)
        tol = jnp.maximum(atol, rtol * smax)[..., None]
        winv = jnp.where(s > tol, 1 / jnp.where(s > tol, w, 1), 0).astype(A.dtype)
        return _mm(V * winv[..., None, :], _mH(V))
    U, S, Vh = jnp.linalg.svd(A, full_matrices=False)
    S = S.astype(_real_dtype(A.dtype))
    tol = jnp.maximum(atol, rtol * S[..., 0])[..., None]
    sinv = jnp.where(S > tol, 1 / jnp.where(S > tol, S, 1), 0).astype(A.dtype)
    return _mm(_mH(Vh) * sinv[..., None, :], _mH(U))


@functools.partial(jax.custom_vjp, nondiff_argnums=(3,))
def _pinv_core(A, atol, rtol, hermitian):
    return _pinv_raw(A, atol, rtol, hermitian)


def _pinv_fwd(A, atol, rtol, hermitian):
    P = _pinv_raw(A, atol, rtol, hermitian)
    return P, (P, A, atol, rtol)


def _pinv_bwd(hermitian, res, ct):
    P, A, atol, rtol = res
    gA = jnp.conj(_pinv_backward(jnp.conj(ct), P, A))
    return gA, jnp.zeros_like(atol), jnp.zeros_like(rtol)


_pinv_core.defvjp(_pinv_fwd, _pinv_bwd)


def _pinv_check(A, atol=None, rtol=None, hermitian=False):
    if not _t(A):
        return
    if A.dim() < 2 or A.dtype not in (D.float32, D.float64, D.complex64, D.complex128):
        raise RuntimeError(
            f"linalg.pinv({sname(A.dtype)}{{{list(A.shape)}}}): expected a tensor with 2 or more dimensions of float, "
            "double, cfloat or cdouble types"
        )
    if hermitian and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.pinv: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )


@op(
    "_pinv(Tensor A, Tensor? atol, Tensor? rtol, bool hermitian) -> Tensor",
    namespace="_linalg",
    promote="none",
    grad="LinalgPinvBackward0",
    check=_pinv_check,
    saves=("A",),
)
def _pinv_op(A, atol, rtol, hermitian):
    m, n = A.shape[-2:]
    a, r = _tolerances(atol, rtol, A.dtype, m, n)
    if m == 0 or n == 0:
        return jnp.zeros(A.shape[:-2] + (n, m), A.dtype)
    return _pinv_core(A, a, r, hermitian)


def _as_tol(x, A):
    if x is None or isinstance(x, Tensor):
        return x
    from .._tensor import wrap

    rd = A.dtype.to_real() if A.dtype.is_complex else A.dtype
    return wrap(jnp.asarray(x, rd._np if rd.is_floating_point else np.float32))


def pinv(A, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """torch.linalg.pinv(A, *, atol=None, rtol=None, hermitian=False) (and the legacy ``rcond`` form)."""
    if rcond is not None:
        if rtol is not None or atol is not None:
            raise TypeError("linalg_pinv() received an invalid combination of arguments")
        rtol = rcond
    r = _pinv_op(
        A, _as_tol(atol, A) if _t(A) else atol, _as_tol(rtol, A) if _t(A) else rtol, hermitian
    )
    if out is not None:
        return _write_out_composite("linalg_pinv", r, out, (A,))
    return r


register_function("pinv", pinv, ns="linalg")


def pinverse(input, rcond=1e-15):
    """torch.pinverse / Tensor.pinverse: the pseudoinverse with relative cutoff ``rcond``."""
    return pinv(input, rcond)


register_function("pinverse", pinverse)
register_method("pinverse", pinverse)


# ------------------------------------------------------------------ lstsq


def _lstsq_check(A, B, rcond=None, driver=None):
    name = "torch.linalg.lstsq"
    if A.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if B.dim() < 1:
        raise RuntimeError(f"{name}: other must have at least 1 dimension.")
    if A.dtype is not B.dtype:
        raise RuntimeError(
            f"{name}: Expected input and other to have the same dtype, but got input's dtype {sname(A.dtype)} and "
            f"other's dtype {sname(B.dtype)}"
        )
    if not (A.dim() >= B.dim() and A.dim() - B.dim() <= 1):
        raise RuntimeError(
            f"{name}: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1"
        )
    _need_float(name, A)
    vec = A.dim() - 1 == B.dim()
    if (B.shape[-1] if vec else B.shape[-2]) != A.shape[-2]:
        raise RuntimeError(f"{name}: input.size(-2) should match other.size(-{1 if vec else 2})")
    if driver is not None and driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(
            f"{name}: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    err = R.broadcast_error(list(A.shape[:-2]), list(B.shape[:-1] if vec else B.shape[:-2]))
    if err is not None:
        raise err
    _no_low_precision(name, A)
    return vec


@op(
    "_lstsq(Tensor A, Tensor B, float? rcond, str driver, bool vec) -> (Tensor, Tensor, Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="LinalgLstsqBackward0",
)
def _lstsq_op(A, B, rcond, driver, vec):
    m, n = A.shape[-2:]
    rd = _real_dtype(A.dtype)
    if vec:
        B = B[..., None]
    batch = jnp.broadcast_shapes(A.shape[:-2], B.shape[:-2])
    A = jnp.broadcast_to(A, batch + A.shape[-2:])
    B = jnp.broadcast_to(B, batch + B.shape[-2:])
    eps = float(jnp.finfo(rd).eps)
    rc = eps * max(m, n) if rcond is None or rcond < 0 else rcond
    if min(m, n) == 0:
        X = jnp.zeros(batch + (n, B.shape[-1]), A.dtype)
        S = jnp.zeros(batch + (0,), rd)
        rank = jnp.zeros(batch, np.int64)
    else:
        S = jnp.linalg.svd(A, compute_uv=False).astype(rd)
        rank = jnp.sum(S > rc * S[..., :1], axis=-1).astype(np.int64)
        if driver == "gels":
            # QR-based: assumes full rank (no cutoff)
            P = _pinv_core(A, jnp.zeros((), rd), jnp.zeros((), rd), False)
        else:
            P = _pinv_core(A, jnp.zeros((), rd), jnp.asarray(rc, rd), False)
        X = _mm(P, B)
    if driver != "gelsy" and m > n:
        res = jnp.sum(jnp.abs(_mm(A, X) - B) ** 2, axis=-2).astype(rd)
    else:
        res = jnp.zeros((0,), rd)
    if driver == "gels":
        rank = jnp.zeros((0,), np.int64)
    if driver not in ("gelsd", "gelss"):
        S = jnp.zeros((0,), rd)
    if vec:
        X = X[..., 0]
    return X, res, rank, S


def lstsq(A, B, rcond=None, *, driver=None, out=None):
    """torch.linalg.lstsq(A, B, rcond=None, *, driver=None) -> (solution, residuals, rank, singular_values)."""
    vec = _lstsq_check(A, B, rcond, driver)
    drv = driver or "gelsy"
    X, res, rank, S = _lstsq_op(A, B, None if rcond is None else float(rcond), drv, vec)
    if res.numel() and drv != "gels":
        rv = rank._v()
        if not isinstance(rv, jax.core.Tracer) and builtins.bool(jnp.any(rv < A.shape[-1])):
            from . import api

            res = api.zeros((0,), dtype=res.dtype)
    r = R.return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))(
        (X, res, rank, S)
    )
    if out is not None:
        return _write_out_composite("linalg_lstsq", r, out, (A, B))
    return r


register_function("lstsq", lstsq, ns="linalg")


# ------------------------------------------------------------------ Householder products, geqrf, ormqr


def _reflector(A, i):
    """LAPACK's i-th Householder vector stored below the diagonal of A's column i (unit at i)."""
    m = A.shape[-2]
    col = jnp.take(A, i, axis=-1)
    idx = jnp.arange(m)
    return jnp.where(idx > i, col, jnp.where(idx == i, jnp.ones_like(col), jnp.zeros_like(col)))


def _apply_reflectors(A, tau, C, left, trans):
    """Q C, Q^H C, C Q or C Q^H for Q = H_1 ... H_k, H_i = I - tau_i v_i v_i^H (LAPACK's ormqr)."""
    k = tau.shape[-1]
    batch = jnp.broadcast_shapes(A.shape[:-2], tau.shape[:-1], C.shape[:-2])
    A = jnp.broadcast_to(A, batch + A.shape[-2:])
    tau = jnp.broadcast_to(tau, batch + tau.shape[-1:])
    C = jnp.broadcast_to(C, batch + C.shape[-2:])
    forward = (left and trans) or (not left and not trans)

    def step(j, C):
        i = j if forward else k - 1 - j
        v = _reflector(A, i)
        t = jnp.take(tau, i, axis=-1)
        if trans:
            t = jnp.conj(t)
        if left:
            w = jnp.einsum("...m,...mn->...n", jnp.conj(v), C, precision=HI)
            return C - t[..., None, None] * v[..., :, None] * w[..., None, :]
        w = jnp.einsum("...mn,...n->...m", C, v, precision=HI)
        return C - t[..., None, None] * w[..., :, None] * jnp.conj(v)[..., None, :]

    if k == 0:
        return C
    return lax.fori_loop(0, k, step, C)


def _hh_check(A, tau):
    if not (_t(A) and _t(tau)):
        return
    name = "torch.linalg.householder_product"
    if A.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if tau.dim() < 1:
        raise RuntimeError(f"{name}: tau must have at least 1 dimension.")
    if A.shape[-2] < A.shape[-1]:
        raise RuntimeError(
            f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]"
        )
    if A.shape[-1] < tau.shape[-1]:
        raise RuntimeError(
            f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]"
        )
    if A.dim() - tau.dim() != 1:
        raise RuntimeError(
            f"{name}: Expected tau to have one dimension less than input, but got tau.ndim equal to {tau.dim()} and "
            f"input.ndim is equal to {A.dim()}"
        )
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(
            f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
            f"{list(tau.shape[:-1])}"
        )
    if tau.dtype is not A.dtype:
        raise RuntimeError(
            f"{name}: tau dtype {sname(tau.dtype)} does not match input dtype {sname(A.dtype)}"
        )
    _need_float(name, A)


def _hh_value(A, tau):
    m, n = A.shape[-2:]
    Q0 = jnp.broadcast_to(jnp.eye(m, n, dtype=A.dtype), A.shape[:-2] + (m, n))
    return _apply_reflectors(A, tau, Q0, True, False)


@op(
    "linalg.householder_product(Tensor A, Tensor tau) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_hh_check,
)
def householder_product(A, tau):
    return _hh_value(A, tau)


@op(
    "orgqr(Tensor input, Tensor input2) -> Tensor",
    method=True,
    promote="none",
    check=_hh_check,
    grad="LinalgHouseholderProductBackward0",
)
def orgqr(input, input2):
    return _hh_value(input, input2)


def _geqrf_check(input):
    if not _t(input):
        return
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    _not_impl("geqrf_cpu", input)


@op(
    "geqrf(Tensor input) -> (Tensor a, Tensor tau)",
    method=True,
    promote="none",
    check=_geqrf_check,
    differentiable=False,
)
def geqrf(input):
    from jax._src.lax.linalg import geqrf as _jgeqrf

    m, n = input.shape[-2:]
    if m == 0 or n == 0:
        return input, jnp.zeros(input.shape[:-2] + (min(m, n),), input.dtype)
    return _jgeqrf(input)


def _ormqr_check(input, input2, input3, left=True, transpose=False):
    if not (_t(input) and _t(input2) and _t(input3)):
        return
    name = "torch.ormqr"
    if input.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if input3.dim() < 2:
        raise RuntimeError(f"{name}: other must have at least 2 dimensions.")
    if left:
        if input3.shape[-2] != input.shape[-2]:
            raise RuntimeError(f"{name}: other.shape[-2] must be equal to input.shape[-2]")
        if input2.shape[-1] != min(input3.shape[-2], input.shape[-1]):
            raise RuntimeError(
                f"{name}: tau.shape[-1] must be equal to min(other.shape[-2], input.shape[-1])"
            )
    else:
        if input3.shape[-1] != input.shape[-2]:
            raise RuntimeError(f"{name}: other.shape[-1] must be equal to input.shape[-2]")
        if input2.shape[-1] != min(input3.shape[-1], input.shape[-1]):
            raise RuntimeError(
                f"{name}: tau.shape[-1] must be equal to min(other.shape[-1], input.shape[-1])"
            )
    for nm, t in (("tau", input2), ("other", input3)):
        if t.dtype is not input.dtype:
            raise RuntimeError(
                f"{name}: Expected input and {nm} to have the same dtype, but input has dtype {sname(input.dtype)} and "
                f"{nm} has dtype {sname(t.dtype)}"
            )
    _need_float(name, input)


@op(
    "ormqr(Tensor input, Tensor input2, Tensor input3, bool left=True, bool transpose=False) -> Tensor",
    method=True,
    promote="none",
    check=_ormqr_check,
)
def ormqr(input, input2, input3, left, transpose):
    return _apply_reflectors(input, input2, input3, left, transpose)


# ------------------------------------------------------------------ randomized low-rank SVD / PCA


def _approximate_basis(A, q, niter, M):
    from . import api

    dtype = (
        A.dtype
        if A.dtype.is_complex
        else (A.dtype if A.dtype in (D.float16, D.float32, D.float64) else D.float32)
    )
    Rm = api.randn(A.shape[-1], q, dtype=dtype)
    X = api.matmul(A, Rm)
    if M is not None:
        X = X - api.matmul(M, Rm)
    Q = qr_linalg(X)[0]
    for _ in range(niter):
        X = api.matmul(api.adjoint(A), Q)
        if M is not None:
            X = X - api.matmul(api.adjoint(M), Q)
        Q = qr_linalg(X)[0]
        X = api.matmul(A, Q)
        if M is not None:
            X = X - api.matmul(M, Q)
        Q = qr_linalg(X)[0]
    return Q


def _svd_lowrank(A, q=6, niter=2, M=None):
    from . import api

    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        M = api.broadcast_to(M, tuple(A.shape))
    if m < n:
        A = api.adjoint(A)
        if M is not None:
            M = api.adjoint(M)
    Q = _approximate_basis(A, q, niter, M)
    B = api.matmul(api.adjoint(Q), A)
    if M is not None:
        B = B - api.matmul(api.adjoint(Q), M)
    U, S, Vh = svd_linalg(B, False)
    V = api.adjoint(Vh)
    U = api.matmul(Q, U)
    if m < n:
        U, V = V, U
    return U, S, V


def svd_lowrank(A, q=6, niter=2, M=None):
    """torch.svd_lowrank: randomized SVD (Halko et al. 2009), drawing from torchjax's generator as torch does."""
    return _svd_lowrank(A, q=q, niter=niter, M=M)


def pca_lowrank(A, q=None, center=True, niter=2):
    """torch.pca_lowrank."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(
            f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}"
        )
    if not (niter >= 0):
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return _svd_lowrank(A, q, niter=niter, M=None)
    from . import api

    C = api.mean(A, dim=(-2,), keepdim=True)
    return _svd_lowrank(A - C, q, niter=niter, M=None)


register_function("svd_lowrank", svd_lowrank)
register_function("pca_lowrank", pca_lowrank)


# torch's LAPACK-backed kernels require out= to have the result's exact dtype
for _ns, _names in (("", ("svd", "qr")), ("linalg", ("qr", "svd", "svdvals", "eigh", "eigvalsh"))):
    for _name in _names:
        strict_out(_ns, _name)
strict_out(
    "",
    "ormqr",
    lambda rd, od: (
        f"torch.ormqr: Expected input and result to have the same dtype, but input has dtype{sname(rd)} and result has "
        f"dtype {sname(od)}"
    ),
)
