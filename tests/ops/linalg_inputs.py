"""Input builders shared by the linear algebra tests (torch tensors, float64 by default)."""

import torch

f64 = torch.float64


def spd(*shape, dtype=f64):
    a = torch.randn(*shape, dtype=dtype)
    return a @ a.mH + shape[-1] * torch.eye(shape[-1], dtype=dtype)


def well(*shape, dtype=f64):
    """A well-conditioned square matrix (batch)."""
    return torch.randn(*shape, dtype=dtype) + 3 * torch.eye(shape[-1], dtype=dtype)


SING = torch.tensor([[1.0, 2.0], [2.0, 4.0]])
NPD = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
LU_PIV = torch.linalg.lu_factor(torch.randn(3, 3))[1]
