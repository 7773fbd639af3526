#!/usr/bin/env python3
"""Soak test of `vane serve`: mixed good and hostile traffic plus a reload every second, bounded in time.

Builds the release `vane`, makes a small model set with `vane demo --quick` (related items, a
conversion model and a decision policy, under out/soak/), copies it to a working directory and serves
it on 127.0.0.1. Then, for --seconds (default 600):

- --workers threads on keep-alive connections send GET /v1/related/{item}?k=10, POST /v1/decide with
  1-20 rows, and malformed requests (unknown items and routes, wrong methods, bad k, bad JSON, wrong
  types, non-finite or absurd numbers, oversized bodies, bad percent-encoding, long URLs);
- a raw-socket thread sends garbage bytes, a broken request line, and half a request head that it
  never finishes (the idle timeout must close it);
- a reload thread, every second, either reloads the good files or first breaks one file (a policy with
  too few thresholds, a conversion encoder with 0 hash buckets, a truncated safetensors file,
  a model.json listing an item twice), reloads (must answer 422 and keep serving), then restores it.

It counts every status, checks that no request ever got a 5xx, that the server is alive at the end,
and samples the server's RSS every 5 s (flat after warm-up: the last fifth against the second fifth).
Results go to docs/results/serving.md between the soak markers, and as JSON to stdout.

Run from the repository root:  python3 Benchmarks/soak.py [--seconds 600] [--workers 4]
"""
import argparse
import collections
import datetime
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VANE = os.path.join(ROOT, ".build", "release", "vane")
DATA = os.path.join(ROOT, "..", "shared", "data")
DOC = os.path.join(ROOT, "docs", "results", "serving.md")
BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = collections.Counter()
        self.five_hundreds = []

    def add(self, kind, status, detail=""):
        with self.lock:
            self.by_kind[(kind, status)] += 1
            if isinstance(status, int) and status >= 500 and len(self.five_hundreds) < 20:
                self.five_hundreds.append((kind, status, detail[:300]))


def decide_row(conversion, items, rng):
    features = {}
    statistics_ = conversion["encoder"].get("numericStatistics", {})
    for name in conversion["encoder"]["featureColumns"]:
        if name in statistics_:
            scale = statistics_[name]
            features[name] = scale["mean"] + scale["deviation"] * rng.gauss(0, 1)
        else:
            features[name] = rng.choice(items)
    return {"features": features}


def malformed_requests(items, rng):
    item = urllib.parse.quote(rng.choice(items), safe="")
    return [
        ("GET", "/v1/related/" + "no-such-item-%d" % rng.randrange(10**6), None),
        ("GET", f"/v1/related/{item}?k=0", None),
        ("GET", f"/v1/related/{item}?k=abc", None),
        ("GET", f"/v1/related/{item}?k=99999999999999999999", None),
        ("GET", f"/v1/related/{item}?exclude=nope,%zz", None),
        ("GET", "/v1/related/%ff%fe", None),
        ("GET", "/v1/related/" + "x" * 6000, None),
        ("GET", "/nowhere", None),
        ("DELETE", "/v1/decide", None),
        ("POST", "/v1/decide", b"not json"),
        ("POST", "/v1/decide", b'{"rows": "all"}'),
        ("POST", "/v1/decide", b'{"rows": []}'),
        ("POST", "/v1/decide", b'{"rows": [{"features": {"nope": 1}}]}'),
        ("POST", "/v1/decide", b'{"rows": [{"features": {"recommender_score": 1e40}}]}'),
        ("POST", "/v1/decide", b'{"rows": [{"features": {"recommender_score": -1e308}}]}'),
        ("POST", "/v1/decide", b'{"rows": [{"features": {"recommender_score": [[[[1]]]]}}]}'),
        ("POST", "/v1/decide", b'{"rows": [' + b'{"features": {}},' * 1500 + b'{}]}'),
        ("POST", "/v1/decide", b'{"rows": [{"features": {"x": "' + b"a" * (1 << 20) + b'"}}]}'),
        ("POST", "/v1/decide", b"[" * 10000),
    ]


