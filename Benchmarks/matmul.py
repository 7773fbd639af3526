#!/usr/bin/env python3
"""Matrix-product throughput: VaneTensor (Debian OpenBLAS through cblas_sgemm) vs numpy float32.

Run from the repository root:  python3 Benchmarks/matmul.py
Builds the Swift benchmark in release mode, then times both on the same shapes on the same machine,
alternating Swift and numpy rounds so machine noise hits both, and prints median GFLOP/s and the ratio
Vane / numpy, and which OpenBLAS kernels each ran. numpy is timed in a child process with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (some machines set them for older OpenBLAS builds; they
slow numpy's current one); Vane's run keeps the environment as tests see it.
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
    """(GFLOP/s per shape, kernel description) from one run of the Swift benchmark."""
    output = subprocess.run([binary, *SHAPES], check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in output.splitlines()]
    kernel = rows[0]["blas_core"] + (" (re-selected by Vane: the library had fallen back to Prescott)"
                                      if rows[0]["replaced_fallback"] else "")
    return {row["shape"]: row["gflops"] for row in rows[1:]}, kernel


def numpy_child():
    """numpy's rates and kernel from a child process whose OpenBLAS loads without the overrides."""
    environment = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    output = subprocess.run([sys.executable, os.path.abspath(__file__), "--numpy"], env=environment, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def numpy_kernel():
    try:
        from threadpoolctl import threadpool_info
        info = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
        return f"{info[0]['architecture']} (OpenBLAS {info[0]['version']})" if info else "not OpenBLAS"
    except ImportError:
        return "unknown (threadpoolctl missing)"


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
    if sys.argv[1:] == ["--numpy"]:
        print(json.dumps({"rates": numpy_rates(), "kernel": numpy_kernel()}))
        return 0
    binary = build()
    swift_runs = {s: [] for s in SHAPES}
    numpy_runs = {s: [] for s in SHAPES}
    for _ in range(ROUNDS):
        rates, vane_kernel = vane(binary)
        for shape, values in rates.items():
            swift_runs[shape] += values
        child = numpy_child()
        for shape, values in child["rates"].items():
            numpy_runs[shape] += values
    print(f"matrix product, float32, {os.cpu_count()} cores, numpy {np.__version__}; median GFLOP/s over {ROUNDS} x 7 runs")
    print(f"OpenBLAS kernels: Vane {vane_kernel}; numpy {child['kernel']}")
    print(f"{'shape (MxKxN)':<18} {'vane':>8} {'numpy':>8} {'vane/numpy':>11}")
    worst = None
    for shape in SHAPES:
        v, p = statistics.median(swift_runs[shape]), statistics.median(numpy_runs[shape])
        worst = v / p if worst is None else min(worst, v / p)
        print(f"{shape:<18} {v:8.1f} {p:8.1f} {v / p:11.2f}")
    print(f"lowest ratio {worst:.2f}")


if __name__ == "__main__":
    sys.exit(main())
