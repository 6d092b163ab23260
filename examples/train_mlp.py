"""Train a small MLP classifier on a synthetic dataset: plain torch code, run by torchjax.

    python examples/train_mlp.py           # torchjax: CPU by default, an accelerator if present
    python examples/train_mlp.py --torch   # the same script on real torch, for comparison

torchjax reproduces torch's random streams, so both runs draw the same data, the same initial
weights and the same shuffles, and print the same loss curve (up to float rounding).
"""

import argparse
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--torch", action="store_true", help="run with real torch instead of torchjax")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()

if args.torch:
    import torch
else:
    import torchjax as torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(0)

# a synthetic 3-class problem: gaussian blobs in 20 dimensions
N, D_in, H, C = 1024, 20, 64, 3
centers = torch.randn(C, D_in) * 0.4
labels = torch.randint(0, C, (N,))
inputs = centers[labels] + torch.randn(N, D_in)
inputs, labels = inputs.to(device), labels.to(device)

# a two-layer MLP with hand-written parameters and plain SGD
w1 = (torch.randn(D_in, H) / D_in**0.5).to(device).requires_grad_()
b1 = torch.zeros(H, device=device, requires_grad=True)
w2 = (torch.randn(H, C) / H**0.5).to(device).requires_grad_()
b2 = torch.zeros(C, device=device, requires_grad=True)
params = [w1, b1, w2, b2]


def forward(x):
    h = (x @ w1 + b1).relu()
    return h @ w2 + b2


start = time.perf_counter()
for epoch in range(args.epochs):
    perm = torch.randperm(N)
    total = 0.0
    for i in range(0, N, args.batch_size):
        idx = perm[i : i + args.batch_size]
        x, y = inputs[idx], labels[idx]
        logits = forward(x)
        loss = -logits.log_softmax(dim=1).gather(1, y.unsqueeze(1)).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= args.lr * p.grad
                p.grad = None
        total += loss.item() * len(idx)
    with torch.no_grad():
        accuracy = (forward(inputs).argmax(dim=1) == labels).float().mean().item()
    print(f"epoch {epoch + 1}: loss {total / N:.4f}  accuracy {accuracy:.3f}")
print(f"{'torch' if args.torch else 'torchjax'} on {device}: {time.perf_counter() - start:.2f} s")
