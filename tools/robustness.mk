##@ Faults, races, fuzzing and mutation
# Included by GNUmakefile.

.PHONY: test-chaos test-races fuzz mutation

# Apply many packages through an emulator that injects throttling, 5xx,
# resets and lost responses, re-apply until it succeeds (restarting the
# emulator once), then check the store and the state are exact. CHAOS_RATE
# is the rate of each of the four fault kinds (0.1: 40% of requests fail).
CHAOS_PACKAGES ?= 30
CHAOS_APPS ?= 10
CHAOS_APPLIES ?= 4
CHAOS_RATE ?= 0.1
CHAOS_SEED ?= 1
test-chaos: ## Chaos test: apply through an emulator that injects faults, then check store and state are exact
	go run ./tools/chaos -packages $(CHAOS_PACKAGES) -apps $(CHAOS_APPS) -applies $(CHAOS_APPLIES) -rate $(CHAOS_RATE) -seed $(CHAOS_SEED)

# RACE_PIPELINES terraform apply runs from separate folders (separate
# states) add an automatically versioned package to one H5App at the same
# moment; all must succeed with distinct versions, the emulator must hold
# exactly one package per run, every re-plan be empty.
RACE_PIPELINES ?= 8
test-races: ## Version races between pipelines applying to one H5App at once
	go run ./tools/races -pipelines $(RACE_PIPELINES)

fuzz: ## Run every Go fuzz target for FUZZTIME each (default 5s)
	bash tools/scripts/fuzz.sh

# Mutation testing with gremlins over internal/offlinepkg, internal/mpaas and
# internal/delivery (tools/mutation/mutation.sh): writes the score per package
# and every surviving mutant, with why it does not matter, to
# tools/mutation/results.md. Hours on 2 busy cores, so not in CI: run it before
# a release, or one package or file at a time:
#   make mutation MUTATION_PACKAGES=offlinepkg MUTATION_FILES="content version"
MUTATION_PACKAGES ?= offlinepkg mpaas delivery
mutation: $(TOOLS_DIR)/.gremlins-$(GREMLINS_VERSION) ## Mutation testing (hours; not in CI), results in tools/mutation/results.md
	GREMLINS=$(TOOLS_DIR)/gremlins bash tools/mutation/mutation.sh $(MUTATION_PACKAGES)
