#!/usr/bin/env bash
# make mutation: mutation testing of the core packages with gremlins (pinned
# in the GNUmakefile, installed into .tools/). For each package it mutates the
# non-test Go files one change at a time (a flipped comparison, a negated
# condition, + for -, ...) and runs that package's tests: a mutant the tests
# do not notice "lived". Then tools/mutation/report writes
# tools/mutation/results.md: the score per package and every surviving mutant
# with the reason it does not matter (tools/mutation/explained.txt) or marked
# unexplained.
#
# Per run it keeps in tools/mutation/data: <run>.dry.log (gremlins --dry-run:
# every mutant), <run>.log (each result as it comes), <run>.json (gremlins'
# report, written only when the run completes) and <run>.seconds (wall
# time). <run> is the package name, or <package>@<file>+<file> for a run
# over some files only. An interrupted run (Ctrl-C) still counts the results
# in its .log; the page says how many mutants it did not reach.
#
# Slow: each mutant is a build and a test run, so this is not in CI; run it
# before a release, per package or per file when needed:
#   make mutation MUTATION_PACKAGES=delivery
#   make mutation MUTATION_PACKAGES=offlinepkg MUTATION_FILES="content version"
# MUTATION_WORKERS (default 1) runs mutants in parallel;
# MUTATION_TIMEOUT_COEFFICIENT (default 10) multiplies the package's normal
# test time into the time after which a mutant counts as TIMED OUT (a hang);
# raise it on a loaded machine, where a build alone can take that long.
set -euo pipefail
cd "$(dirname "$0")/../.."
GREMLINS=${GREMLINS:-.tools/gremlins}
WORKERS=${MUTATION_WORKERS:-1}
COEFFICIENT=${MUTATION_TIMEOUT_COEFFICIENT:-10}
FILES=${MUTATION_FILES:-}
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(offlinepkg mpaas delivery)
data=$PWD/tools/mutation/data
mkdir -p "$data"
# -count=1: gremlins derives the timeout from its coverage run's time, which
# a cached test result would make near zero (and every mutant time out).
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

# exclusion PACKAGE: a gremlins --exclude-files pattern of the package's
# files not named in FILES (file names are relative to the package).
exclusion() {
  local names=() file base
  for file in "internal/$1"/*.go; do
    base=$(basename "$file" .go)
    [[ $base == *_test ]] && continue
    [[ " $FILES " == *" $base "* ]] || names+=("$base")
  done
  local IFS='|'
  echo "^(${names[*]})\\.go\$"
}

for pkg in "${packages[@]}"; do
  [ -d "internal/$pkg" ] || { echo "mutation: no package internal/$pkg" >&2; exit 1; }
  run=$pkg args=()
  if [ -n "$FILES" ]; then
    run="$pkg@${FILES// /+}" args=(--exclude-files "$(exclusion "$pkg")")
  else
    rm -f "$data/$pkg@"* # a whole-package run replaces the partial ones
  fi
  rm -f "$data/$run".{json,log,dry.log,seconds}
  echo "mutation: internal/$pkg ${FILES:+(files: $FILES) }(workers $WORKERS, timeout coefficient $COEFFICIENT)"
  "$GREMLINS" unleash --dry-run "${args[@]}" "./internal/$pkg" >"$data/$run.dry.log"
  start=$(date +%s)
  # gremlins exits non-zero only for unmet thresholds (none are set) or errors.
  "$GREMLINS" unleash --workers "$WORKERS" --timeout-coefficient "$COEFFICIENT" "${args[@]}" \
    -o "$data/$run.json" "./internal/$pkg" | tee "$data/$run.log"
  echo $(($(date +%s) - start)) >"$data/$run.seconds"
done
go run ./tools/mutation/report -data tools/mutation/data -explained tools/mutation/explained.txt -out tools/mutation/results.md
echo "mutation: wrote tools/mutation/results.md"
