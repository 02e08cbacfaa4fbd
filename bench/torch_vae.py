"""The reference for `npm run bench`: the same VAE in PyTorch on one CPU thread.

784-512-20 MLP, ReLU, Bernoulli decoder (logits), ELBO summed over pixels and latent dims and
averaged over the batch, Adam 1e-3, batch 128. Prints one JSON line.
"""
import json
import os
import sys
import time

import torch
from torch import nn

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
torch.set_num_threads(1)
torch.manual_seed(0)


class VAE(nn.Module):
    def __init__(self, pixels=784, hidden=512, latent=20):
        super().__init__()
        self.enc = nn.Linear(pixels, hidden)
        self.code = nn.Linear(hidden, 2 * latent)
        self.dec = nn.Linear(latent, hidden)
        self.out = nn.Linear(hidden, pixels)
        self.latent = latent

    def loss(self, x):
        mean, log_var = self.code(torch.relu(self.enc(x))).chunk(2, dim=1)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        logits = self.out(torch.relu(self.dec(z)))
        rec = -nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (log_var.exp() + mean.pow(2) - 1 - log_var).sum(1)
        return -(rec - kl).mean()


def blas_in_use():
    """The BLAS library this process actually mapped (Debian switches libblas.so.3 by alternatives)."""
    with open("/proc/self/maps") as maps:
        names = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    real = sorted({os.path.realpath(n) for n in names})
    if any("openblas" in n for n in real):
        return "openblas (" + ", ".join(real) + ")"
    return "reference BLAS (" + ", ".join(real) + ")" if real else "unknown"


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = (torch.rand(128, 784) < 0.5).float()


def step():
    opt.zero_grad()
    loss = model.loss(x)
    loss.backward()
    opt.step()
    return loss


for _ in range(10):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
elapsed = time.perf_counter() - start
print(json.dumps({
    "examples_per_second": steps * 128 / elapsed,
    "steps": steps,
    "threads": torch.get_num_threads(),
    "torch": torch.__version__,
    "blas": blas_in_use(),
}))
