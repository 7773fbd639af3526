#!/usr/bin/env python3
"""Load test of `vane serve`: /v1/related on the Debian-graph model against the server's own floor.

Starts `vane serve` on loopback with a related-items model trained on the Debian package graph
(trained first if out/models/debian-related is missing), drives it with wrk (Debian package `wrk`)
for a bounded time, and writes docs/results/serving.md: throughput and p50/p99 latency of
GET /v1/related/{item}?k=10 (item names rotated over 1,000 packages) beside GET /ping, a constant
body through the same router and middleware, as a ratio. Medians over --runs runs of --seconds each.

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "vane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(MODEL, "model.json")):
        print("training the Debian-graph model (once)...", flush=True)
        subprocess.run([VANE, "graph", "train", "--edges", EDGES, "--out", MODEL, "--epochs", "10", "--patience", "2", "--seed", "1"],
                       check=True)

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
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("items = {" + ",".join('"' + urllib.parse.quote(item, safe="") + '"' for item in items) + "}\n"
                 "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                 "  return wrk.format(\"GET\", \"/v1/related/\" .. items[(counter % #items) + 1] .. \"?k=10\")\nend\n")
    script.close()

    server = subprocess.Popen([VANE, "serve", "--related", MODEL, "--port", str(args.port), "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_until_up(base + "/healthz")
        results = {"ping": [], "related": []}
        for run in range(args.runs):
            results["ping"].append(run_wrk(base + "/ping", args.seconds, 1, args.connections, None))
            results["related"].append(run_wrk(base + "/", args.seconds, 1, args.connections, script.name))
            print(f"run {run + 1}: ping {results['ping'][-1][0]:.0f} req/s, related {results['related'][-1][0]:.0f} req/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(script.name)

    median = lambda rows, k: statistics.median(row[k] for row in rows)
    ping_rps, related_rps = median(results["ping"], 0), median(results["related"], 0)
    with open(os.path.join(MODEL, "model.json")) as handle:
        model = json.load(handle)
    doc = ["# Serving: load test", "",
           f"Produced by `python3 Benchmarks/serve-load.py --seconds {args.seconds} --runs {args.runs}` on {datetime.date.today()} "
           f"({platform.machine()}, {os.cpu_count()} cores; wrk and the server share them, so both numbers are lower than on "
           "separate machines, and equally so).", "",
           f"Server: `vane serve --related out/models/debian-related` (Debian package graph, {len(model['items']):,} items, "
           f"dimension {model['dimension']}); load: `wrk -t1 -c{args.connections} -d{args.seconds}s --latency` on loopback. "
           "`/v1/related/{item}?k=10` rotates over 1,000 package names (one GEMV over all items and a bounded heap per request); "
           "`/ping` returns a constant body through the same router and middleware: the server's floor. "
           f"Medians over {args.runs} runs.", "",
           "| route | requests/s | p50 ms | p99 ms | throughput vs floor |", "|---|---|---|---|---|",
           f"| GET /ping (floor) | {ping_rps:,.0f} | {median(results['ping'], 1):.2f} | {median(results['ping'], 2):.2f} | 1.00 |",
           f"| GET /v1/related/{{item}}?k=10 | {related_rps:,.0f} | {median(results['related'], 1):.2f} | "
           f"{median(results['related'], 2):.2f} | {related_rps / ping_rps:.2f} |", "",
           "Per run (requests/s): ping " + ", ".join(f"{r[0]:,.0f}" for r in results["ping"]) +
           "; related " + ", ".join(f"{r[0]:,.0f}" for r in results["related"]) + ".", ""]
    path = os.path.join(ROOT, "docs", "results", "serving.md")
    # Keep the section Benchmarks/soak.py owns.
    previous = open(path).read() if os.path.exists(path) else ""
    begin, end = "<!-- soak:begin -->", "<!-- soak:end -->"
    if begin in previous and end in previous:
        doc += [previous[previous.index(begin): previous.index(end) + len(end)], ""]
    with open(path, "w") as handle:
        handle.write("\n".join(doc))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
