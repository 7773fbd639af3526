#!/usr/bin/env python3
"""Produces docs/results/conversions.md: delayed-feedback methods replayed on simulated logs, 3 seeds.

Run from the repository root:  python3 scripts/conversions-results.py [--clicks 1000000]
Every measured number comes from `vane conversions simulate` and `vane conversions evaluate --json`
run here; the published Criteo numbers are quoted from the papers for orientation only.
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
VANE = os.path.join(ROOT, ".build", "release", "vane")
METHODS = ["vanilla", "oracle", "fnw", "fnc", "fsiw", "esdfm", "defer", "defuse", "engagement"]
SHORT_WINDOW = "0.25"
# Conversions counted twice, as the duplicating streams (FNW, ES-DFM, DEFER) roughly do.
POSITIVE_WEIGHT = "2"
# Longer delays: most conversions in the log-normal tail, with a median of four days.
SLOW_DELAYS = ["--fast-share", "0.1", "--slow-median-hours", "96"]


def vane(*args):
    return subprocess.run([VANE, *args], check=True, capture_output=True, text=True).stdout


def evaluate(path, seed, window, *options):
    """One `vane conversions evaluate --json` replay of a log, parsed."""
    return json.loads(vane("conversions", "evaluate", "--events", path, "--window", window, "--seed", str(seed), *options, "--json"))


def fmt(values, digits=4):
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def above_oracle_tests(runs, twice_runs, weighted_runs, fresh_runs):
    """Tests of three explanations for streams ranking above the oracle, each an oracle replay changed in one way."""
    mean = lambda group, method, key: statistics.mean(run["methods"][method][key] for run in group)
    above = [m for m in METHODS if m != "oracle" and mean(runs, m, "auc") > mean(runs, "oracle", "auc")]
    if not above:
        return []
    best = max(above, key=lambda m: mean(runs, m, "auc"))
    # The best stream's lead over the oracle, paired by seed: what each explanation has to close.
    lead = [r["methods"][best]["auc"] - r["methods"]["oracle"]["auc"] for r in runs]
    lines, explained = [], False
    for label, flag, group, change in (
            ("more updates", "--passes-per-step 2", twice_runs, "each step's samples twice"),
            ("class re-weighting", f"--positive-weight {POSITIVE_WEIGHT}", weighted_runs, f"every positive sample weighted {POSITIVE_WEIGHT}x"),
            ("fresher samples", "--window 0", fresh_runs, "each click trained on in its own hour, with its eventual label")):
        changed = mean(group, "oracle", "auc")
        paired = [t["methods"]["oracle"]["auc"] - r["methods"][best]["auc"] for r, t in zip(runs, group)]
        lift = [t["methods"]["oracle"]["auc"] - r["methods"]["oracle"]["auc"] for r, t in zip(runs, group)]
        share = statistics.mean(lift) / statistics.mean(lead)
        closes = all(p >= 0 for p in paired)
        explained = explained or closes or share >= 0.5
        verdict = ("supports it: changed this way the oracle ranks at least as well" if closes else
                   f"supports it in large part: it closes {share:.0%} of the gap" if share >= 0.5 else
                   f"explains little of it: it closes {share:.0%} of the gap" if all(x > 0 for x in lift) else
                   "does not support it: the oracle's AUC does not rise" if all(x <= 0 for x in lift) else
                   "is inconclusive: the change moves the oracle's AUC both ways across seeds")
        lines.append(f"- Test of ({label}): the oracle replayed with `{flag}` ({change}) reaches AUC {changed:.4f} (in the table: "
                     f"{mean(runs, 'oracle', 'auc'):.4f}; paired change {fmt(lift)}) against {best}'s {mean(runs, best, 'auc'):.4f}, "
                     f"paired difference {fmt(paired)}. This {verdict}. Its NLL: {mean(group, 'oracle', 'nll'):.4f} "
                     f"(in the table: {mean(runs, 'oracle', 'nll'):.4f}).")
    if not explained:
        lines.append(f"- None of the three accounts for most of {best}'s lead over the oracle ({fmt(lead)} AUC, paired), so its cause is open here. "
                     "A candidate not tested: in every stream above the oracle a late conversion enters first as a negative and "
                     "later as a positive, which acts on the model like a softened label. The lead is small beside the seed-to-seed spread of AUC itself, and the "
                     "order on NLL is the one the papers predict.")
    return lines


def findings(runs, tested_where="below"):
    """Statements read off the measured means, so the text cannot drift from the table."""
    mean = lambda method, key: sum(run["methods"][method][key] for run in runs) / len(runs)
    peers = [m for m in METHODS if m not in ("vanilla", "oracle", "engagement")]
    lines = []
    for key, label, better in (("nll", "NLL", min), ("auc", "AUC", max), ("pr_auc", "PR-AUC", max)):
        best_peer = better(peers, key=lambda m: mean(m, key))
        # Paired by seed: both methods replay the same log, so compare them log by log.
        sign = -1 if key == "nll" else 1
        gains = [sign * (run["methods"]["engagement"][key] - run["methods"][best_peer][key]) for run in runs]
        verdict = "beats" if all(g > 0 for g in gains) else "loses to" if all(g < 0 for g in gains) else "ties with"
        lines.append(f"- {label}: the engagement-aware method {verdict} the best peer, {best_peer}, on every seed "
                     if verdict != "ties with" else f"- {label}: the engagement-aware method ties with the best peer, {best_peer} "
                     f"(wins on {sum(g > 0 for g in gains)} of {len(gains)} seeds) ")
        lines[-1] += f"(mean {mean('engagement', key):.4f} vs {mean(best_peer, key):.4f}; paired gain {statistics.mean(gains):+.4f}" + \
            (f" ± {statistics.stdev(gains):.4f})." if len(gains) > 1 else ").")
    above = [m for m in METHODS if m != "oracle" and mean(m, "auc") > mean("oracle", "auc")]
    if above:
        lines.append(f"- Above the oracle on AUC: {', '.join(above)}. The oracle is not an upper bound on ranking in a single pass: "
                     "it sees each click once, an hour late, while the streams that ingest a click at once (FNW, FNC) or twice "
                     "(ES-DFM, DEFER, DEFUSE's late copies) take more and fresher Adam steps per hour, and count a conversion more than once. "
                     f"Three explanations, each tested {tested_where} by changing the oracle in one way: (more updates) ranking gains from the extra "
                     "optimiser steps; (class re-weighting) counting conversions twice tilts a model that cannot fit the truth exactly "
                     "towards separating them, at a cost in calibration; (fresher samples) FNW learns from a click in the hour it happens, "
                     "the oracle an hour later. NLL is the metric on which the importance weights are unbiased "
                     "by construction, and there the order is the one the papers predict.")
    return lines


def headroom(groups):
    """Why the engagement-aware method cannot pull ahead: the NLL left between the best peer and the oracle."""
    lines = ["| setting | oracle NLL | best peer (NLL) | best peer - oracle | engagement - best peer (paired) | engagement RI-NLL |",
             "|---|---|---|---|---|---|"]
    peers = [m for m in METHODS if m not in ("vanilla", "oracle", "engagement")]
    for label, group in groups:
        mean = lambda method: statistics.mean(run["methods"][method]["nll"] for run in group)
        best = min(peers, key=mean)
        paired = [run["methods"]["engagement"]["nll"] - run["methods"][best]["nll"] for run in group]
        lines.append(f"| {label} | {mean('oracle'):.4f} | {best} ({mean(best):.4f}) | {mean(best) - mean('oracle'):+.4f} | "
                     f"{fmt(paired)} | {fmt([run['methods']['engagement']['ri_nll'] for run in group], 3)} |")
    return lines


def headroom_reading(groups):
    """Sentences read off the headroom table, so the text cannot drift from it."""
    peers = [m for m in METHODS if m not in ("vanilla", "oracle", "engagement")]
    parts, opened = [], []
    for label, group in groups:
        mean = lambda method: statistics.mean(run["methods"][method]["nll"] for run in group)
        best = min(peers, key=mean)
        gap = mean(best) - mean("oracle")
        paired = [run["methods"]["engagement"]["nll"] - run["methods"][best]["nll"] for run in group]
        parts.append(f"{label}: the best peer ({best}) is {gap:+.4f} from the oracle's NLL")
        if gap > 0.001:
            verdict = ("and the engagement-aware method beats it on every seed" if all(p < 0 for p in paired) else
                       "and the engagement-aware method loses to it on every seed" if all(p > 0 for p in paired) else
                       "and the engagement-aware method ties with it")
            opened.append(f"{label} leaves {gap:.4f} of headroom, {verdict} (paired NLL difference {statistics.mean(paired):+.4f})")
    text = "Reading: " + "; ".join(parts) + ". "
    text += ("Where the gap is at or below about 0.001 the best peer already matches the oracle, so no method can win on NLL "
             "by more than noise. ")
    if opened:
        text += "Where there is room: " + "; ".join(opened) + "."
    else:
        text += "No setting here leaves room, so the engagement signal cannot show in NLL."
    return text


def table(runs):
    lines = ["| method | AUC | PR-AUC | NLL | RI-AUC | RI-PR-AUC | RI-NLL |", "|---|---|---|---|---|---|---|"]
    for method in METHODS:
        rows = [run["methods"][method] for run in runs]
        lines.append(f"| {method} | " + " | ".join(fmt([r[k] for r in rows], 4 if k in ("auc", "pr_auc", "nll") else 3)
                                                    for k in ("auc", "pr_auc", "nll", "ri_auc", "ri_pr_auc", "ri_nll")) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--window", default="1")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "vane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    runs, mlp_runs, short_runs, slow_runs, twice_runs, weighted_runs, fresh_runs, timings = [], [], [], [], [], [], [], []
    for seed in range(1, args.seeds + 1):
        path = os.path.join(ROOT, "out", f"simulated-{args.clicks}-{seed}.csv")
        started = time.time()
        vane("conversions", "simulate", "--out", path, "--clicks", str(args.clicks), "--days", str(args.days), "--seed", str(seed))
        simulate_seconds = time.time() - started
        started = time.time()
        runs.append(evaluate(path, seed, args.window))
        replay_seconds = time.time() - started
        started = time.time()
        mlp_runs.append(evaluate(path, seed, args.window, "--model", "mlp"))
        timings.append((simulate_seconds, replay_seconds, time.time() - started))
        short_runs.append(evaluate(path, seed, SHORT_WINDOW))
        twice_runs.append(evaluate(path, seed, args.window, "--methods", "vanilla,oracle", "--passes-per-step", "2"))
        weighted_runs.append(evaluate(path, seed, args.window, "--methods", "vanilla,oracle", "--positive-weight", POSITIVE_WEIGHT))
        fresh_runs.append(evaluate(path, seed, "0", "--methods", "vanilla,oracle"))
        slow_path = os.path.join(ROOT, "out", f"simulated-slow-{args.clicks}-{seed}.csv")
        vane("conversions", "simulate", "--out", slow_path, "--clicks", str(args.clicks), "--days", str(args.days), "--seed", str(seed), *SLOW_DELAYS)
        slow_runs.append(evaluate(slow_path, seed, args.window))
        print(f"seed {seed}: done", flush=True)
    first = runs[0]
    groups = [(f"{args.window} h window", runs), (f"{SHORT_WINDOW} h window", short_runs),
              (f"{args.window} h window, slow delays", slow_runs)]
    doc = ["# Delayed feedback: results", "",
           f"Produced by `python3 scripts/conversions-results.py` on {datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores).", "",
           f"Data: `vane conversions simulate --clicks {args.clicks} --days {args.days} --seed S` for S = 1..{args.seeds} (the generative "
           "story is on `ConversionSimulator`: ~23% of clicks convert, 45% of conversions within about an hour, a log-normal tail over "
           "two weeks, cart adds and views that predict conversion). Protocol: `vane conversions evaluate --events FILE "
           f"--window {args.window} --seed S --json` (and `--model mlp`): a model over hashed features, pretrained on the first quarter of "
           "the time span, then hourly steps; each step's clicks are scored before training, against their true eventual labels; "
           f"metrics are size-weighted over {first['steps']} steps; RI-X = (X - vanilla) / (oracle - vanilla). Mean ± sd over seeds.", "",
           "## Logistic regression", ""] + table(runs) + [
            "", f"Time: simulating {args.clicks:,} clicks took {fmt([t[0] for t in timings], 1)} s; the replay of all {len(METHODS)} methods "
            f"{fmt([t[1] for t in timings], 1)} s (loading the CSV included) on this machine.", "",
            "### Reading the table", ""] + findings(runs) + above_oracle_tests(runs, twice_runs, weighted_runs, fresh_runs) + [
            "", "### Where the engagement-aware method could pull ahead: headroom", "",
            "The question is how much NLL is left between the best importance-weighted peer and the oracle. A shorter waiting "
            "window, or longer delays, leave more conversions unobserved at training time, which should open more room for a "
            f"method that reads engagement. The same logs replayed with `--window {SHORT_WINDOW}`, and logs simulated with "
            f"`{' '.join(SLOW_DELAYS)}` (90% of conversions in a log-normal tail with a median of four days) replayed with "
            f"`--window {args.window}` (logistic regression, same seeds):", ""] + headroom(groups) + ["", headroom_reading(groups)] + [
            "", "## Small MLP", "",
            "The same replays with `--model mlp`: an embedding bag of the hashed features (32 units, lazy sparse Adam on the rows a "
            "batch touches), a dense ReLU layer of 16, a logit; the same stream rules and per-example weights.", ""] + table(mlp_runs) + [
            "", f"Time: the replay of all {len(METHODS)} methods with the MLP took {fmt([t[2] for t in timings], 1)} s per log.", "",
            "### Reading the table", ""] + findings(mlp_runs, tested_where="on the logistic model above") + [
            "",
            "## Published numbers on Criteo (for orientation, not measured here)", "",
            "| source | Vanilla AUC | ES-DFM AUC | Oracle AUC | other |", "|---|---|---|---|---|",
            "| ES-DFM paper (Yang et al., AAAI 2021), Table 1 | 0.8376 | 0.8402 | 0.8450 | |",
            "| DEFUSE paper (Chen et al., WWW 2022), Criteo-30d | | | | DEFUSE RI-AUC 52.3% |", "",
            ""]
    path = os.path.join(ROOT, "docs", "results", "conversions.md")
    with open(path, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
