#!/usr/bin/env python3
"""Renders docs/results/risk-control.md from `vane thresholds evaluate --seeds ... --json` outputs.

Every number (means, standard deviations, promises kept, gains) comes from the Swift command; this
script only lays the JSON out as markdown. `make results-risk-control` runs the commands into
out/risk/ and then this script:
    python3 scripts/risk-control-results.py [--input out/risk]
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


def gain(summary, seeds):
    if not summary:
        return "none (a promise broken)"
    return f"{summary['mean']:+.3f} ± {summary['standardDeviation']:.3f} ({len(summary['values'])}/{seeds})"


def table(result):
    seeds = len(result["seeds"])
    lines = ["| target | policy | test recall | test precision | kept / broken / accepted nothing / drift flagged (of seeds) | honest recall gain vs single (seeds counted) | curve gain vs raw score |",
             "|---|---|---|---|---|---|---|"]
    targets = sorted({t for p in result["policies"].values() for t in p}, key=float)
    for target in targets:
        for name in POLICIES:
            c = result["policies"].get(name, {}).get(target)
            if not c:
                continue
            lines.append(f"| {target} | {name} | {cell(c['recall'])} | {cell(c['precision'])} | "
                         f"{seeds - c['seeds_violating']} / {c['seeds_violating']} / {c['seeds_accepting_nothing']} / {c['seeds_drifted']} | "
                         f"{gain(c.get('honest_gain_vs_single'), seeds) if name != 'single' else ''} | "
                         f"{cell(c.get('curve_gain_vs_raw')) if name != 'single' else ''} |")
    return lines


def broken(result, names):
    total = sum(len(result["seeds"]) for name in names for _ in result["policies"].get(name, {}))
    count = sum(c["seeds_violating"] for name in names for c in result["policies"].get(name, {}).values())
    return count, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=os.path.join(ROOT, "out", "risk"))
    arguments = parser.parse_args()
    runs = []
    for line in open(os.path.join(arguments.input, "commands.txt")):
        name, label, command = line.rstrip("\n").split("\t")
        with open(os.path.join(arguments.input, name + ".json")) as handle:
            runs.append((name, label, command, json.load(handle)))
    doc = ["# Risk-controlled decisions: results", "",
           f"Rendered by `python3 scripts/risk-control-results.py` from `vane thresholds evaluate --seeds ... --json` on "
           f"{datetime.date.today().isoformat()} ({platform.machine()}, {os.cpu_count()} cores); `make results-risk-control` reruns it.", "",
           "Protocol (`vane thresholds evaluate --help`): train / validation / test 60/20/20, by time on the click logs (test = the "
           "latest 20% of clicks, a later window than anything fitted on) and at random on Adult. Policies are fitted on validation "
           "to maximise recall at precision >= target. `none`: on all validation rows with the point estimate (the previous default). "
           "`ltt`: Learn then Test (Angelopoulos et al. 2021): candidate policies are learned on the earlier half of the validation "
           "rows and tested on the latest half with exact binomial p-values in the order of their p-values on the earlier half "
           "(strongest evidence first), stopping at the first that cannot be shown at level delta = 0.1; of those shown, the one "
           "with most true positives is kept; on exchangeable data the returned policy's precision is >= target with "
           "probability >= 0.9. A seed changes the negative downsampling and the model's randomness (and the split on Adult). "
           "A policy *keeps its promise* on test when it accepts nothing or reaches precision >= target - 0.01; the honest recall "
           "gain of a 2-D policy over the single threshold counts only seeds where both kept it; the curve gain reads recall at the "
           "target off the test precision-recall curve (threshold chosen on test: ranking quality only). The drift check flags a "
           "test window whose precision is below the target beyond chance: P(Bin(accepted, target) <= true positives) below "
           "delta (0.05 without Learn then Test).", "",
           "## Promises kept on the test window", "",
           "| data | fitting | 2-D policy cells broken (of seed x target cells) | single-threshold cells broken |",
           "|---|---|---|---|"]
    for name, label, command, result in runs:
        two_d, two_d_total = broken(result, ["ew-dpmt", "mist"])
        single, single_total = broken(result, ["single"])
        fitting = f"ltt, delta {result['risk_control_delta']}" if result.get("risk_control_delta") else "none"
        doc.append(f"| {label} | {fitting} | {two_d} of {two_d_total} | {single} of {single_total} |")
    doc.append("")
    for name, label, command, result in runs:
        fitting = f"Learn then Test, delta {result['risk_control_delta']}" if result.get("risk_control_delta") else "fitted on all validation rows (point estimate)"
        doc += [f"## {label}: {fitting}", "",
                f"{result['rows']} rows, {result['positives']} positives, {result['test_rows']} test rows; estimator {result['estimator']}; "
                f"seeds {','.join(str(s) for s in result['seeds'])}; command: `{command}`.", ""]
        doc += table(result) + [""]
    path = os.path.join(ROOT, "docs", "results", "risk-control.md")
    with open(path, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
