"""Short-time Fourier transforms: torch.stft / Tensor.stft and torch.istft / Tensor.istft.

Written with other torchjax ops (pad, unfold, torch.fft, index_add), so autograd comes from
those. They mirror torch 2.13: ``torch.functional.stft`` (center padding with ``pad_mode``
through ``F.pad`` on a 3-d view) followed by ATen's ``stft`` (frames of ``n_fft`` every
``hop_length`` samples, the window zero-padded to ``n_fft`` at the centre, r2c / c2c FFT,
``normalized`` = "ortho", ``view_as_real`` for ``return_complex=False``), and ATen's ``istft``
(inverse FFT of each frame, windowed overlap-add divided by the overlap-added squared window,
the centre padding trimmed, ``length`` padding with zeros) with the same checks and messages.
"""

from __future__ import annotations

import warnings

from ._registry import register_function, register_method


def _tj():
    import torchjax

    return torchjax


def _padded_window(window, win_length, n_fft, dtype):
    """The window (ones if None) zero-padded to ``n_fft`` at the centre, as ATen pads it."""
    tj = _tj()
    w = window if window is not None else tj.ones(win_length, dtype=dtype)
    if win_length != n_fft:
        left = (n_fft - win_length) // 2
        w = tj.constant_pad_nd(w, [left, n_fft - win_length - left], 0)
    return w


def _stft_warn_real():
    warnings.warn(
        "stft with return_complex=False is deprecated. In a future pytorch release, stft will return complex "
        "tensors for all inputs, and return_complex=False will raise an error.\nNote: you can still call "
        "torch.view_as_real on the complex output to recover the old return format. (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/native/SpectralOps.cpp:875.)",
        UserWarning,
        stacklevel=3,
    )


