"""The PyTorch CPU side of bench/peers.mjs (a benchmark peer, never a dependency).

Trains the documents' MLP (784-64-64-10, Adam, cross-entropy) with a plain training loop at
batch 32 and 256 (samples/s over an epoch) and times the documents' GAN step at batch 64
(steps/s), on the MNIST training images and labels bench/peers.mjs wrote to the directory given.
Usage: python3 peers.py <data dir> <threads> <rounds>. Prints JSON on stdout.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

data_dir, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
images = torch.from_numpy(np.fromfile(f"{data_dir}/images.f32", dtype=np.float32).reshape(-1, 784))
labels = torch.from_numpy(np.fromfile(f"{data_dir}/labels.i32", dtype=np.int32).astype(np.int64))
count = images.shape[0]


def mlp_epoch(model, optimizer, loss_fn, batch):
    order = torch.randperm(count)
    for start in range(0, count, batch):
        rows = order[start:start + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(images[rows]), labels[rows])
        loss.backward()
        optimizer.step()


def mlp_rate(batch):
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    # Keras' Adam, as edgetensor's mlp() compiles it: learning rate 0.001, epsilon 1e-7.
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    mlp_epoch(model, optimizer, loss_fn, batch)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        mlp_epoch(model, optimizer, loss_fn, batch)
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def gan_rate(batch=64, warmup=20, steps=60):
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

    def step(i):
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

    for i in range(warmup):
        step(i)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(steps):
            step(i)
        rates.append(steps / (time.perf_counter() - start))
    return statistics.median(rates)


print(json.dumps({"mlp": {"32": mlp_rate(32), "256": mlp_rate(256)}, "ganStepsPerSecond": gan_rate()}))
