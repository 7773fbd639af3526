#!/usr/bin/env python3
"""Renders docs/results/conversions.md from `vane conversions evaluate --scenario S --seeds ... --json`.

Every number comes from the Swift command (means, standard deviations, paired differences against the
best peer and the seeds won included); this script only turns the JSON into markdown.
`make results-conversions` runs the commands into out/conversions/ and then this script:
    python3 scripts/conversions-results.py [--input out/conversions]
"""
import argparse
import datetime
import json
import os
import platform

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ["default", "slow", "weak-engagement", "drift", "heterogeneous"]


def cell(summary, digits=4):
    if len(summary["values"]) == 1:
        return f"{summary['mean']:.{digits}f}"
    return f"{summary['mean']:.{digits}f} ± {summary['standardDeviation']:.{digits}f}"


def versus(comparison, digits=4):
    if not comparison:
        return "-"
    return f"{cell(comparison['difference'], digits)} vs {comparison['peer']} ({comparison['seedsBetter']}/{len(comparison['difference']['values'])})"


def load(folder, name):
    path = os.path.join(folder, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None


def method(result, name):
    return next((m for m in result["methods"] if m["method"] == name), None)


def section(folder, scenario, commands):
    result = load(folder, scenario)
    if not result:
        return []
    seeds = len(result["seeds"])
    lines = [f"## {scenario}", "", f"`{commands.get(scenario, '')}`", ""]
    facts = result["mean_facts"]
    mean = lambda key: facts[key]
    lines += [f"The logs ({seeds} seeds, {result['rows'][0]:,} clicks each): {100 * mean('conversionRate'):.1f}% convert within 14 days; "
              f"delay median {60 * mean('medianDelayHours'):.0f} min, p90 {mean('p90DelayHours'):.1f} h; "
              f"{100 * mean('lateShare'):.0f}% of conversions arrive after the {result['window']:g} h window; "
              f"cart adds by {100 * mean('cartRateOfBuyers'):.1f}% of buyers and {100 * mean('cartRateOfOthers'):.1f}% of others; "
              f"{mean('eventsPerClick'):.2f} engagement events per click. Replay: {result['mean_seconds']:.0f} s a seed for all methods. "
              f"Late-copy weight c by seed: {', '.join(f'{c:.3f}' for c in result.get('late_copy_weights', []))}.", ""]
    lines += ["| method | AUC | PR-AUC | NLL | RI-AUC | RI-NLL | AUC - best peer (seeds better) | NLL - best peer (seeds better) |",
              "|---|---|---|---|---|---|---|---|"]
    for m in result["methods"]:
        lines.append(f"| {m['method']} | {cell(m['auc'])} | {cell(m['prAUC'])} | {cell(m['nll'])} | {cell(m['riAUC'], 3)} | {cell(m['riNLL'], 3)} "
                     f"| {versus(m.get('aucAgainstBestPeer'))} | {versus(m.get('nllAgainstBestPeer'))} |")
    lines.append("")
    rows = []
    for level in ["none", "engagement", "outcomes"]:
        other = load(folder, f"{scenario}-{level}")
        if other and method(other, "engagement"):
            rows.append((level, method(other, "engagement")))
    if rows:
        base = method(result, "engagement")
        lines += ["Engagement method by revision level (`--engagement-revisions`; `late-copies` is the default, in the table above):", "",
                  "| revisions | AUC | NLL | per-seed NLL minus the default's | per-seed AUC minus the default's |", "|---|---|---|---|---|",
                  f"| late-copies (default) | {cell(base['auc'])} | {cell(base['nll'])} | - | - |"]
        for level, m in rows:
            diffs = ", ".join(f"{a - b:+.4f}" for a, b in zip(m["nll"]["values"], base["nll"]["values"]))
            auc_diffs = ", ".join(f"{a - b:+.4f}" for a, b in zip(m["auc"]["values"], base["auc"]["values"]))
            lines.append(f"| {level} | {cell(m['auc'])} | {cell(m['nll'])} | {diffs} | {auc_diffs} |")
        lines.append("")
    criteo = load(folder, f"{scenario}-criteo")
    if criteo:
        lines += [f"The same scenario's logs in Criteo format, without engagement (`{commands.get(scenario + '-criteo', '')}`): "
                  "every method sees the same clicks and conversions; the engagement method's flip model has only the features and the "
                  "time waited.", "",
                  "| method | AUC | NLL | AUC - best peer (seeds better) | NLL - best peer (seeds better) |", "|---|---|---|---|---|"]
        for m in criteo["methods"]:
            lines.append(f"| {m['method']} | {cell(m['auc'])} | {cell(m['nll'])} | {versus(m.get('aucAgainstBestPeer'))} | {versus(m.get('nllAgainstBestPeer'))} |")
        lines.append("")
    frozen = load(folder, f"{scenario}-refresh0")
    if frozen:
        lines += ["Auxiliary models fitted once (`--refresh-hours 0`) against refreshed every 24 h (the default, above), NLL:", "",
                  "| method | refreshed daily | fitted once | per-seed difference (once - daily) |", "|---|---|---|---|"]
        for m in frozen["methods"]:
            daily = method(result, m["method"])
            if not daily or m["method"] in ("vanilla", "oracle"):
                continue
            diffs = ", ".join(f"{a - b:+.4f}" for a, b in zip(m["nll"]["values"], daily["nll"]["values"]))
            lines.append(f"| {m['method']} | {cell(daily['nll'])} | {cell(m['nll'])} | {diffs} |")
        lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=os.path.join(ROOT, "out", "conversions"))
    parser.add_argument("--output", default=os.path.join(ROOT, "docs", "results", "conversions.md"))
    args = parser.parse_args()
    commands = {}
    commands_path = os.path.join(args.input, "commands.txt")
    if os.path.exists(commands_path):
        for line in open(commands_path):
            name, command = line.rstrip("\n").split("\t", 1)
            commands[name] = command
    intro = open(os.path.join(ROOT, "docs", "results", "conversions-intro.md")).read().rstrip() + "\n"
    lines = [intro.replace("{date}", datetime.date.today().isoformat()).replace("{machine}", f"{platform.machine()}, {os.cpu_count()} cores"), ""]
    for scenario in SCENARIOS:
        lines += section(args.input, scenario, commands)
    open(args.output, "w").write("\n".join(lines).rstrip() + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
