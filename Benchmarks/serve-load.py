#!/usr/bin/env python3
"""Load test of `vane serve`: /v1/related on the Debian-graph model against the server's own floor.

Starts `vane serve` on loopback with a related-items model trained on the Debian package graph
(trained first if out/models/debian-related is missing, its top-targets index built if absent),
drives it with wrk (Debian package `wrk`) for a bounded time, and writes docs/results/serving.md:
throughput and p50/p99 latency of GET /v1/related/{item}?k=10 (item names rotated over 1,000
packages) answered from the index, by batched exact scans and by one scan per request, and of
POST /v1/decide (the quick demo's conversion model and policy), beside GET /ping, a constant body
through the same router and middleware, as ratios. Medians over --runs runs of --seconds each.

Run from the repository root:  python3 Benchmarks/serve-load.py [--seconds 10] [--runs 3]
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VANE = os.path.join(ROOT, ".build", "release", "vane")
EDGES = os.path.join(ROOT, "..", "shared", "data", "debian-packages.edges.tsv.gz")
MODEL = os.path.join(ROOT, "out", "models", "debian-related")
DATA = os.path.join(ROOT, "..", "shared", "data")


def decide_row(conversion, items, rng):
    """One /v1/decide row: numeric features drawn around their training mean, categorical ones an item name."""
    features = {}
    numeric = conversion["encoder"].get("numericStatistics", {})
    for name in conversion["encoder"]["featureColumns"]:
        if name in numeric:
            features[name] = numeric[name]["mean"] + numeric[name]["deviation"] * rng.gauss(0, 1)
        else:
            features[name] = rng.choice(items)
    return {"features": features}


def wait_until_up(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server did not answer {url} within {seconds} s")


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]


def run_wrk(url, seconds, threads, connections, script):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        sys.exit(f"{url}: {non2xx.group(1)} error responses under load\n{output}")
    return rps, p50, p99


def wrk_script(lines):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("\n".join(lines) + "\n")
    script.close()
    return script.name


def serve(arguments, port):
    server = subprocess.Popen([VANE, "serve", *arguments, "--port", str(port), "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/healthz")
    return server


def metric(port, name):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    match = re.search("^" + re.escape(name) + r" (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--decide-rows", type=int, default=20, help="rows per /v1/decide request")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "vane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(MODEL, "model.json")):
        print("training the Debian-graph model (once)...", flush=True)
        subprocess.run([VANE, "graph", "train", "--edges", EDGES, "--out", MODEL, "--epochs", "10", "--patience", "2", "--seed", "1"],
                       check=True)
    index_seconds = None
    if not os.path.exists(os.path.join(MODEL, "top-targets.bin")):
        started = time.time()
        subprocess.run([VANE, "graph", "index", "--model", MODEL], check=True)
        index_seconds = time.time() - started
    # The same model without its index: every request takes the exact path.
    scan_model = os.path.join(ROOT, "out", "models", "debian-related-scan")
    shutil.rmtree(scan_model, ignore_errors=True)
    os.makedirs(scan_model)
    for name in ["model.json", "embeddings.safetensors"]:
        shutil.copy(os.path.join(MODEL, name), scan_model)
    # A conversion model and policy for /v1/decide: the quick demo's (shared with Benchmarks/soak.py).
    demo = os.path.join(ROOT, "out", "soak", "demo")
    if not os.path.exists(os.path.join(demo, "policy.json")):
        print("making the quick demo's conversion model and policy (once)...", flush=True)
        subprocess.run([VANE, "demo", "--quick", "--data", DATA, "--out", demo], check=True, stdout=subprocess.DEVNULL)

    # 1,000 item names with out-edges, rotated by a wrk Lua script.
    sources = []
    with gzip.open(EDGES, "rt") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name = line.split("\t")[0].strip()
            if name and (not sources or sources[-1] != name):
                sources.append(name)
    unique = list(dict.fromkeys(sources))
    random.Random(1).shuffle(unique)
    items = unique[:1000]
    related_script = wrk_script([
        "items = {" + ",".join('"' + urllib.parse.quote(item, safe="") + '"' for item in items) + "}",
        "counter = 0", "request = function()", "  counter = counter + 1",
        '  return wrk.format("GET", "/v1/related/" .. items[(counter % #items) + 1] .. "?k=10")', "end"])
    with open(os.path.join(demo, "conversion-model", "conversion.json")) as handle:
        conversion = json.load(handle)
    with open(os.path.join(demo, "related-model", "model.json")) as handle:
        demo_items = json.load(handle)["items"]
    rng = random.Random(2)
    body = json.dumps({"rows": [decide_row(conversion, demo_items, rng) for _ in range(args.decide_rows)]})
    decide_script = wrk_script(['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
                                "wrk.body = " + json.dumps(body)])

    setups = [  # (key, label, server arguments, path, script)
        ("ping", "GET /ping (floor)", ["--related", MODEL], "/ping", None),
        ("index", "GET /v1/related/{item}?k=10, from the index", ["--related", MODEL], "/", related_script),
        ("batched", "GET /v1/related/{item}?k=10, exact scan, batched (--scan-batch 64), int8 embeddings (the default)",
         ["--related", scan_model], "/", related_script),
        ("batched-float", "GET /v1/related/{item}?k=10, exact scan, batched (--scan-batch 64), float32 embeddings",
         ["--related", scan_model, "--scan-embeddings", "float32"], "/", related_script),
        ("single", "GET /v1/related/{item}?k=10, exact scan, one per request (--scan-batch 1), int8 embeddings",
         ["--related", scan_model, "--scan-batch", "1"], "/", related_script),
        ("single-float", "GET /v1/related/{item}?k=10, exact scan, one per request (--scan-batch 1), float32 embeddings",
         ["--related", scan_model, "--scan-batch", "1", "--scan-embeddings", "float32"], "/", related_script),
        ("decide", f"POST /v1/decide, {args.decide_rows} rows per request",
         ["--conversions", os.path.join(demo, "conversion-model"), "--policy", os.path.join(demo, "policy.json")], "/v1/decide", decide_script),
    ]
    results = {key: [] for key, *_ in setups}
    batches = {}
    try:
        for run in range(args.runs):
            for key, _, arguments, path, script in setups:
                server = serve(arguments, args.port)
                try:
                    results[key].append(run_wrk(f"http://127.0.0.1:{args.port}{path}", args.seconds, 1, args.connections, script))
                    if key in ("batched", "batched-float"):
                        count = metric(args.port, "vane_related_scan_batches_total")
                        queries = metric(args.port, "vane_related_scan_queries_total")
                        batches.setdefault(key, []).append(queries / max(count, 1))
                    if key in ("batched", "single"):
                        queries = metric(args.port, "vane_related_scan_queries_total")
                        batches.setdefault(key + "-rescored", []).append(metric(args.port, "vane_related_scan_rescored_total") / max(queries, 1))
                        batches.setdefault(key + "-fallbacks", []).append(metric(args.port, "vane_related_scan_fallbacks_total") / max(queries, 1))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
            print(f"run {run + 1}: " + ", ".join(f"{key} {results[key][-1][0]:.0f} req/s" for key, *_ in setups), flush=True)
    finally:
        os.unlink(related_script)
        os.unlink(decide_script)

    median = lambda rows, k: statistics.median(row[k] for row in rows)
    ping_rps = median(results["ping"], 0)
    with open(os.path.join(MODEL, "model.json")) as handle:
        model = json.load(handle)
    index_mb = os.path.getsize(os.path.join(MODEL, "top-targets.bin")) / 1e6
    doc = ["# Serving: load test", "",
           f"Produced by `python3 Benchmarks/serve-load.py --seconds {args.seconds} --runs {args.runs}` on {datetime.date.today()} "
           f"({platform.machine()}, {os.cpu_count()} cores; wrk and the server share them, so every number is lower than on "
           "separate machines, and equally so).", "",
           f"Server: `vane serve --related out/models/debian-related` (Debian package graph, {len(model['items']):,} items, "
           f"dimension {model['dimension']}, method {model['method']}: embeddings plus walk features); load: "
           f"`wrk -t1 -c{args.connections} -d{args.seconds}s --latency` on loopback, one fresh server per measurement. "
           "`/v1/related/{item}?k=10` rotates over 1,000 package names. The model directory holds `top-targets.bin` "
           f"(top 100 targets per item, {index_mb:.1f} MB, memory-mapped), written by `vane graph train` or `vane graph index`; "
           "the exact-scan rows serve the same model without it: with int8 embeddings (the default, `CompactTargetScan`) every "
           "item is scored from 8-bit copies of the target embeddings with a bound on the error, and the items the bound cannot "
           "rule out are rescored in float32, which gives the float32 scan's answers; with float32 embeddings, one GEMM of the "
           "queries against all target embeddings; then the walk features and a bounded heap per query. `/ping` returns a constant body through the same router "
           "and middleware: the server's floor. `/v1/decide` uses the conversion model and policy of `vane demo --quick`. "
           f"Medians over {args.runs} runs.", "",
           "| route | requests/s | p50 ms | p99 ms | throughput vs floor |", "|---|---|---|---|---|"]
    for key, label, *_ in setups:
        rps = median(results[key], 0)
        doc.append(f"| {label} | {rps:,.0f} | {median(results[key], 1):.2f} | {median(results[key], 2):.2f} | {rps / ping_rps:.2f} |")
    decide_rps = median(results["decide"], 0)
    doc += ["", f"- `/v1/decide`: {decide_rps * args.decide_rows:,.0f} rows/s scored and decided ({args.decide_rows} rows per request).",
            f"- Batched exact scans: {statistics.median(batches['batched']):.1f} queries per batch on average under this load with "
            f"int8 embeddings, {statistics.median(batches['batched-float']):.1f} with float32; int8 / float32 throughput: "
            f"batched {median(results['batched'], 0) / median(results['batched-float'], 0):.2f}x, one per request "
            f"{median(results['single'], 0) / median(results['single-float'], 0):.2f}x.",
            f"- int8 scans rescored {statistics.median(batches['batched-rescored']):.1f} candidates per query in float32 (batched; "
            f"{statistics.median(batches['single-rescored']):.1f} one per request); queries handed to the float32 scan: "
            f"{100 * statistics.median(batches['batched-fallbacks']):.2f}% batched, {100 * statistics.median(batches['single-fallbacks']):.2f}% one per request.",
            "- Per run (requests/s): " + "; ".join(key + " " + ", ".join(f"{r[0]:,.0f}" for r in results[key]) for key, *_ in setups) + "."]
    if index_seconds is not None:
        doc.append(f"- Building the index (`vane graph index`, 60,513 items x 100 targets) took {index_seconds:.1f} s in this run.")
    doc.append("")
    path = os.path.join(ROOT, "docs", "results", "serving.md")
    # Keep the sections Benchmarks/compact-scan.py and Benchmarks/soak.py own.
    previous = open(path).read() if os.path.exists(path) else ""
    for owner in ["compact-scan", "soak"]:
        begin, end = f"<!-- {owner}:begin -->", f"<!-- {owner}:end -->"
        if begin in previous and end in previous:
            doc += [previous[previous.index(begin): previous.index(end) + len(end)], ""]
    with open(path, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
