"""The kd.step reference in PyTorch (CPU): the identical step to bench/kd.bench.ts.

Teacher 784-1200-1200-10 (ReLU, forward only, no grad), student 784-800-800-10 (ReLU, Adam lr 1e-3),
batch 128, loss mean_i w_i * [alpha * CE(S(x_i), y_i) + (1 - alpha) * tau^2 * KL(softmax(T(x_i)/tau) || softmax(S(x_i)/tau))]
with w = 1, tau = 4, alpha = 0.3. Prints one JSON object: samples/s, GFLOP/s (same FLOP count as the
TypeScript bench), threads, torch version.
Usage: python3 bench/torch_kd_step.py [--threads N] [--seconds S]
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seconds", type=float, default=8.0)
p.add_argument("--batch", type=int, default=128)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


teacher = mlp([784, 1200, 1200, 10]).eval()
student = mlp([784, 800, 800, 10])
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
B, tau, alpha = a.batch, 4.0, 0.3
x = torch.rand(B, 784)
y = torch.randint(0, 10, (B,))
w = torch.ones(B)


def step():
    with torch.no_grad():
        t = teacher(x)
    s = student(x)
    ce = F.cross_entropy(s, y, reduction="none")
    kl = F.kl_div(F.log_softmax(s / tau, 1), F.log_softmax(t / tau, 1), reduction="none", log_target=True).sum(1)
    loss = (w * (alpha * ce + (1 - alpha) * tau * tau * kl)).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


for _ in range(5):
    step()
n = 0
t0 = time.perf_counter()
while time.perf_counter() - t0 < a.seconds:
    step()
    n += 1
dt = time.perf_counter() - t0


def dense_flops(sizes):
    return sum(2 * sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))


# FLOPs per sample, counted the same way as bench/kd.bench.ts: teacher forward; student forward, weight
# gradients (one matmul per layer) and input gradients of all but the first layer.
tf_ = dense_flops([784, 1200, 1200, 10])
sf = dense_flops([784, 800, 800, 10])
sb = sf + dense_flops([800, 800, 10])
flops = tf_ + sf + sb
sps = n * B / dt
print(json.dumps({"samplesPerSecond": round(sps, 1), "gflops": round(sps * flops / 1e9, 2), "steps": n, "threads": torch.get_num_threads(), "torch": torch.__version__, "flopsPerSample": flops}))
