# Vane: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
DATA ?= ../shared/data
APT_PACKAGES := libopenblas-dev zlib1g-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench fuzz soak

## Install the system libraries the build links (OpenBLAS for GEMM, zlib for gzip input), if missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release --product vane

## The main job: the whole chain on the real data in $(DATA), report in out/demo/report.html.
demo: build
	.build/release/vane demo --data $(DATA) --out out/demo

## Every test (unit tests and the real-data checks, which skip when $(DATA) is absent).
test: deps
	swift test

## Benchmarks against peers in the same run (needs torch, numpy, scikit-learn); writes docs/results/performance.md.
bench: deps
	Benchmarks/run-all

## Fuzz every input surface with libFuzzer + AddressSanitizer: RUNS inputs or SECONDS per target (Fuzz/run).
RUNS ?= 1000000
SECONDS ?= 600
fuzz: deps
	Fuzz/run $(RUNS) $(SECONDS)

## 10-minute soak of `vane serve` on loopback: good and hostile traffic, reloads with broken files.
soak: build
	python3 Benchmarks/soak.py --seconds 600
