#!/usr/bin/env python3
"""Exact related-items scans from 8-bit target embeddings against float32, and against numpy and torch.

Run from the repository root:  python3 Benchmarks/compact-scan.py [--model DIR] [--repeats 3]
Needs: `pip install torch==2.13.0+cpu numpy`, and a saved model (default out/models/debian-related, which
Benchmarks/serve-load.py trains once). Builds Benchmarks' CompactScanBenchmark (release), which times
`CompactTargetScan` (int8) and the float32 scan on the same queries in batches of 1, 16 and 64, on the
model as saved (embeddings plus walk term) and on its embeddings alone; then scans the same embeddings
with numpy (matmul + argpartition) and torch (matmul + topk) in this script, same batches, same sources,
same cores. Writes its section of docs/results/serving.md (between the compact-scan markers).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import struct
import subprocess
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DOC = os.path.join(ROOT, "docs", "results", "serving.md")
BEGIN, END = "<!-- compact-scan:begin -->", "<!-- compact-scan:end -->"
median = statistics.median


def safetensors(path):
    with open(path, "rb") as handle:
        size = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(size))
        data = handle.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=np.float32).reshape(entry["shape"]).copy()
    return tensors


def peers(sources, targets, queries, batches, k, repeats):
    n = sources.shape[0]
    ids = np.array([(i * 7919) % n for i in range(queries)])
    s, t = torch.from_numpy(sources), torch.from_numpy(targets)
    result = {}
    for batch in batches:
        numpy_runs, torch_runs = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            for start in range(0, queries, batch):
                scores = sources[ids[start:start + batch]] @ targets.T
                top = np.argpartition(scores, -k, axis=1)[:, -k:]
                values = np.take_along_axis(scores, top, axis=1)
                np.take_along_axis(top, np.argsort(-values, axis=1), axis=1)
            numpy_runs.append((time.perf_counter() - started) * 1000 / queries)
            started = time.perf_counter()
            for start in range(0, queries, batch):
                torch.topk(s[ids[start:start + batch]] @ t.T, k, dim=1)
            torch_runs.append((time.perf_counter() - started) * 1000 / queries)
        result[batch] = {"numpy": numpy_runs, "torch": torch_runs}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=os.path.join(ROOT, "out", "models", "debian-related"))
    parser.add_argument("--queries", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-doc", action="store_true", help="print the JSON only")
    args = parser.parse_args()
    batches = [1, 16, 64]
    subprocess.run(["swift", "build", "-c", "release", "--product", "CompactScanBenchmark"], cwd=HERE, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=HERE, check=True,
                                         capture_output=True, text=True).stdout.strip(), "CompactScanBenchmark")
    output = subprocess.run([binary, "--model", args.model, "--queries", str(args.queries), "--repeats", str(args.repeats),
                             "--batches", ",".join(map(str, batches))], check=True, capture_output=True, text=True).stdout
    vane = json.loads(output.strip().splitlines()[-1])
    tensors = safetensors(os.path.join(args.model, "embeddings.safetensors"))
    peer = peers(tensors["source_embeddings"], tensors["target_embeddings"], args.queries, batches, vane["k"], args.repeats)
    result = {"vane": vane, "peers": {str(b): v for b, v in peer.items()}, "date": str(datetime.date.today()),
              "machine": platform.machine(), "torch": torch.__version__, "numpy": np.__version__}
    print(json.dumps(result))
    if args.no_doc:
        return
    rows = {(row["scores"], row["batch"]): row for row in vane["rows"]}
    lines = [BEGIN, "## Exact scans from 8-bit embeddings", "",
             f"Produced by `python3 Benchmarks/compact-scan.py --repeats {args.repeats}` on {result['date']} "
             f"({result['machine']}, {vane['cores']} cores, AVX2 kernel: {'yes' if vane['avx2'] else 'no, portable C'}; "
             f"torch {result['torch']}, numpy {result['numpy']}). Model `{os.path.relpath(args.model, ROOT)}` "
             f"({vane['items']:,} items, dimension {vane['dimension']}); {vane['queries']} queries (source i x 7919 mod items), "
             f"top {vane['k']}, in batches as the server forms them. Target embeddings: float32 "
             f"{vane['float_target_bytes'] / 1e6:.1f} MB, int8 codes and scales {vane['int8_target_bytes'] / 1e6:.1f} MB. "
             "int8 is `CompactTargetScan`: every item scored from the codes (8 rows per AVX2 vpmaddwd, panels read once per "
             "batch, no packing), an error bound per item, and float32 rescoring of the items the bound cannot rule out, so "
             "its answers are the float32 scan's (recall below measured against it). ms per query: medians over "
             f"{args.repeats} runs.", "",
             "| scores | batch | float32 ms/query | int8 ms/query | int8 speed-up | recall@10 vs float32 | identical lists | "
             "rescored per query | fallbacks | numpy ms/query | torch ms/query | int8 vs numpy | int8 vs torch |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scores, label in [("model", "embeddings + walk term (as served)"), ("embeddings", "embeddings only")]:
        for batch in batches:
            row = rows[(scores, batch)]
            f, i = median(row["float_ms_per_query"]), median(row["int8_ms_per_query"])
            peer_cells = "| - | - | - | - |"
            if scores == "embeddings":
                p = peer[batch]
                n_, t_ = median(p["numpy"]), median(p["torch"])
                peer_cells = f"| {n_:.3f} | {t_:.3f} | {n_ / i:.2f}x | {t_ / i:.2f}x |"
            lines.append(f"| {label} | {batch} | {f:.3f} | {i:.3f} | {f / i:.2f}x | {row['recall_at_k']:.4f} | "
                         f"{100 * row['identical_lists']:.1f}% | {row['rescored_per_query']:.1f} | "
                         f"{100 * row['fallback_share']:.2f}% {peer_cells}")
    lines += ["", f"- Quantising the target embeddings at load: {rows[('model', batches[0])]['quantise_seconds'] * 1000:.0f} ms.",
              "- Identical lists: same ids in the same order; a list can differ from the float32 scan's only where two scores "
              "tie within float rounding of the dot product.", END]
    text = open(DOC).read() if os.path.exists(DOC) else "# Serving\n"
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
    elif "<!-- soak:begin -->" in text:
        at = text.index("<!-- soak:begin -->")
        text = text[:at] + "\n".join(lines) + "\n\n" + text[at:]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    with open(DOC, "w") as handle:
        handle.write(text)
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
