#!/usr/bin/env bash
# make memcheck: upload one large offline package (default 300 MB of
# incompressible data) through the provider and report the peak resident memory
# of the provider and emulator processes. Exits non-zero when the provider's
# peak exceeds LIMIT_MIB (default 64).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(pwd)/.memcheck"
SIZE_BYTES=${SIZE_BYTES:-300000000}
LIMIT_MIB=${LIMIT_MIB:-64}
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh

rm -rf "$WORK"
mkdir -p "$WORK/work"
build_binaries
start_emulator -quiet
use_dev_build

"$WORK/bin/mkpackages" -dir "$WORK/work" -ids 12345678 -size "$SIZE_BYTES" >/dev/null
cat >"$WORK/work/main.tf" <<'TF'
terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}
provider "mpaas" {}
resource "mpaas_offline_package" "big" {
  h5app_id                = "12345678"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "12345678.zip"
  android                 = { min_version = "1.0" }
}
TF

sample_peak_rss "$WORK/bin/terraform-provider-mpaas" "$WORK/provider.peak" &
provider_sampler=$!
sample_peak_rss "$WORK/bin/mpaas-emulator" "$WORK/emulator.peak" &
emulator_sampler=$!
trap 'kill $provider_sampler $emulator_sampler 2>/dev/null || true; stop_emulator' EXIT

start=$(date +%s.%N)
(cd "$WORK/work" && terraform apply -auto-approve -input=false -no-color >"$WORK/apply.txt" 2>&1) || { cat "$WORK/apply.txt"; exit 1; }
end=$(date +%s.%N)
sleep 0.2
provider_kib=$(cat "$WORK/provider.peak" 2>/dev/null || echo 0)
emulator_kib=$(cat "$WORK/emulator.peak" 2>/dev/null || echo 0)
size=$(stat -c %s "$WORK/work/12345678.zip")
printf 'zip size:              %d bytes\n' "$size"
awk -v s="$start" -v e="$end" 'BEGIN { printf "terraform apply:       %.1f s (hash at plan, hash while uploading, register)\n", e - s }'
awk -v k="$provider_kib" 'BEGIN { printf "provider peak RSS:     %d KiB (%.1f MiB)\n", k, k / 1024 }'
awk -v k="$emulator_kib" 'BEGIN { printf "emulator peak RSS:     %d KiB (%.1f MiB)\n", k, k / 1024 }'
if [ "$provider_kib" -eq 0 ] || [ "$provider_kib" -gt $((LIMIT_MIB * 1024)) ]; then
  echo "FAIL: provider peak RSS is not within ${LIMIT_MIB} MiB"
  exit 1
fi
echo "OK: provider peak RSS within ${LIMIT_MIB} MiB"
