#!/usr/bin/env bash
# make bench: the batch-import module against the emulator, measured beside
# Terraform's own floor. For each N in N_LIST it generates N incompressible
# zips of S bytes and records, in one run:
#   T_apply    terraform apply -parallelism=10 of examples/modules/batch-import
#   T_tf       terraform apply -parallelism=10 of N terraform_data resources
#   T_sha      sha256sum of the N zips
#   T_noop     a no-op terraform plan after the apply
#   T_tf_noop  a no-op plan of the N terraform_data resources
#   peak RSS of the provider and the emulator (VmHWM sampled from /proc)
#   API calls made by the no-op plan (counted by the emulator)
# and writes tools/bench/results.md plus tools/bench/chart.png (time against N).
# Run by hand, not by CI. Defaults: N_LIST="10 30 100", S=3000000.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
WORK="$root/tools/bench/out"
N_LIST=${N_LIST:-"10 30 100"}
S=${S:-3000000}
PARALLELISM=${PARALLELISM:-10}
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh
export MPAAS_HASH_CACHE_DIR="$WORK/hash-cache" # the no-op plan recalls the batch's digests from disk

rm -rf "$WORK"
mkdir -p "$WORK"
echo "==> Building"
build_binaries
use_dev_build

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
stats_total() { curl -fsS "$MPAAS_ENDPOINT/emulator/stats" | tr -d '{}' | tr ',' '\n' | grep -v -e oss -e download | awk -F: '{ sum += $2 } END { print sum + 0 }'; }

echo "n,t_apply,t_tf,t_sha,t_floor,t_noop,t_tf_noop,provider_peak_kib,emulator_peak_kib,noop_api_calls,apps,total_bytes" >"$WORK/results.csv"

for n in $N_LIST; do
  echo "==> N=$n, S=$S bytes"
  run="$WORK/n$n"
  mkdir -p "$run/batch/packages" "$run/floor"
  ids=$(seq -f '%.0f' 41000001 $((41000000 + n)) | paste -sd, -)
  "$WORK/bin/mkpackages" -dir "$run/batch/packages" -ids "$ids" -size "$S" -seed "$n" >/dev/null
  total_bytes=$(du -cb "$run"/batch/packages/*.zip | tail -1 | cut -f1)

  cat >"$run/batch/main.tf" <<TF
terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}
provider "mpaas" {}
module "batch" {
  source    = "$root/examples/modules/batch-import"
  directory = "\${path.root}/packages"
  defaults  = { android = { min_version = "10.1.0" } }
}
TF
  cat >"$run/floor/main.tf" <<TF
resource "terraform_data" "package" {
  count = $n
  input = "package \${count.index}"
}
TF

  EMULATOR_DIR=$run start_emulator -quiet
  (cd "$run/batch" && terraform get -no-color >/dev/null)

  rm -f "$run/provider.peak" "$run/emulator.peak"
  sample_peak_rss "$WORK/bin/terraform-provider-mpaas" "$run/provider.peak" &
  sampler_provider=$!
  sample_peak_rss "$WORK/bin/mpaas-emulator" "$run/emulator.peak" &
  sampler_emulator=$!

  start=$(now)
  (cd "$run/batch" && terraform apply -auto-approve -input=false -no-color -parallelism="$PARALLELISM" >"$run/apply.txt" 2>&1) || { tail -40 "$run/apply.txt"; exit 1; }
  t_apply=$(elapsed "$start" "$(now)")

  calls_before=$(stats_total)
  start=$(now)
  set +e
  (cd "$run/batch" && terraform plan -detailed-exitcode -input=false -no-color -parallelism="$PARALLELISM" >"$run/noop.txt" 2>&1)
  plan_exit=$?
  set -e
  t_noop=$(elapsed "$start" "$(now)")
  [ "$plan_exit" -eq 0 ] || { tail -40 "$run/noop.txt"; echo "the plan after the apply is not empty (exit $plan_exit)"; exit 1; }
  noop_calls=$(( $(stats_total) - calls_before ))

  kill "$sampler_provider" "$sampler_emulator" 2>/dev/null || true
  wait "$sampler_provider" "$sampler_emulator" 2>/dev/null || true
  provider_peak=$(cat "$run/provider.peak" 2>/dev/null || echo 0)
  emulator_peak=$(cat "$run/emulator.peak" 2>/dev/null || echo 0)
  stop_emulator

  start=$(now)
  (cd "$run/floor" && terraform apply -auto-approve -input=false -no-color -parallelism="$PARALLELISM" >"$run/floor-apply.txt" 2>&1)
  t_tf=$(elapsed "$start" "$(now)")
  start=$(now)
  (cd "$run/floor" && terraform plan -input=false -no-color -parallelism="$PARALLELISM" >"$run/floor-noop.txt" 2>&1)
  t_tf_noop=$(elapsed "$start" "$(now)")
  start=$(now)
  sha256sum "$run"/batch/packages/*.zip >/dev/null
  t_sha=$(elapsed "$start" "$(now)")
  t_floor=$(awk -v a="$t_tf" -v b="$t_sha" 'BEGIN { printf "%.2f", a + b }')

  echo "    T_apply=${t_apply}s floor(T_tf+T_sha)=${t_floor}s T_noop=${t_noop}s T_tf_noop=${t_tf_noop}s provider_peak=${provider_peak}KiB noop_calls=$noop_calls"
  echo "$n,$t_apply,$t_tf,$t_sha,$t_floor,$t_noop,$t_tf_noop,$provider_peak,$emulator_peak,$noop_calls,$n,$total_bytes" >>"$WORK/results.csv"
  rm -rf "$run/batch/packages" "$run/batch/.terraform" # keep logs, drop the bulk
done

go run ./tools/benchchart -in "$WORK/results.csv" -out tools/bench/chart.png
bash tools/bench/report.sh "$WORK/results.csv" "$S" "$PARALLELISM" >tools/bench/results.md
echo "==> Wrote tools/bench/results.md and tools/bench/chart.png"
cat tools/bench/results.md