def worker(base_port, items, conversion, counts, deadline, seed):
    rng = random.Random(seed)
    connection = None
    while time.time() < deadline:
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=30)
        draw = rng.random()
        if draw < 0.5:
            kind, method = "related", "GET"
            path, body = "/v1/related/" + urllib.parse.quote(rng.choice(items), safe="") + "?k=10", None
        elif draw < 0.75:
            kind, method, path = "decide", "POST", "/v1/decide"
            body = json.dumps({"rows": [decide_row(conversion, items, rng) for _ in range(rng.randint(1, 20))]}).encode()
        else:
            kind = "malformed"
            method, path, body = rng.choice(malformed_requests(items, rng))
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
            counts.add(kind, response.status, text.decode("utf-8", "replace"))
            if response.status >= 400 and not text.startswith(b'{"error"'):
                counts.add(kind, "non-json-error", f"{method} {path[:80]} -> {response.status} {text[:100]!r}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            counts.add(kind, "connection-error", f"{method} {path[:80]}: {error}")
            connection.close()
            connection = None


def raw_socket_abuse(port, counts, deadline, seed):
    rng = random.Random(seed)
    payloads = [b"\x00\xff garbage \r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET /ping HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                if rng.random() < 0.2:
                    # Half a request head, never finished: the server's idle timeout must close it.
                    raw.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
                    raw.settimeout(40)
                    started = time.time()
                    closed = raw.recv(1024) == b""
                    counts.add("half-head", "closed" if closed else "answered", f"{time.time() - started:.1f}s")
                else:
                    raw.sendall(rng.choice(payloads))
                    reply = raw.recv(4096)
                    status = int(reply.split(b" ")[1]) if reply.startswith(b"HTTP/1.1 ") else "closed"
                    counts.add("raw", status, reply[:200].decode("latin-1"))
        except OSError as error:
            counts.add("raw", "connection-error", str(error))
        time.sleep(0.2)


def break_file(kind, models):
    """Breaks one model file in place; returns (path, original bytes) to restore."""
    if kind == "policy":
        path = os.path.join(models, "policy.json")
        original = open(path, "rb").read()
        policy = json.loads(original)
        policy["scoreThresholds"] = policy["scoreThresholds"][:1]
        data = json.dumps(policy).encode()
    elif kind == "hash-buckets":
        path = os.path.join(models, "conversion", "conversion.json")
        original = open(path, "rb").read()
        model = json.loads(original)
        model["encoder"]["hashBuckets"] = 0
        data = json.dumps(model).encode()
    elif kind == "truncated-tensors":
        path = os.path.join(models, "related", "embeddings.safetensors")
        original = open(path, "rb").read()
        data = original[: len(original) // 2]
    else:
        path = os.path.join(models, "related", "model.json")
        original = open(path, "rb").read()
        model = json.loads(original)
        model["items"][1] = model["items"][0]
        data = json.dumps(model).encode()
    with open(path, "wb") as handle:
        handle.write(data)
    return path, original


def reloader(port, models, counts, deadline):
    kinds = ["good", "policy", "good", "hash-buckets", "good", "truncated-tensors", "good", "duplicate-items"]
    round_ = 0
    while time.time() < deadline:
        kind = kinds[round_ % len(kinds)]
        round_ += 1
        restore = break_file(kind, models) if kind != "good" else None
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", "/admin/reload")
            response = connection.getresponse()
            response.read()
            expected = 200 if kind == "good" else 422
            counts.add("reload-" + ("good" if kind == "good" else "broken"), response.status)
            if response.status != expected:
                counts.add("reload-unexpected", response.status, kind)
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            counts.add("reload", "connection-error", str(error))
        finally:
            if restore:
                with open(restore[0], "wb") as handle:
                    handle.write(restore[1])
        time.sleep(1)


def write_doc(result):
    counts = result["counts"]
    routes = ["related", "decide", "malformed", "raw", "half-head", "reload-good", "reload-broken"]
    lines = [BEGIN, "## Soak: hostile traffic and reloads", "",
             f"Produced by `python3 Benchmarks/soak.py --seconds {result['seconds']} --workers {result['workers']}` on "
             f"{result['date']} ({result['machine']}, {result['cores']} cores, client and server on the same cores, loopback). "
             "Models from `vane demo --quick` (related items, conversion model, MIST policy). Traffic: "
             f"{result['workers']} keep-alive clients (50% related, 25% decide with 1-20 rows, 25% malformed), one raw-socket client "
             "(garbage bytes, broken request lines, half request heads never finished), and a reload every second, every other one "
             "with a broken file (policy with one threshold, 0 hash buckets, truncated safetensors, duplicate item).", "",
             "| kind | responses by status |", "|---|---|"]
    for kind in routes:
        row = {status: n for (k, status), n in counts.items() if k == kind}
        if row:
            lines.append(f"| {kind} | " + ", ".join(f"{status}: {n:,}" for status, n in sorted(row.items(), key=lambda x: str(x[0]))) + " |")
    lines += ["", f"- requests answered: {result['requests']:,} ({result['requests'] / result['seconds']:.0f}/s); "
              f"**5xx responses: {result['five_hundreds']}**; non-JSON error bodies: {result['non_json_errors']}; "
              f"server alive at the end: {'yes' if result['alive'] else 'NO'}.",
              f"- half-finished request heads closed by the idle timeout ({result['idle_timeout']} s): "
              f"{counts.get(('half-head', 'closed'), 0)} of {sum(n for (k, _), n in counts.items() if k == 'half-head')}.",
              f"- server RSS (MiB): after warm-up (second fifth, median) {result['rss_warm_mib']:.0f}, last fifth median "
              f"{result['rss_end_mib']:.0f}, max {result['rss_max_mib']:.0f}: growth {result['rss_growth_percent']:+.1f}%.",
              END]
    text = open(DOC).read() if os.path.exists(DOC) else "# Serving\n"
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines) + "\n"
    with open(DOC, "w") as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--idle-timeout", type=float, default=5)
    parser.add_argument("--no-doc", action="store_true", help="print the JSON only")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "vane"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    demo = os.path.join(ROOT, "out", "soak", "demo")
    if not os.path.exists(os.path.join(demo, "policy.json")):
        subprocess.run([VANE, "demo", "--quick", "--data", DATA, "--out", demo], check=True, stdout=subprocess.DEVNULL)
    models = os.path.join(ROOT, "out", "soak", "serving")
    shutil.rmtree(models, ignore_errors=True)
    os.makedirs(models)
    shutil.copytree(os.path.join(demo, "related-model"), os.path.join(models, "related"))
    shutil.copytree(os.path.join(demo, "conversion-model"), os.path.join(models, "conversion"))
    shutil.copy(os.path.join(demo, "policy.json"), os.path.join(models, "policy.json"))
    with open(os.path.join(models, "related", "model.json")) as handle:
        items = json.load(handle)["items"]
    with open(os.path.join(models, "conversion", "conversion.json")) as handle:
        conversion = json.load(handle)

    server = subprocess.Popen([VANE, "serve", "--related", os.path.join(models, "related"), "--conversions", os.path.join(models, "conversion"),
                               "--policy", os.path.join(models, "policy.json"), "--port", str(args.port), "--log-level", "critical",
                               "--idle-timeout", str(args.idle_timeout)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counts = Counts()
    rss = []
    try:
        deadline_up = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline_up or server.poll() is not None:
                    sys.exit("server did not start")
                time.sleep(0.2)
        started = time.time()
        deadline = started + args.seconds
        threads = [threading.Thread(target=worker, args=(args.port, items, conversion, counts, deadline, seed)) for seed in range(args.workers)]
        threads.append(threading.Thread(target=raw_socket_abuse, args=(args.port, counts, deadline, 99)))
        threads.append(threading.Thread(target=reloader, args=(args.port, models, counts, deadline)))
        for thread in threads:
            thread.start()
        while time.time() < deadline:
            rss.append((time.time() - started, rss_kib(server.pid) / 1024))
            print(f"[{time.time() - started:5.0f}s] rss {rss[-1][1]:.0f} MiB, responses {sum(counts.by_kind.values()):,}", file=sys.stderr, flush=True)
            time.sleep(5)
        for thread in threads:
            thread.join(timeout=60)
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)

    fifth = max(1, len(rss) // 5)
    warm = statistics.median(r for _, r in rss[fifth:2 * fifth]) if len(rss) >= 2 * fifth else rss[0][1]
    end = statistics.median(r for _, r in rss[-fifth:])
    by_kind = counts.by_kind
    result = {
        "seconds": args.seconds, "workers": args.workers, "date": str(datetime.date.today()), "machine": platform.machine(),
        "cores": os.cpu_count(), "idle_timeout": args.idle_timeout, "alive": alive,
        "requests": sum(n for (k, s), n in by_kind.items() if isinstance(s, int)),
        "five_hundreds": sum(n for (k, s), n in by_kind.items() if isinstance(s, int) and s >= 500),
        "non_json_errors": sum(n for (k, s), n in by_kind.items() if s == "non-json-error"),
        "unexpected_reloads": sum(n for (k, s), n in by_kind.items() if k == "reload-unexpected"),
        "rss_warm_mib": warm, "rss_end_mib": end, "rss_max_mib": max(r for _, r in rss),
        "rss_growth_percent": 100 * (end - warm) / warm,
        "counts": {(k, s): n for (k, s), n in by_kind.items()},
        "first_5xx": counts.five_hundreds,
    }
    printable = dict(result, counts={f"{k} {s}": n for (k, s), n in by_kind.items()})
    print(json.dumps(printable, indent=1, sort_keys=True))
    if not args.no_doc:
        write_doc(result)
        print(f"wrote the soak section of {DOC}", file=sys.stderr)
    failed = result["five_hundreds"] or not alive or result["non_json_errors"] or result["unexpected_reloads"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
