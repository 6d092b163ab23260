"""The reviewed list of op_db parity failures, and the OpInfos that are out of scope.

Read by tests/parity/test_ops.py (each listed case is xfail(strict=True): a listed case that
passes fails the run, so this list stays honest) and by tests/parity/sweep.py.

KNOWN_FAILURES keys, finest first: "opid:dtype:variant", "opid:dtype", "opid/variant",
"opid" (all cases of the OpInfo). opid = OpInfo name + ".variant_test_name" if any;
variant = function | method | inplace | alias(NAME)[.method|.inplace] | grad | error
(error cases have dtype "any"). Reasons starting with "auto:" were written by
`python tests/parity/sweep.py --full --write-known-failures` and await review; edit a
reason (drop the "auto:") to keep it across regenerations.

OUT_OF_SCOPE: OpInfos not run at all, with the reason (tests/parity/_opsweep.py scope_rule;
test_ops.py checks this list matches the rule).
"""

# fmt: off
KNOWN_FAILURES: dict[str, str] = {
    "nn.functional.conv2d:float32:function": "float32 summation order: on sample 23 (grouped conv of large-magnitude inputs) XLA's CPU convolution and torch's mkldnn kernel are equally far (1.65e-5) from the float64 result but differ from each other by 1.3e-5 > atol 1e-5",
    "nn.functional.conv2d:float32:alias(conv2d)": "float32 summation order: on sample 23 (grouped conv of large-magnitude inputs) XLA's CPU convolution and torch's mkldnn kernel are equally far (1.65e-5) from the float64 result but differ from each other by 1.3e-5 > atol 1e-5",
    "nn.functional.conv_transpose3d:float32:function": "float32 summation order: on sample 8 (outputs ~30) XLA's and torch's results differ by 1.3e-4 (torchjax 1.4e-4, torch 1.0e-4 from the float64 result)",
    "nn.functional.conv_transpose3d:float32:alias(conv_transpose3d)": "float32 summation order: on sample 8 (outputs ~30) XLA's and torch's results differ by 1.3e-4 (torchjax 1.4e-4, torch 1.0e-4 from the float64 result)",
    "nn.functional.conv_transpose2d:bfloat16": "torch's CPU slow_conv_transpose accumulates in bfloat16; torchjax accumulates in float32 and is closer to the float64 result (max err 0.25 vs torch 0.56)",
    "nn.functional.conv_transpose2d:float16": "torch's CPU slow_conv_transpose accumulates in float16; torchjax accumulates in float32 and is closer to the float64 result (0.031 vs torch 0.086)",
    "nn.functional.conv_transpose3d:bfloat16": "torch's CPU slow_conv_transpose accumulates in bfloat16; torchjax accumulates in float32 and is closer to the float64 result (0.39 vs torch 0.75)",
    "nn.functional.conv_transpose3d:float16": "torch's CPU slow_conv_transpose accumulates in float16; torchjax accumulates in float32 and is closer to the float64 result (0.061 vs torch 0.12)",
    "chalf": "torchjax has no complex32 (ComplexHalf) dtype: numpy/JAX have no complex-half type to store it, "
             "so Tensor.chalf() cannot return a torch.complex32 tensor",
    "matrix_exp:float32:function": "batched float32 input with a large norm (sample 1, 5x5x5): torch squares "
                                   "the degree-18 Taylor result with its naive sequential bmm kernel (no FMA); "
                                   "XLA contracts mul+add into FMA, and the rounding differences grow through "
                                   "the squarings beyond rtol 1.3e-6 (even exp in float64 rounded to float32 "
                                   "differs from torch in 24/125 elements)",
    "matrix_exp:float32:method": "same as matrix_exp:float32:function (torch's float32 bmm rounding)",
    "matrix_exp:float32:alias(linalg.matrix_exp)": "same as matrix_exp:float32:function (torch's float32 bmm "
                                                   "rounding)",
    "nn.functional.triplet_margin_with_distance_loss/function": "sample 0 passes distance_function=torch.nn.PairwiseDistance(), an nn.Module torchjax does not provide yet (torchjax.nn.modules); the loss itself passes every other sample",
    "nn.functional.triplet_margin_with_distance_loss/grad": "sample 0 passes distance_function=torch.nn.PairwiseDistance(), an nn.Module torchjax does not provide yet (torchjax.nn.modules); the loss itself passes every other sample",
    "nn.functional.multi_head_attention_forward:float32:function": "float32 summation order: on sample 126 (inputs with outputs up to ~1600, need_weights path: baddbmm + softmax + bmm + linear) torchjax is 8.7e-3 from the float64 result, torch 3.7e-2; they differ by 2.8e-2 > atol 5e-3",
    "nn.functional.multi_head_attention_forward:float16": "reduced-precision rounding: torch's CPU float16 bmm/linear/softmax round intermediates differently from XLA (sample 10: 16.16 vs torch 16.30, 0.9%)",
    "nn.functional.multi_head_attention_forward:bfloat16": "reduced-precision rounding: sample 16's averaged attention weights: a softmax entry of 6.1e-6 (torchjax) vs 3.4e-4 (torch), both tiny against the row's 1.0 (bfloat16 bmm/softmax rounding)",
    "nn.functional.grid_sample:float16": "torch's CPU grid sampler rounds float16 intermediates in its own order (vectorized kernel); torchjax computes in float16 with XLA's rounding: both are ~0.02 from the float32 result but differ from each other by up to 0.005 > rtol 1e-3",
    "nn.functional.grid_sample:bfloat16": "torch's CPU grid sampler rounds bfloat16 intermediates in its own order (vectorized kernel); torchjax computes in bfloat16 with XLA's rounding: both ~0.16-0.18 from the float32 result, differing from each other beyond rtol 1.6e-2",
    "grid_sampler_2d:float16": "same as nn.functional.grid_sample:float16 (float16 intermediate rounding order of torch's CPU kernel)",
    "grid_sampler_2d:bfloat16": "same as nn.functional.grid_sample:bfloat16 (bfloat16 intermediate rounding order of torch's CPU kernel)",
    "grid_sampler_3d:float16": "same as nn.functional.grid_sample:float16 (float16 intermediate rounding order of torch's CPU kernel)",
    "grid_sampler_3d:bfloat16": "same as nn.functional.grid_sample:bfloat16 (bfloat16 intermediate rounding order of torch's CPU kernel)",
    "grid_sampler_3d:float32:grad": "float32 summation order: on sample 22 the grid gradient (a sum over channels of 8 trilinear corner terms, values ~6.4) differs from torch's by 2.5e-4 in 10 of 79200 elements (rel 4e-5 > rtol 1.3e-5)",
}

