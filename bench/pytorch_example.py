"""The PyTorch example's VAE (pytorch/examples, vae/main.py) and its test-loss protocol, re-run here.

784-400-20 MLP, ReLU, sigmoid decoder, Adam 1e-3, batch 128, 10 epochs; loss = BCE summed over the pixels
against the GREY image + KL, and the reported "test set loss" is that sum averaged over the 10,000 test
images, with one z per image. BCE is linear in its target, so BCE(x, p) = E_{b ~ Bernoulli(x)}[-log
Bernoulli(b; p)]: the test loss is the expected -ELBO of a randomly binarized test image b, with q computed
from the grey image. That is an upper bound on the expected -log p(b) of a binarized test digit, comparable
with a -ELBO on binarized MNIST (the Numbers page sets it beside vae-20d's). What it is not: a density of
the grey image, on which a Bernoulli puts no mass. Writes JSON to argv[1].
"""
import json
import os
import struct
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

out_path = sys.argv[1]
data_dir = sys.argv[2]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
torch.manual_seed(1)
torch.set_num_threads(1)


def idx(name):
    with open(os.path.join(data_dir, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims :]), dtype=torch.uint8).reshape(shape)


train = idx("train-images-idx3-ubyte").reshape(-1, 784).float() / 255
test = idx("t10k-images-idx3-ubyte").reshape(-1, 784).float() / 255


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_function(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
log = []
start = time.time()
for epoch in range(1, epochs + 1):
    model.train()
    order = torch.randperm(len(train))
    total = 0.0
    for i in range(0, len(train), 128):
        x = train[order[i : i + 128]]
        opt.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_function(recon, x, mu, logvar)
        loss.backward()
        total += loss.item()
        opt.step()
    model.eval()
    with torch.no_grad():
        test_loss = 0.0
        for i in range(0, len(test), 128):
            x = test[i : i + 128]
            recon, mu, logvar = model(x)
            test_loss += loss_function(recon, x, mu, logvar).item()
    log.append({"epoch": epoch, "trainLoss": total / len(train), "testLoss": test_loss / len(test)})
    print(f"epoch {epoch}: train {total / len(train):.2f} test {test_loss / len(test):.2f}", flush=True)
json.dump({"protocol": __doc__.strip(), "torch": torch.__version__, "seconds": round(time.time() - start), "epochs": log}, open(out_path, "w"), indent=2)
