"""dtypes, promotion, finfo/iinfo and the default dtype, compared with torch 2.13."""

import itertools

import pytest
import torch
from _compare import dtype_th, dtype_tj

import torchjax

CORE = [
    torch.bool,
    torch.uint8,
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.float16,
    torch.bfloat16,
    torch.float32,
    torch.float64,
    torch.complex64,
    torch.complex128,
]
ALL = CORE + [torch.uint16, torch.uint32, torch.uint64, torch.float8_e4m3fn, torch.float8_e5m2]


def _promote(lib, a, b):
    try:
        return lib.promote_types(a, b)
    except Exception as e:  # noqa: BLE001
        return type(e)


@pytest.mark.parametrize("a,b", list(itertools.product(ALL, ALL)))
def test_promote_types_matches_torch(a, b):
    want = _promote(torch, a, b)
    got = _promote(torchjax, dtype_tj(a), dtype_tj(b))
    if isinstance(want, type):
        assert got is want
    elif want == torch.complex32:
        # JAX has no complex32: torchjax widens to complex64 (documented difference)
        assert got is torchjax.complex64
    else:
        assert got is getattr(torchjax, str(want)[6:])


@pytest.mark.parametrize("a,b", list(itertools.product(CORE, CORE)))
def test_can_cast_matches_torch(a, b):
    assert torchjax.can_cast(dtype_tj(a), dtype_tj(b)) == torch.can_cast(a, b)


def _operand(lib, kind, dt):
    if kind == "dim":
        return lib.ones(2, dtype=dt)
    if kind == "zero":
        return lib.ones((), dtype=dt)
    return {torch.bool: True, torch.int64: 2, torch.float64: 2.5, torch.complex128: 1 + 1j}[dt]


SCALAR_DTS = [torch.bool, torch.int64, torch.float64, torch.complex128]


def _cases():
    out = []
    for ka, kb in [
        ("dim", "dim"),
        ("dim", "zero"),
        ("zero", "zero"),
        ("dim", "scalar"),
        ("zero", "scalar"),
    ]:
        da = CORE
        db = SCALAR_DTS if kb == "scalar" else CORE
        for a in da:
            for b in db:
                out.append((ka, a, kb, b))
    return out


@pytest.mark.parametrize("ka,a,kb,b", _cases())
def test_result_type_matches_torch(ka, a, kb, b):
    ta, tb = _operand(torch, ka, a), _operand(torch, kb, b)
    ja = _operand(torchjax, ka, dtype_tj(a)) if ka != "scalar" else ta
    jb = _operand(torchjax, kb, dtype_tj(b)) if kb != "scalar" else tb
    want = torch.result_type(ta, tb)
    got = torchjax.result_type(ja, jb)
    if want == torch.complex32:
        assert got is torchjax.complex64
    else:
        assert got is dtype_tj(want)


def test_default_dtype_changes_inference():
    assert torchjax.get_default_dtype() is torchjax.float32
    torchjax.set_default_dtype(torchjax.float64)
    try:
        assert torchjax.tensor([1.5]).dtype is torchjax.float64
        assert torchjax.tensor([1j]).dtype is torchjax.complex128
        assert torchjax.ones(2).dtype is torchjax.float64
        assert torchjax.arange(0.5, 2).dtype is torchjax.float64
        assert (torchjax.tensor([1, 2]) / 2).dtype is torchjax.float64
        assert torchjax.Tensor([1]).dtype is torchjax.float64
    finally:
        torchjax.set_default_dtype(torchjax.float32)
    with pytest.raises(TypeError):
        torchjax.set_default_dtype(torchjax.int64)


@pytest.mark.parametrize("dt", CORE + [torch.uint16, torch.uint32, torch.uint64])
def test_dtype_attributes(dt):
    j = dtype_tj(dt)
    assert repr(j) == repr(dt) and str(j) == str(dt)
    assert j.is_floating_point == dt.is_floating_point
    assert j.is_complex == dt.is_complex
    assert j.is_signed == dt.is_signed
    assert j.itemsize == dt.itemsize
    assert j.abbr == dt.abbr
    if dt.is_complex:
        assert j.to_real() is dtype_tj(dt.to_real())
    if dt in (torch.float32, torch.float64):
        assert j.to_complex() is dtype_tj(dt.to_complex())


def test_aliases():
    t = torchjax
    assert t.float is t.float32 and t.double is t.float64 and t.half is t.float16
    assert t.long is t.int64 and t.int is t.int32 and t.short is t.int16
    assert t.cfloat is t.complex64 and t.cdouble is t.complex128


@pytest.mark.parametrize("dt", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_finfo(dt):
    a, b = torchjax.finfo(dtype_tj(dt)), torch.finfo(dt)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert repr(a) == repr(b)
    assert a.dtype == b.dtype


@pytest.mark.parametrize("dt", [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64])
def test_iinfo(dt):
    a, b = torchjax.iinfo(dtype_tj(dt)), torch.iinfo(dt)
    assert (a.bits, a.max, a.min, a.dtype) == (b.bits, b.max, b.min, b.dtype)
    assert repr(a) == repr(b)


def test_finfo_errors():
    with pytest.raises(TypeError):
        torchjax.finfo(torchjax.int32)
    with pytest.raises(TypeError):
        torchjax.iinfo(torchjax.float32)
    assert torchjax.finfo().dtype == "float32"


def test_dtype_pickles_to_itself():
    import copy
    import pickle

    for d in (torchjax.float32, torchjax.int64, torchjax.bool):
        assert pickle.loads(pickle.dumps(d)) is d
        assert copy.deepcopy(d) is d


def test_legacy_type_strings():
    for dt in CORE:
        assert torchjax.ones(1, dtype=dtype_tj(dt)).type() == torch.ones(1, dtype=dt).type()
    assert dtype_th(torchjax.float32) is torch.float32
