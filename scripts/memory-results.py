#!/usr/bin/env python3
"""Renders make results-memory's measurements as docs/results/memory.md. Only formats: the peaks come
from /usr/bin/time (one process) and from `vane-mpi train --json` (each rank's VmHWM)."""
import datetime
import json
import os
import platform
import sys


def main():
    single = json.load(open(sys.argv[1]))
    two = json.loads([line for line in open(sys.argv[2]) if line.startswith("{")][-1])
    single_mb = single["peak_resident_kb"] / 1024
    single_mrr = float(json.load(open(sys.argv[3]))["details"]["validation_mrr"]) if len(sys.argv) > 3 else None
    peaks = two["peak_resident_mb_per_rank"]
    out = ["# Sharded GNN training: memory per rank", "",
           f"Rendered by `python3 scripts/memory-results.py` on {datetime.date.today()} ({platform.machine()}, "
           f"{os.cpu_count()} cores); `make results-memory` reruns it. Graph: `GNNEpochBenchmark --synthetic 1200000:3600000 "
           "--write-edges` (Chung-Lu power law, exponent 2.1; the nodes with an edge are kept). One epoch of the default's GNN "
           "(hybrid structure, degree-biased sampling, dimension 64), then validation, inference over the whole graph and the "
           "model files, in one process (`vane graph train --method hybrid --epochs 1 --index-count 0`, peak resident set by "
           "`/usr/bin/time`) and on 2 ranks (`mpirun -np 2 vane-mpi train --epochs 1`, each rank's VmHWM; rank 0's includes "
           "assembling and writing the model). Seconds are of 2 ranks sharing 2 cores; the two runs are different draws of "
           "the same training (validation MRR after one epoch).", "",
           "| run | peak resident MB | of one process | seconds | validation MRR |",
           "|---|---|---|---|---|",
           f"| one process | {single_mb:.0f} | 1.00x | {single['seconds']:.0f} | {'' if single_mrr is None else f'{single_mrr:.4f}'} |"]
    for rank, peak in enumerate(peaks):
        out.append(f"| 2 ranks: rank {rank} | {peak:.0f} | {peak / single_mb:.2f}x | {two['seconds']:.0f} | {two['validation_mrr']:.4f} |")
    out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
