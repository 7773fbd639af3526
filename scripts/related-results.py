#!/usr/bin/env python3
"""Produces docs/results/related.md: the SPEC.md section 1 protocol for every method on the real graphs.

Run from the repository root:
    python3 scripts/related-results.py            # Cora-ML and CiteSeer (3 seeds) + Debian (1 seed)
    python3 scripts/related-results.py --no-debian
Everything in the document comes from `vane graph evaluate --json`, `vane graph train` and
`vane graph recommend` run by this script; nothing is typed by hand.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")
VANE = os.path.join(ROOT, ".build", "release", "vane")
METHODS = ["popularity", "symmetric", "uniform", "blade", "vane"]
BUCKETS = ["1", "2-4", "5-16", "17+"]
DEBIAN_SETTINGS = ["--epochs", "10", "--patience", "2"]
PACKAGES = ["python3", "gimp", "nginx", "postgresql-15", "libreoffice-writer", "vim"]


def vane(*args):
    return subprocess.run([VANE, *args], check=True, capture_output=True, text=True, cwd=ROOT).stdout


def evaluate(dataset, seed, extra=()):
    started = time.time()
    result = json.loads(vane("graph", "evaluate", "--edges", os.path.join(DATA, dataset), "--seed", str(seed), "--json", *extra))
    result["wall_seconds"] = time.time() - started
    return result


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def method_table(runs):
    lines = ["| method | hit@5 | hit@10 | hit@20 | MRR | direction AUC | train s |", "|---|---|---|---|---|---|---|"]
    for method in METHODS:
        rows = [run["methods"][method] for run in runs if method in run["methods"]]
        if not rows:
            continue
        cells = [spread([r[key] for r in rows]) for key in ("hit@5", "hit@10", "hit@20", "mrr", "direction_auc")]
        lines.append(f"| {method} | " + " | ".join(cells) + f" | {statistics.mean(r['train_seconds'] for r in rows):.1f} |")
    return lines


def bucket_table(runs, key):
    counts = {b: runs[0]["methods"]["popularity"]["by_degree"].get(b, {}).get("queries", 0) for b in BUCKETS}
    header = "| method | " + " | ".join(f"degree {b} ({counts[b]} queries)" for b in BUCKETS) + " |"
    lines = [header, "|---|" + "---|" * len(BUCKETS)]
    for method in METHODS:
        rows = [run["methods"][method] for run in runs if method in run["methods"]]
        if rows:
            cells = [spread([r["by_degree"][b][key] for r in rows if b in r["by_degree"]]) for b in BUCKETS]
            lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--no-debian", action="store_true")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results", "related.md"))
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "vane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    doc = ["# Related items on directed graphs: results", "",
           f"Produced by `python3 scripts/related-results.py` on {datetime.date.today()} ({platform.machine()}, "
           f"{os.cpu_count()} cores). Protocol (SPEC.md section 1, `vane graph evaluate --help`): seeded 85/5/10 edge split "
           "keeping every node connected where possible; each test edge u -> v ranks v among all items except u and its "
           "other known targets, ties at half rank; direction AUC compares score(u->v) with score(v->u) on one-way test "
           "edges; degree buckets use the source's total degree in the training graph. Default settings: dimension 64, "
           "2 layers, 4 uniform negatives per edge, reverse-edge weight 0.5, Adam lr 0.01, early stopping on validation "
           "MRR (patience 4, at most 30 epochs). Mean ± standard deviation over seeds.", "",
           "Methods: **popularity** (in-degree); **symmetric** (single-embedding GraphSAGE on the undirected graph, uniform "
           "fan-out 10); **uniform** (dual source/target embeddings, uniform fan-out 10); **blade** (dual embeddings, "
           "degree-biased sampling with 2-hop fill, budget exponent fitted from the degree power law); **vane** (half the "
           "dimensions symmetric, half dual, score h_u.h_v + s_u.t_v, degree-biased sampling).", ""]
    for dataset in ["cora-ml.edges.tsv", "citeseer.edges.tsv"]:
        runs = [evaluate(dataset, seed) for seed in range(1, args.seeds + 1)]
        first = runs[0]
        doc += [f"## {dataset}", "", f"{first['nodes']} nodes, {first['edges']} edges, {first['test_edges']} test edges per seed; "
                f"seeds 1..{args.seeds}; commands: `vane graph evaluate --edges ../shared/data/{dataset} --seed S --json`.", ""]
        doc += method_table(runs) + ["", "MRR by source degree:", ""] + bucket_table(runs, "mrr")
        doc += ["", "HitRate@10 by source degree:", ""] + bucket_table(runs, "hit@10") + [""]
        print(f"{dataset}: done", flush=True)
    if not args.no_debian:
        dataset = "debian-packages.edges.tsv.gz"
        run = evaluate(dataset, 1, DEBIAN_SETTINGS)
        doc += [f"## {dataset}", "", f"{run['nodes']} nodes, {run['edges']} edges, {run['test_edges']} test edges; seed 1; "
                f"`vane graph evaluate --edges ../shared/data/{dataset} --seed 1 {' '.join(DEBIAN_SETTINGS)} --json` "
                f"(at most 10 epochs, patience 2, so that all five methods train and evaluate in one run); "
                f"wall time of the whole run {run['wall_seconds'] / 60:.1f} minutes on this machine.", ""]
        doc += method_table([run]) + ["", "MRR by source degree:", ""] + bucket_table([run], "mrr")
        doc += ["", "HitRate@10 by source degree:", ""] + bucket_table([run], "hit@10") + [""]
        model_dir = os.path.join(ROOT, "out", "debian-related")
        started = time.time()
        vane("graph", "train", "--edges", os.path.join(DATA, dataset), "--out", model_dir, *DEBIAN_SETTINGS)
        doc += ["### Recommendations from the Debian model", "",
                f"`vane graph train --edges ../shared/data/{dataset} --out out/debian-related {' '.join(DEBIAN_SETTINGS)}` "
                f"({(time.time() - started) / 60:.1f} minutes), then `vane graph recommend --model out/debian-related --item NAME -k 8` "
                "(known dependencies of the item are left out, so these are new suggestions):", ""]
        for package in PACKAGES:
            try:
                result = json.loads(vane("graph", "recommend", "--model", model_dir, "--item", package, "-k", "8", "--json"))
            except subprocess.CalledProcessError as error:
                doc += [f"- `{package}`: {error.stderr.strip()}"]
                continue
            doc += [f"- `{package}` -> " + ", ".join(f"`{r['item']}`" for r in result["results"])]
        doc += [""]
        print(f"{dataset}: done", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
