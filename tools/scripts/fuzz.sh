#!/usr/bin/env bash
# make fuzz: run every Go fuzz target in the repository for a short budget
# each (FUZZTIME, default 5s). Targets are found, not listed by hand, so a new
# Fuzz* function is fuzzed in CI without further changes. A failure leaves
# its input under the package's testdata/fuzz/ folder, where plain go test
# replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZTIME=${FUZZTIME:-5s}

mapfile -t targets < <(grep -rH --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' internal tools 2>/dev/null |
  sed -E 's#^([^:]*)/[^/:]*:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort -u)
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz targets found" >&2
  exit 1
fi
# fuzz_once DIR NAME: one run. Go's fuzzing engine sometimes ends a run that
# found no failing input with "context deadline exceeded" (the budget ran out
# while it was still minimising a new interesting input, on a loaded machine);
# that is retried (twice at most), as it says nothing about the code. A real
# failure writes its input under testdata/fuzz/ and fails at once.
fuzz_once() {
  local out
  if out=$(go test -run='^$' -fuzz="^${2}\$" -fuzztime="$FUZZTIME" "./$1" 2>&1); then
    printf '%s\n' "$out"
    return 0
  fi
  printf '%s\n' "$out"
  if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written to' <<<"$out"; then
    return 3
  fi
  return 1
}

for target in "${targets[@]}"; do
  read -r dir name <<<"$target"
  echo "== fuzz ./$dir $name ($FUZZTIME)"
  for attempt in 1 2 3; do
    rc=0
    fuzz_once "$dir" "$name" || rc=$?
    [ "$rc" -eq 3 ] || break
    echo "== fuzz ./$dir $name: the engine ran out of time without a failing input (attempt $attempt)"
  done
  [ "$rc" -eq 0 ] || exit "$rc"
done
