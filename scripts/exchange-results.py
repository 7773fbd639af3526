#!/usr/bin/env python3
"""Renders `vane-mpi exchange --json` lines (make results-exchange) as docs/results/exchange.md."""
import datetime
import json
import os
import platform
import statistics
import sys


def main():
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    first = runs[0]
    out = ["# Sharded embedding training: the row exchanges, measured", "",
           f"Rendered by `python3 scripts/exchange-results.py` from `mpirun -np N vane-mpi exchange --json` on {datetime.date.today()} "
           f"({platform.machine()}, {os.cpu_count()} cores, ranks oversubscribed over shared memory); `make results-exchange` reruns it. "
           f"Each step draws {first['batch']} seed edges over all ranks; a rank takes those whose source it owns, samples "
           f"{' then '.join(map(str, first['fan_out']))} neighbours per node and direction (2 hops, out- and in-edges), pulls the "
           f"rows (dimension {first['dimension']}, float32) of the distinct nodes from their owners and pushes one gradient row per "
           "(edge, node) back, summed per node before sending (`ShardedEmbeddingTable`). Bytes are exact (what each rank sent to "
           f"other ranks, ids and rows, pull and push); seconds are of ranks sharing {os.cpu_count()} cores, not of a cluster. "
           f"Means over {first['steps']} steps.", "",
           "| graph | ranks | partition | cut edges | sampled rows per rank and step (with repeats) | distinct rows | remote share | MB sent per rank and step (mean / max) | "
           "seconds per step: sampling / pull / push (rank mean) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        step = run["per_step"]
        mean = statistics.mean
        out.append(f"| {os.path.basename(run['edges_file'])} | {run['ranks']} | {run['partition']} | {100 * run['cut_share']:.1f}% | "
                   f"{mean(step['sampled_rows']):,.0f} | {mean(step['pulled_rows']):,.0f} | {100 * run['remote_share']:.1f}% | "
                   f"{mean(step['bytes_sent']) / 1e6:.2f} / {max(step['bytes_sent']) / 1e6:.2f} | "
                   f"{mean(step['sampling_seconds']):.3f} / {mean(step['pull_seconds']):.3f} / {mean(step['push_seconds']):.3f} |")
    by_key = {(os.path.basename(r["edges_file"]), r["ranks"], r["partition"]): r for r in runs}
    lines = []
    for (graph, ranks, method), run in sorted(by_key.items()):
        if method != "metis" or (graph, ranks, "hash") not in by_key:
            continue
        hash_ = by_key[(graph, ranks, "hash")]
        ratio = statistics.mean(hash_["per_step"]["bytes_sent"]) / max(1.0, statistics.mean(run["per_step"]["bytes_sent"]))
        lines.append(f"{graph} at {ranks} ranks {ratio:.1f}x")
    out += ["", "Bytes a hash placement sends for each byte METIS placement sends: " + "; ".join(lines) + ".", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
