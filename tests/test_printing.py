"""repr/str of tensors: the same text as torch prints."""

import pytest
from _compare import assert_same_output

CASES = [
    "print(torch.tensor([1., 2.]))",
    "print(torch.tensor([1, 2]))",
    "print(torch.tensor(3.5)); print(torch.tensor(3)); print(torch.tensor(True))",
    "print(torch.tensor([1.5, -2.25, 3.0]))",
    "print(torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float64))",
    "print(torch.tensor([1, 2], dtype=torch.int32)); print(torch.tensor([1, 2], dtype=torch.uint8))",
    "print(torch.tensor([True, False]))",
    "print(torch.tensor([1e10, 1.])); print(torch.tensor([1e-5, 1.])); print(torch.tensor([1e-5, 1e5]))",
    "print(torch.tensor([123456789., 1.]))",
    "print(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.]))",
    "print(torch.tensor([float('nan'), 2.5]))",
    "print(torch.tensor([0., -0.]))",
    "print(torch.zeros(3)); print(torch.ones(2, 3, 4))",
    "print(torch.arange(2000.).reshape(40, 50))",
    "print(torch.arange(1001))",
    "print(torch.arange(10000.))",
    "print(torch.arange(30).reshape(2, 3, 5))",
    "print(torch.arange(120.).reshape(2, 3, 4, 5) / 7)",
    "print(torch.tensor([1+2j, 3-4j])); print(torch.tensor([1.5+0j, -2j]))",
    "print(torch.tensor([1+2j], dtype=torch.complex128))",
    "print(torch.empty(2, 0)); print(torch.tensor([], dtype=torch.int64)); print(torch.tensor([]))",
    "print(torch.empty(0, dtype=torch.float64)); print(torch.zeros(0, 3, dtype=torch.int32))",
    "print(torch.tensor([1., 2.], requires_grad=True))",
    "x = torch.tensor([1., 2.], requires_grad=True); print(x * 2); print((x * 2).sum()); print(x + 1)",
    "print(torch.tensor([1., 2.], dtype=torch.float16)); print(torch.tensor([1.5, 2.], dtype=torch.bfloat16))",
    "print(torch.tensor([0.1, 0.25, 1.0/3]))",
    "print(torch.tensor([[1e-8, 1.], [2., 3.]]))",
    "print(torch.tensor([100., 0.001]))",
    "print(repr(torch.tensor(0.1))); print(str(torch.tensor([2.])))",
    "print(torch.tensor([-1, 10, 100, -1000]))",
    "print(f'{torch.tensor(2.5):.2f}', f'{torch.tensor(3)}')",
    "print(torch.ones(3, 4).t()); print(torch.arange(12.).reshape(3, 4)[:, 1])",
    "print(torch.tensor([1., 2.]).double()); print(torch.tensor([[True]]))",
    "print(torch.Size([2, 3])); print(torch.zeros(2, 3).shape); print(torch.tensor(1.).shape)",
    "print(torch.float32, torch.int64, torch.bool, torch.device('cpu'), repr(torch.device('cpu')))",
    "print(torch.finfo(torch.float32)); print(torch.iinfo(torch.int16))",
]


@pytest.mark.parametrize("code", CASES)
def test_print_matches_torch(code):
    assert_same_output(code)


@pytest.mark.parametrize(
    "opts",
    [
        "precision=2",
        "threshold=5",
        "edgeitems=1, threshold=5",
        "linewidth=30",
        "sci_mode=True",
        "sci_mode=False",
        "profile='short'",
        "profile='full'",
    ],
)
def test_printoptions_match_torch(opts):
    assert_same_output(
        f"torch.set_printoptions({opts})\n"
        "print(torch.tensor([1.12345, 200.5, 3e-3]))\nprint(torch.arange(20))\n"
        "print(torch.arange(60.).reshape(3, 20) / 3)\n"
        "torch.set_printoptions(profile='default')"
    )
