#!/usr/bin/env python3
"""Matrix-product throughput: VaneTensor (Debian OpenBLAS through cblas_sgemm) vs numpy float32.

Run from the repository root:  python3 Benchmarks/matmul.py
Builds the Swift benchmark in release mode, then times both on the same shapes on the same machine,
alternating Swift and numpy rounds so machine noise hits both, and prints median GFLOP/s and the ratio
Vane / numpy. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for numpy's timing, as the machine
notes advise (they slow a current OpenBLAS); Vane's run keeps the environment as tests see it.
"""
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

SHAPES = ["65536x64x64", "4096x128x128", "1024x1024x1024"]
ROUNDS = 3
HERE = os.path.dirname(os.path.abspath(__file__))


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "MatrixProductBenchmark"],
                   cwd=HERE, check=True, stdout=subprocess.DEVNULL)
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=HERE, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "MatrixProductBenchmark")


def vane(binary):
    output = subprocess.run([binary, *SHAPES], check=True, capture_output=True, text=True).stdout
    return {row["shape"]: row["gflops"] for row in map(json.loads, output.splitlines())}


def numpy_rates(runs=7):
    rng = np.random.default_rng(1)
    result = {}
    for shape in SHAPES:
        m, k, n = map(int, shape.split("x"))
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        c = np.empty((m, n), dtype=np.float32)
        flops = 2.0 * m * k * n
        repeats = max(1, int(5e9 / flops))
        np.matmul(a, b, out=c)
        rates = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(repeats):
                np.matmul(a, b, out=c)
            rates.append(flops * repeats / (time.perf_counter() - start) / 1e9)
        result[shape] = rates
    return result


def main():
    binary = build()
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        os.environ.pop(key, None)
    swift_runs = {s: [] for s in SHAPES}
    numpy_runs = {s: [] for s in SHAPES}
    for _ in range(ROUNDS):
        for shape, rates in vane(binary).items():
            swift_runs[shape] += rates
        for shape, rates in numpy_rates().items():
            numpy_runs[shape] += rates
    print(f"matrix product, float32, {os.cpu_count()} cores, numpy {np.__version__}; median GFLOP/s over {ROUNDS} x 7 runs")
    print(f"{'shape (MxKxN)':<18} {'vane':>8} {'numpy':>8} {'vane/numpy':>11}")
    worst = None
    for shape in SHAPES:
        v, p = statistics.median(swift_runs[shape]), statistics.median(numpy_runs[shape])
        worst = v / p if worst is None else min(worst, v / p)
        print(f"{shape:<18} {v:8.1f} {p:8.1f} {v / p:11.2f}")
    print(f"lowest ratio {worst:.2f}")


if __name__ == "__main__":
    sys.exit(main())