OUT_OF_SCOPE: dict[str, str] = {
    "_batch_norm_with_update": "private ATen op (leading underscore), not public torch API",
    "_chunk_cat": "private ATen op (leading underscore), not public torch API",
    "_native_batch_norm_legit": "private ATen op (leading underscore), not public torch API",
    "_segment_reduce.lengths": "private ATen op (leading underscore), not public torch API",
    "_segment_reduce.offsets": "private ATen op (leading underscore), not public torch API",
    "_softmax_backward_data": "private ATen op (leading underscore), not public torch API",
    "_unsafe_masked_index": "private ATen op (leading underscore), not public torch API",
    "_unsafe_masked_index_put_accumulate": "private ATen op (leading underscore), not public torch API",
    "_upsample_bilinear2d_aa": "private ATen op (leading underscore), not public torch API",
    "bmm.triton_optimized": "triton DSL override of bmm (GPU); the plain bmm OpInfo covers torch.bmm",
    "jiterator_2inputs_2outputs": "CUDA jiterator (torch.cuda.jiterator): needs CUDA",
    "jiterator_4inputs_with_extra_args": "CUDA jiterator (torch.cuda.jiterator): needs CUDA",
    "jiterator_binary": "CUDA jiterator (torch.cuda.jiterator): needs CUDA",
    "jiterator_binary_return_by_ref": "CUDA jiterator (torch.cuda.jiterator): needs CUDA",
    "jiterator_unary": "CUDA jiterator (torch.cuda.jiterator): needs CUDA",
    "masked.amax": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.amin": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.argmax": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.argmin": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.cumprod": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.cumsum": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.log_softmax": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.logaddexp": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.logsumexp": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.mean": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.median": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.norm": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.normalize": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.prod": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.softmax": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.softmin": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.std": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.sum": "torch.masked (prototype masked-tensor reductions): not a target family",
    "masked.var": "torch.masked (prototype masked-tensor reductions): not a target family",
    "max_pool2d_with_indices_backward": "raw ATen operator (torch.ops.aten), not public torch API",
    "native_dropout_backward": "raw ATen operator (torch.ops.aten), not public torch API",
    "nn.functional.batch_norm.without_cudnn": "no CPU dtypes (CUDA/cuDNN/triton-only variant)",
    "signal.windows.bartlett": "torch.signal.windows: not a target family",
    "signal.windows.blackman": "torch.signal.windows: not a target family",
    "signal.windows.cosine": "torch.signal.windows: not a target family",
    "signal.windows.exponential": "torch.signal.windows: not a target family",
    "signal.windows.gaussian": "torch.signal.windows: not a target family",
    "signal.windows.general_cosine": "torch.signal.windows: not a target family",
    "signal.windows.general_hamming": "torch.signal.windows: not a target family",
    "signal.windows.hamming": "torch.signal.windows: not a target family",
    "signal.windows.hann": "torch.signal.windows: not a target family",
    "signal.windows.kaiser": "torch.signal.windows: not a target family",
    "signal.windows.nuttall": "torch.signal.windows: not a target family",
    "slice": "raw ATen operator (torch.ops.aten), not public torch API",
    "sparse.mm.reduce": "sparse layouts: torchjax has strided tensors only",
    "sparse.sampled_addmm": "sparse layouts: torchjax has strided tensors only",
    "to_sparse": "sparse layouts: torchjax has strided tensors only",
    "torch._scaled_mm": "float8 scaled matmul: CUDA-only private op",
    "torch._scaled_mm_v2": "float8 scaled matmul: CUDA-only private op",
    "torch.ops.aten._efficient_attention_forward": "raw ATen operator (torch.ops.aten), not public torch API",
    "torch.ops.aten._flash_attention_forward": "raw ATen operator (torch.ops.aten), not public torch API",
    "torch.ops.aten._safe_softmax.default": "raw ATen operator (torch.ops.aten), not public torch API",
}
# fmt: on
