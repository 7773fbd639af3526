#!/usr/bin/env python3
"""Renders `vane-mpi replay --json` lines (make results-replay) as docs/results/replay.md. Only formats:
the metrics, the paired differences against the 1-rank run and the per-rank measurements come from Swift."""
import datetime
import json
import os
import platform
import sys


def summary(s, digits=4):
    return f"{s['mean']:+.{digits}f} ± {s['standardDeviation']:.{digits}f}"


def main():
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    out = ["# Sharded replay: delayed feedback over the ranks of an MPI job", "",
           f"Rendered by `python3 scripts/replay-results.py` from `mpirun -np N vane-mpi replay --json` on {datetime.date.today()} "
           f"({platform.machine()}, {os.cpu_count()} cores, ranks oversubscribed over shared memory); `make results-replay` reruns it. "
           "Each scenario simulates one log per seed (300,000 clicks over 30 days, seeds 1, 2, 3) and replays all nine methods with "
           "`vane conversions evaluate`'s protocol. N ranks: every rank keeps the clicks whose row hashes to it, the replay's "
           "clock is the job's, each step's metrics are computed over every rank's scored clicks, and every optimiser step sums "
           "the ranks' gradients of one job-wide mini-batch (`StreamReplay` over `MPIReplayContext`). 1 rank is the single "
           "process bit for bit (a test checks it); differences are N ranks minus 1 rank, paired by seed (mean ± sd over seeds). "
           "Seconds are of ranks sharing the machine's cores, not of a cluster (4 ranks oversubscribe 2 cores); collectives include "
           "the time a rank waits for the others. Every rank simulates the whole log to a file, then streams it and builds only its "
           "own clicks' rows (`ClickLog.loadShard` over `TextFileStream`: the ranks agree on each column's type and merge the feature "
           "encoder's statistics), so no rank holds the whole table or file; the replicated models stay per rank.", ""]
    for run in runs:
        if run.get("against_reference") is None:
            continue
        out += [f"## {run['source']}: {run['ranks']} ranks against {run['reference_ranks']}", "",
                f"Replay {sum(run['replay_seconds']):.1f} s over the 3 seeds ({run['seconds']:.1f} s with simulating each log, which "
                f"every rank does whole, and reading its shard); per rank: {', '.join(f'{s:.1f}' for s in run['communication_seconds'])} s in collectives; "
                f"{', '.join(f'{b / 1e6:.1f}' for b in run['bytes_sent'])} MB sent; peak resident "
                f"{', '.join(f'{m:.0f}' for m in run['peak_resident_mb'])} MB; {run['optimiser_steps']:,} optimiser steps "
                f"(all models, 3 seeds).", "",
                "| method | AUC | NLL | AUC minus 1 rank | NLL minus 1 rank |", "|---|---|---|---|---|"]
        for m in run["methods"]:
            d = run["against_reference"][m["method"]]
            out.append(f"| {m['method']} | {m['auc']['mean']:.4f} ± {m['auc']['standardDeviation']:.4f} | "
                       f"{m['nll']['mean']:.4f} ± {m['nll']['standardDeviation']:.4f} | {summary(d['auc'], 5)} | {summary(d['nll'], 5)} |")
        out.append("")
    singles = [r for r in runs if r.get("against_reference") is None]
    if singles:
        out += ["## 1 rank (the single process)", "", "| log | replay seconds (3 seeds) | with simulating and reading | peak resident MB |",
                "|---|---|---|---|"]
        out += [f"| {r['source']} | {sum(r['replay_seconds']):.1f} | {r['seconds']:.1f} | {r['peak_resident_mb'][0]:.0f} |" for r in singles]
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
