"""The PyTorch CPU side of bench/peers.mjs (a benchmark peer, never a dependency).

Trains the documents' MLP (784-64-64-10, Adam, cross-entropy) with a plain training loop
(samples/s over an epoch) and times the documents' GAN step at batch 64 (steps/s), on the MNIST
training images and labels bench/peers.mjs wrote to the directory given.

Usage: python3 peers.py <data dir>, then one request per line on stdin, each answered by one
JSON line on stdout with the figure of one round:
  mlp <batch> <warm-up epochs> <epochs> <threads>   samples/s over that many epochs
  gan <warm-up steps> <threads>            steps/s of 60 steps
Each (workload, batch, threads) keeps its model between requests and warms up on its first, so
bench/peers.mjs can alternate rounds of edgetensor and PyTorch: a slow spell of a shared
machine then falls on both.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

data_dir = sys.argv[1]
torch.manual_seed(1)
images = torch.from_numpy(np.fromfile(f"{data_dir}/images.f32", dtype=np.float32).reshape(-1, 784))
labels = torch.from_numpy(np.fromfile(f"{data_dir}/labels.i32", dtype=np.int32).astype(np.int64))
count = images.shape[0]


def mlp_round(batch, warmup_epochs, epochs_per_round):
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    # Keras' Adam, as edgetensor's mlp() compiles it: learning rate 0.001, epsilon 1e-7.
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        order = torch.randperm(count)
        start = time.perf_counter()
        for first in range(0, count, batch):
            rows = order[first:first + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(images[rows]), labels[rows])
            loss.backward()
            optimizer.step()
        return count / (time.perf_counter() - start)

    for _ in range(warmup_epochs):
        epoch()

    def timed():
        rates = [epoch() for _ in range(epochs_per_round)]
        return epochs_per_round / sum(1 / r for r in rates)

    return timed


def gan_round(warmup, batch=64, steps=60):
    def leaky():
        return nn.LeakyReLU(0.2)

    generator = nn.Sequential(
        nn.Linear(100, 128), leaky(), nn.BatchNorm1d(128),
        nn.Linear(128, 256), leaky(), nn.BatchNorm1d(256),
        nn.Linear(256, 512), leaky(), nn.BatchNorm1d(512),
        nn.Linear(512, 1024), leaky(), nn.BatchNorm1d(1024),
        nn.Linear(1024, 784), nn.Sigmoid())
    # Logits out: the losses below apply the sigmoid inside BCE, as edgetensor's step does.
    discriminator = nn.Sequential(
        nn.Linear(784, 1024), leaky(), nn.Linear(1024, 512), leaky(),
        nn.Linear(512, 256), leaky(), nn.Linear(256, 128), leaky(), nn.Linear(128, 1))
    g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    order = torch.randperm(count)
    done = [0]

    def step():
        i = done[0]
        done[0] += 1
        rows = order[(i * batch) % (count - batch):][:batch]
        real = images[rows]
        fake = generator(torch.randn(batch, 100))
        d_opt.zero_grad()
        d_loss = bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros)
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = bce(discriminator(fake), ones)
        g_loss.backward()
        g_opt.step()
        # Read the losses every step, as edgetensor's training loop does.
        return d_loss.item(), g_loss.item()

    for _ in range(warmup):
        step()

    def timed():
        start = time.perf_counter()
        for _ in range(steps):
            step()
        return steps / (time.perf_counter() - start)

    return timed


rounds = {}
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    kind, numbers = words[0], [int(w) for w in words[1:]]
    if (kind, len(numbers)) not in (("mlp", 4), ("gan", 2)):
        sys.exit(f"peers.py: unknown request {line.strip()!r}; expected 'mlp <batch> <warm-up epochs> <epochs> <threads>' or 'gan <warm-up steps> <threads>'")
    threads = numbers[-1]
    torch.set_num_threads(threads)
    key = tuple(words)
    if key not in rounds:
        rounds[key] = mlp_round(numbers[0], numbers[1], numbers[2]) if kind == "mlp" else gan_round(numbers[0])
    print(json.dumps({"request": line.strip(), "value": rounds[key]()}), flush=True)
