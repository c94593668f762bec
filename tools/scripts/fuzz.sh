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
for target in "${targets[@]}"; do
  read -r dir name <<<"$target"
  echo "== fuzz ./$dir $name ($FUZZTIME)"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "./$dir"
done
