#!/usr/bin/env python3
"""Renders `vane-mpi partition --json` lines (make results-partition) as docs/results/partition.md."""
import datetime
import json
import os
import platform
import sys


def main():
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    out = ["# Graph partitions for sharded work: METIS against the hash", "",
           f"Rendered by `python3 scripts/partition-results.py` from `vane-mpi partition --json` on {datetime.date.today()} "
           f"({platform.machine()}); `make results-partition` reruns it. METIS k-way (seed 1) balances nodes and out-edges "
           "per part within 1.05 of the mean; the hash partition puts each node in hash(seed, name) mod parts. "
           "A sharded trainer's rank owns one part's embedding rows and seed edges (the out-edges of its nodes) and fetches "
           "its **halo** (nodes of other parts adjacent to its own) when they are sampled, so cut edges and halo rows are "
           "what a step exchanges. Halo per owned row = mean halo size over mean part size: rows a rank may have to "
           "fetch for each row it owns.", "",
           "| graph | nodes | edges | parts | METIS cut | hash cut | METIS halo per owned row | hash halo per owned row | "
           "METIS imbalance (nodes / out-edges) | METIS seconds |", "|---|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        metis, hash_ = run["partition"], run["hash"]
        parts = run["parts"]
        owned = run["nodes"] / parts

        def halo(s):
            return sum(s["halo"]) / len(s["halo"]) / owned

        out.append(f"| {os.path.basename(run['edges_file'])} | {run['nodes']:,} | {run['edges']:,} | {parts} | "
                   f"{100 * metis['cut_share']:.1f}% | {100 * hash_['cut_share']:.1f}% | {halo(metis):.2f} | {halo(hash_):.2f} | "
                   f"{metis['node_imbalance']:.3f} / {metis['edge_imbalance']:.3f} | {run['seconds']:.2f} |")
    out += ["", "Commands: `vane-mpi partition --edges ../shared/data/FILE --parts P --out out/partitions/NAME.P.tsv --json` "
            "for every graph and P in 2, 8, 64.", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
