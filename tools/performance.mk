##@ Performance and memory
# Included by GNUmakefile.

.PHONY: bench bench-large memcheck

# The provider against the floor provider (tools/bench/floor) on the same zips,
# in one run: apply and no-op plan; writes tools/bench/data/<size>.csv,
# tools/bench/results.md and tools/bench/chart.png. BENCH_SIZES: runs of
# [near:|far:]SIZE, default "a far:c": a (100 x 3 MB through the batch data
# source, about a minute) on loopback and c (100 x 100 KB) with
# BENCH_LATENCY (100ms) added to every request; b (1,000 x 100 KB, several
# minutes; make bench-large runs it near and far); all for every size in both
# modes. BENCH_PROFILE=1 adds a profiled apply and no-op plan of the
# provider; see tools/bench/bench.sh for the rest.
BENCH_SIZES ?= a far:c
bench: ## The benchmark against the floor provider (BENCH_SIZES, default "a far:c")
	bash tools/bench/bench.sh $(BENCH_SIZES)

bench-large: ## The benchmark's size b (1,000 packages), near and far
	bash tools/bench/bench.sh b far:b

memcheck: ## Upload a 300 MB package and check the provider's peak resident memory
	bash tools/scripts/memcheck.sh
