##@ The live mPaaS service (credentials in the environment; CONTRIBUTING.md)
# Included by GNUmakefile.

.PHONY: testacc-live live-check

# The portable acceptance tests against the live service instead of the
# emulator (MPAAS_LIVE=1 and the provider's credentials in the environment):
# compile, sweep the reserved H5App IDs, run, sweep again. Without them it
# compiles and skips with one line; LIVE_PLAN=1 lists what it would create
# without calling the API.
LIVE_PLAN ?=
testacc-live: ## The portable acceptance tests against the live service (LIVE_PLAN=1: list only)
	LIVE_PLAN=$(LIVE_PLAN) bash tools/scripts/testacc-live.sh

# Read-only check of a real workspace before the first apply
# (tools/live-check): every read action the provider uses, each answer
# compared with the emulator's JSON types and read by the client; writes
# nothing. Without the provider's credentials in the environment it says
# what it needs and fails. LIVE_CHECK_FLAGS: -max-apps, -max-packages,
# -max-tasks.
LIVE_CHECK_FLAGS ?=
live-check: ## Read-only check of a real workspace's answers before the first apply
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && go build -o "$$dir/live-check" ./tools/live-check && "$$dir/live-check" $(LIVE_CHECK_FLAGS)