def stft(
    input,
    n_fft,
    hop_length=None,
    win_length=None,
    window=None,
    center=True,
    pad_mode="reflect",
    normalized=False,
    onesided=None,
    return_complex=None,
    align_to_window=None,
):
    """torch.stft: the short-time Fourier transform of a 1-d (or batched 2-d) signal, shape
    ``(B?, N, T)`` (``(B?, N, T, 2)`` for ``return_complex=False``)."""
    tj = _tj()
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    if center:
        sdim = input.dim()
        pad = int(n_fft // 2)
        x = tj.nn.functional.pad(
            input.view([1] * (3 - sdim) + list(input.shape)), [pad, pad], pad_mode
        )
        input = x.view(x.shape[-sdim:])
    hop_length = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    cplx = input.is_complex() or (window is not None and window.is_complex())
    if return_complex is None:
        if not cplx:
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will further require that "
                "return_complex=True in a future PyTorch release."
            )
        return_complex = True
    if not return_complex:
        _stft_warn_real()
    if input.dim() not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {input.dim()}D tensor")

    def fail(msg):
        return RuntimeError(
            f"stft({_legacy_repr(input)}, n_fft={n_fft}, hop_length={hop_length}, win_length={win_length}, "
            f"window={_window_repr(window)}, normalized={int(normalized)}, onesided={_opt(onesided)}, "
            f"return_complex={int(return_complex)}, align_to_window={_opt(align_to_window)}) : {msg}"
        )

    x = input.unsqueeze(0) if input.dim() == 1 else input
    length = x.shape[1]
    if not 0 < n_fft <= length:
        raise fail(f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop_length <= 0:
        raise fail(f"expected hop_length > 0, but got hop_length={hop_length}")
    if not 0 < win_length <= n_fft:
        raise fail(f"expected 0 < win_length <= n_fft, but got win_length={win_length}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win_length):
        raise fail(
            f"expected a 1D window tensor of size equal to win_length={win_length}, but got window with "
            f"size [{', '.join(str(v) for v in window.shape)}]"
        )
    if window is None:
        _warn_rectangular(
            "A window was not provided. A rectangular window will be applied,which is known to cause spectral "
            "leakage. Other windows such as torch.hann_window or torch.hamming_window are recommended to reduce "
            "spectral leakage.",
            835,
        )
    rdt = x.dtype.to_real() if x.is_complex() else x.dtype
    if align_to_window and win_length < n_fft:
        # frames start where the (unpadded) window starts: win_length samples every hop_length,
        # windowed, then zero-padded to n_fft at the centre
        left = (n_fft - win_length) // 2
        frames = x.unfold(-1, win_length, hop_length)
        frames = frames * (window if window is not None else tj.ones(win_length, dtype=rdt))
        frames = tj.constant_pad_nd(frames, [left, n_fft - win_length - left], 0)
    else:
        frames = x.unfold(-1, n_fft, hop_length)  # (B, n_frames, n_fft)
        if window is not None or win_length < n_fft:
            frames = frames * _padded_window(window, win_length, n_fft, rdt)
    norm = "ortho" if normalized else "backward"
    if onesided is None:
        onesided = not cplx
    if frames.is_complex():
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        out = tj.fft.fft(frames, dim=-1, norm=norm)
    elif onesided:
        out = tj.fft.rfft(frames, dim=-1, norm=norm)
    else:
        out = tj.fft.fft(frames, dim=-1, norm=norm)
    out = out.transpose(1, 2)
    if input.dim() == 1:
        out = out.squeeze(0)
    return out if return_complex else tj.view_as_real(out)


def _opt(v):
    return "None" if v is None else int(v)


def _legacy_repr(t):
    return f"torch.{t.dtype._legacy}[{', '.join(str(v) for v in t.shape)}]"


def _window_repr(w):
    return (
        "None"
        if w is None
        else f"torch.{w.dtype._legacy}{{[{', '.join(str(v) for v in w.shape)}]}}"
    )


def _warn_rectangular(msg, line):
    warnings.warn(
        f"{msg}To suppress this warning and use a rectangular window, explicitly set "
        f"`window=torch.ones(n_fft, device=<device>)`. (Triggered internally at "
        f"/__w/pytorch/pytorch/aten/src/ATen/native/SpectralOps.cpp:{line}.)",
        UserWarning,
        stacklevel=3,
    )


def _istft_repr(
    x, n_fft, hop_length, win_length, window, center, normalized, onesided, length, return_complex
):
    dims = ", ".join(str(s) for s in x.shape)
    return (
        f"istft(CPU{x.dtype._scalar_name}Type[{dims}], n_fft={n_fft}, hop_length={hop_length}, "
        f"win_length={win_length}, window={_window_repr(window)}, center={int(center)}, "
        f"normalized={int(normalized)}, onesided={_opt(onesided)}, length={_opt(length)}, "
        f"return_complex={int(return_complex)}) "
    )


def istft(
    input,
    n_fft,
    hop_length=None,
    win_length=None,
    window=None,
    center=True,
    normalized=False,
    onesided=None,
    length=None,
    return_complex=False,
):
    """torch.istft: the inverse of torch.stft by windowed overlap-add (least squares), trimmed
    by the centre padding or to ``length``."""
    tj = _tj()
    hop_length = n_fft >> 2 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if not input.is_complex():
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with return_complex=True."
        )

    def fail(msg):
        return RuntimeError(
            _istft_repr(
                input,
                n_fft,
                hop_length,
                win_length,
                window,
                center,
                normalized,
                onesided,
                length,
                return_complex,
            )
            + msg
        )

    if input.numel() == 0:
        raise fail(": input tensor cannot be empty.")
    if input.dim() not in (2, 3):
        raise fail(
            ": expected a tensor with 3 or 4 dimensions of real, or 2 or 3 dimensions of complex, but got "
            f"{input.dim() + 1}"
        )
    n_frames = input.shape[-1]
    fft_size = input.shape[-2]
    expected_len = n_fft + hop_length * (n_frames - 1)
    one = fft_size != n_fft if onesided is None else onesided
    if one and n_fft // 2 + 1 != fft_size:
        raise fail(
            ": expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 "
            f"when onesided=True, but got {fft_size}"
        )
    if not one and n_fft != fft_size:
        raise fail(
            ": expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when "
            f"onesided=False, but got {fft_size}"
        )
    if not 0 < hop_length <= win_length:
        raise fail(": expected 0 < hop_length <= win_length")
    if not 0 < win_length <= n_fft:
        raise fail(": expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != win_length):
        raise fail(": Invalid window shape. window has to be 1D and length of `win_length`")
    if window is None:
        _warn_rectangular(
            "A window was not provided. A rectangular window will be applied.Please provide the same window used by "
            "stft to make the inversion lossless.",
            1035,
        )
    w = _padded_window(window, win_length, n_fft, input.dtype.to_real())
    x = input.resolve_conj()
    x = x.unsqueeze(0) if input.dim() == 2 else x
    x = x.transpose(1, 2)  # (channel, n_frames, fft_size)
    norm = "ortho" if normalized else "backward"
    if return_complex:
        if one:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = tj.fft.ifft(x, dim=-1, norm=norm)
    else:
        if window is not None and window.is_complex():
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        if not one:
            x = x.narrow(-1, 0, n_fft // 2 + 1)
        frames = tj.fft.irfft(x, n=n_fft, dim=-1, norm=norm)
    frames = frames * w.view(1, 1, n_fft)
    # overlap-add (ATen's unfold_backward) of the frames and of the squared window
    idx = (tj.arange(n_frames).unsqueeze(1) * hop_length + tj.arange(n_fft).unsqueeze(0)).reshape(
        -1
    )
    y = tj.zeros(frames.shape[0], expected_len, dtype=frames.dtype).index_add(
        1, idx, frames.reshape(frames.shape[0], -1)
    )
    w2 = (w * w).expand(n_frames, n_fft).reshape(1, -1)
    env = tj.zeros(1, expected_len, dtype=w2.dtype).index_add(1, idx, w2)
    start = n_fft // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = expected_len - n_fft // 2
    else:
        end = expected_len
    y = y[:, start:end]
    env = env[:, start:end]
    if env.numel() and bool((env.abs().min() < 1e-11).item()):
        raise RuntimeError(
            _istft_repr(
                input,
                n_fft,
                hop_length,
                win_length,
                window,
                center,
                normalized,
                onesided,
                length,
                return_complex,
            )
            + "window overlap add min: 1\n[ CPUBoolType{} ]"
        )
    y = y / env
    if input.dim() == 2:
        y = y.squeeze(0)
    if end > expected_len:
        warnings.warn(
            "The length of signal is shorter than the length parameter. Result is being padded with zeros in the "
            "tail. Please check your center and hop_length settings. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/SpectralOps.cpp:1110.)",
            UserWarning,
            stacklevel=2,
        )
        y = tj.constant_pad_nd(y, [0, end - expected_len], 0)
    return y


register_function("stft", stft)
register_function("istft", istft)
register_method("stft", stft)
register_method("istft", istft)
