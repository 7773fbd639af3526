#!/usr/bin/env python3
"""Renders docs/results/decisions.md from `vane thresholds evaluate --seeds ... --json` outputs.

Every number (means, standard deviations, promises kept, gains, verdicts, cells won) comes from the
Swift command (`DecisionSweep`); this script only lays the JSON out as markdown. `make
results-decisions` runs the experiments of docs/results/decisions-experiments.tsv into out/decisions/
(with the sparse-ID table from `vane thresholds simulate` and a click log from `vane conversions
simulate`), then this script:
    python3 scripts/decisions-results.py [--input out/decisions]
"""
import argparse
import datetime
import json
import os
import platform

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICIES = ["single", "ew-dpmt", "mist"]


def cell(summary):
    if not summary:
        return "-"
    return f"{summary['mean']:.3f} ± {summary['standardDeviation']:.3f}"


def signed(summary):
    if not summary:
        return "-"
    return f"{summary['mean']:+.3f} ± {summary['standardDeviation']:.3f}"


def section(name, title, command, result, plot):
    seeds = len(result["seeds"])
    lines = [f"### {title}", "", f"`{command}`: {result['rows']:,} rows, {result['positives']:,} positive, {result['test_rows']:,} test rows; "
             f"estimator {result['estimator']}; seeds {','.join(map(str, result['seeds']))}; mean ± sd over seeds.", ""]
    if plot != "-":
        lines += [f"Plots (seed 1, test split): [positive rate vs uncertainty within score bands](decisions-plots/{name}-premise.svg); "
                  f"[MIST decision map at precision {plot}](decisions-plots/{name}-mist-{plot}.svg).", ""]
    lines += ["| target | policy | test recall | test precision | kept / broken / accepted nothing (of seeds) | honest recall gain vs single (seeds counted) | curve gain vs raw score | keeps where single breaks | verdict |",
              "|---|---|---|---|---|---|---|---|---|"]
    targets = sorted({t for p in result["policies"].values() for t in p}, key=float)
    for target in targets:
        for policy in POLICIES:
            c = result["policies"].get(policy, {}).get(target)
            if not c:
                continue
            two_d = policy != "single"
            honest = c.get("honest_gain_vs_single")
            lines.append(f"| {target} | {policy} | {cell(c['recall'])} | {cell(c['precision'])} | "
                         f"{seeds - c['seeds_violating']} / {c['seeds_violating']} / {c['seeds_accepting_nothing']} | "
                         + (f"{signed(honest)} ({len(honest['values']) if honest else 0}/{seeds}) | {signed(c.get('curve_gain_vs_raw'))} | "
                            f"{c['seeds_keeping_where_single_breaks']}/{seeds} | {c['verdict']} |" if two_d else " | | | |"))
    return lines + [""]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=os.path.join(ROOT, "out", "decisions"))
    arguments = parser.parse_args()
    runs = []
    for line in open(os.path.join(arguments.input, "commands.txt")):
        name, title, command, plot = line.rstrip("\n").split("\t")
        with open(os.path.join(arguments.input, f"{name}.json")) as handle:
            runs.append((name, title, command, plot, json.load(handle)))
    rare = open(os.path.join(arguments.input, "rare-ids.txt")).read().strip()
    summary = ["| setting | cells won | cells lost | cells | best mean curve gain |", "|---|---|---|---|---|"]
    for name, title, _, _, result in runs:
        s = result["summary"]
        best = f"{signed(s['best_curve_gain'])} ({s['best_curve_gain_policy']} at {s['best_curve_gain_target']})" if s.get("best_curve_gain") else "-"
        summary.append(f"| {title} | {s['cells_won']} | {s['cells_lost']} | {s['cells']} | {best} |")
    wins = [f"- {title}, {policy} at {target}: honest gain {signed(c.get('honest_gain_vs_single'))}, curve gain "
            f"{signed(c.get('curve_gain_vs_raw'))}, keeps where single breaks on {c['seeds_keeping_where_single_breaks']}/{len(result['seeds'])} seeds"
            for _, title, _, _, result in runs for policy in POLICIES[1:]
            for target, c in sorted(result["policies"].get(policy, {}).items(), key=lambda kv: float(kv[0])) if c.get("verdict") == "wins"]
    doc = ["# Uncertainty-aware decisions: results", "",
           f"Produced by `make results-decisions` on {datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores): each "
           "setting of `docs/results/decisions-experiments.tsv` runs as one `vane thresholds evaluate --seeds ... --json`, and "
           "`scripts/decisions-results.py` renders the JSON; every number, gain and verdict is computed by the Swift command "
           "(`DecisionSweep`).", "",
           "Protocol (`vane thresholds evaluate --help`): rows split 60/20/20 train/validation/test (seeded random, or by time); "
           "a model is trained on train with an uncertainty estimator: `ensemble` (10 bootstrap logistic regressions; score = mean, "
           "uncertainty = variance), `dropout` (a sparse MLP with Monte Carlo dropout), `laplace` (logistic regression with a "
           "diagonal Laplace posterior: large predictive variance where an example's feature values were rarely seen), `posterior` "
           "(the MLP with a Beta head, posterior network loss) or `auto` (the one whose 2-D policy keeps its target with the most "
           "recall on the later half of validation). Each policy is fitted on validation by Learn then Test (candidates on the "
           "earlier half, tested in sequence on the later half: precision >= target with probability >= 0.9), or with a Wilson "
           "95% lower bound where the title says so: `single` score threshold; `ew-dpmt` (equal-mass uncertainty x score bins, "
           "per-bin thresholds); `mist` (isotonic regression per uncertainty bin, one threshold on the recalibrated score). "
           "The test split reports recall **and the precision achieved**; a policy keeps its promise when its test precision is "
           "not significantly below the target (accepting nothing keeps it, with recall 0).", "",
           "Gains: *honest* = recall difference to the single threshold over the seeds where both kept their promise; *curve* = "
           "recall at the target on the test PR curve of the recalibrated score minus that of the raw score. Verdict "
           "(`DecisionSweep.Gain.verdict`): *wins* when the curve gain exceeds 0.01 on every seed, or the honest gain exceeds 0.01 "
           "on every seed with every seed counted, or the 2-D policy keeps a promise the single threshold breaks on 2+ seeds; "
           "*loses* when the curve gain is below -0.01 on every seed.", "",
           "## Data", "", "- `adult.csv.gz`: 48,842 rows, 24% positive (`income` = `>50K`); seeds change the split.",
           f"- sparse IDs: `vane thresholds simulate --rows 60000 --items 20000 --seed 7` ({rare}; the story is on "
           "`SparseIDTableSimulator`: Zipf(1.1) item popularity, per-item log-odds, two context features); seeds change the split.",
           "- simulated clicks: `vane conversions simulate --clicks 200000 --days 60 --seed 1` (one log; a time split, so seeds "
           "change training randomness and the negative downsampling, not the windows). Label = has a conversion time; engagement "
           "columns are ignored (not known when the decision is made). Criteo Conversion Logs are not in `../shared/data`; with "
           "them the same rows run as `vane thresholds evaluate --format criteo --data data.txt --label conversion_time --positive "
           "'*' --split time:click_time --downsample-negatives 0.1 --seeds 1,2,3 --json`.", "",
           "## Where per-uncertainty thresholds beat a single threshold", ""]
    doc += summary + ["", "The winning cells:", ""] + (wins or ["- none"]) + ["", "## Results", ""]
    for name, title, command, plot, result in runs:
        doc += section(name, title, command.replace(ROOT + "/", ""), result, plot)
    path = os.path.join(ROOT, "docs", "results", "decisions.md")
    with open(path, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
