#!/usr/bin/env bash
# make bench / make bench-large: the provider against the floor, in one run, on
# the same generated zips (see tools/bench/results.md for what the figures mean).
#
#   bash tools/bench/bench.sh [[near:|far:]SIZE...]   default: a far:c
#                                                     all: a b far:c far:b
#
#   a  100 x 3 MB, the batch data source (examples/modules/batch-import)
#   b  1,000 x 100 KB, mpaas_offline_package for_each over the folder with
#      create_h5app_if_missing, spread over B_APPS H5Apps (default 1000; 100
#      gives 10 versions per H5App, one resource each)
#   c  100 x 100 KB, as b: 100 new packages in 100 new H5Apps
#
# Two modes. near (the default, or near:SIZE): the servers answer on
# loopback at once, so CPU decides; far (far:SIZE): BENCH_LATENCY (100ms)
# is added to every request of the emulator (its -fault-latency) and of the
# floor's sink (-latency), as a service 100 ms away, where the number of
# sequential round trips decides; the floor then makes the minimal
# protocol's three round trips per create (FLOOR_ROUND_TRIPS=3: grant,
# upload, register). Far mode leaves out the terraform_data reference.
#
# Three systems run against each size, phase by phase in turn:
#   mpaas    this provider against the emulator (tools/mpaas-emulator)
#   floor    tools/bench/floor: for_each over fileset(), Create streams the file
#            through SHA-256 into one POST to a sink that discards it, Read is
#            one GET; terraform-plugin-framework, nothing else
#   tfdata   terraform_data with the floor's for_each: Terraform alone, no
#            plugin (reference: Terraform's own share)
# and two phases: apply from an empty state, then a no-op plan (which must be
# empty). Each Terraform command runs under tools/bench/rusage: wall time, CPU
# seconds of Terraform and its plugins (rusage of the reaped tree), the
# server's CPU seconds (/proc, the emulator or the sink), the provider's peak
# RSS (VmHWM sampled every 50 ms), and the server's request counts.
#
# Writes tools/bench/data/<size>.csv (b-<B_APPS>apps.csv for another B_APPS),
# kept in git so the page shows every size as last measured, then renders
# tools/bench/results.md (with the hand-written tools/bench/analysis.md) and
# tools/bench/chart.png.
# Environment: PARALLELISM (10), B_APPS (1000), BENCH_TF_DATA (1: include the
# terraform_data reference), BENCH_PROFILE (0; 1: one more apply and no-op plan
# of the provider with MPAAS_CPU_PROFILE/MPAAS_MEM_PROFILE, top entries into
# tools/bench/data/), BENCH_MEMCHECK (1: with size a, make memcheck's 300 MB
# upload), BENCH_HASH_CACHE (1: MPAAS_HASH_CACHE_DIR, so the batch's no-op plan
# recalls digests from disk), BENCH_LATENCY (100ms: far mode's latency),
# BENCH_SOURCE (a source tree to build the provider and the emulator from
# instead of this one: a baseline, such as a git archive of main) and
# BENCH_LABEL (with BENCH_SOURCE: the data go to tools/bench/data/<label>/,
# shown on the page as that baseline). Run by hand, not by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
WORK="$root/tools/bench/out"
DATA="$root/tools/bench/data"
PARALLELISM=${PARALLELISM:-10}
B_APPS=${B_APPS:-1000}
BENCH_TF_DATA=${BENCH_TF_DATA:-1}
BENCH_PROFILE=${BENCH_PROFILE:-0}
BENCH_MEMCHECK=${BENCH_MEMCHECK:-1}
BENCH_HASH_CACHE=${BENCH_HASH_CACHE:-1}
BENCH_LATENCY=${BENCH_LATENCY:-100ms}
BENCH_SOURCE=${BENCH_SOURCE:-}
BENCH_LABEL=${BENCH_LABEL:-}
[ -n "$BENCH_LABEL" ] && DATA="$DATA/$BENCH_LABEL" && WORK="$WORK/$BENCH_LABEL"
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh

runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(a far:c)
[ "${runs[*]}" = "all" ] && runs=(a b far:c far:b)
for run_spec in "${runs[@]}"; do
  case $run_spec in a | b | c | near:[abc] | far:[abc]) ;; *) echo "unknown run $run_spec ([near:|far:]a, b or c, or all)" >&2; exit 2 ;; esac
done
# latency_ms: BENCH_LATENCY in milliseconds (a Go duration such as 100ms or 0.2s).
latency_ms=$(awk -v d="$BENCH_LATENCY" 'BEGIN { v = d + 0; if (d ~ /ms$/) print v; else if (d ~ /s$/) print v * 1000; else print v }')

mkdir -p "$WORK" "$DATA"
echo "==> Building"
if [ -n "$BENCH_SOURCE" ]; then
  (cd "$BENCH_SOURCE" && build_binaries)
else
  build_binaries
fi
(cd tools/bench/floor && go build -o "$WORK/bin/terraform-provider-floor" . && go build -o "$WORK/bin/floor-sink" ./sink)
go build -o "$WORK/bin/rusage" ./tools/bench/rusage
cat >"$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "mpaas-tf/mpaas" = "$WORK/bin"
    "mpaas-tf/floor" = "$WORK/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$WORK/terraformrc"

SINK_PID=""
start_sink() {
  "$WORK/bin/floor-sink" -listen 127.0.0.1:0 "${@:2}" >"$1/sink.out" 2>"$1/sink.log" &
  SINK_PID=$!
  local line=""
  for _ in $(seq 1 200); do
    line=$(head -n 1 "$1/sink.out" 2>/dev/null || true)
    [[ "$line" == "floor sink listening on "* ]] && break
    sleep 0.05
  done
  [[ "$line" == "floor sink listening on "* ]] || { cat "$1/sink.log"; echo "the sink did not start" >&2; return 1; }
  export FLOOR_SINK_URL=${line#floor sink listening on }
}
stop_servers() {
  stop_emulator
  if [ -n "$SINK_PID" ]; then
    kill "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
    SINK_PID=""
  fi
}
trap stop_servers EXIT

# start_servers RUN MODE: the emulator and the sink, stopped on exit
# (start_emulator sets its own trap, so ours is set again after it); in far
# mode both wait BENCH_LATENCY before each request.
start_servers() {
  if [ "$2" = far ]; then
    EMULATOR_DIR=$1/emulator start_emulator -quiet -fault-latency "$BENCH_LATENCY"
    start_sink "$1" -latency "$BENCH_LATENCY"
    export FLOOR_ROUND_TRIPS=3
  else
    EMULATOR_DIR=$1/emulator start_emulator -quiet
    start_sink "$1"
    unset FLOOR_ROUND_TRIPS
  fi
  trap stop_servers EXIT
}

# write_packages SIZE DIR: the zips both providers take in.
write_packages() {
  local size=$1 dir=$2 ids
  if [ "$size" = a ]; then
    ids=$(seq -f '%.0f' 41000001 41000100 | paste -sd, -)
    "$WORK/bin/mkpackages" -dir "$dir" -ids "$ids" -size 3000000 -seed 100 >/dev/null
    return
  fi
  local total=1000 apps=$B_APPS
  [ "$size" = c ] && total=100 apps=100
  ids=$(seq -f '%.0f' 41000001 $((41000000 + apps)) | paste -sd, -)
  for version in $(seq 1 $((total / apps))); do
    "$WORK/bin/mkpackages" -dir "$dir/v$version" -ids "$ids" -size 100000 \
      -seed $((version * 100000)) -content "v$version" >/dev/null
  done
}

write_configs() {
  local size=$1 run=$2
  mkdir -p "$run/mpaas" "$run/floor" "$run/tfdata"
  if [ "$size" = a ]; then
    cat >"$run/mpaas/main.tf" <<TF
terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}
provider "mpaas" {}
module "batch" {
  source    = "$root/examples/modules/batch-import"
  directory = "$run/packages"
  defaults  = { android = { min_version = "10.1.0" } }
}
TF
  else
    cat >"$run/mpaas/main.tf" <<TF
terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}
provider "mpaas" {}
resource "mpaas_offline_package" "package" {
  for_each                = fileset("$run/packages", "**/*.zip")
  h5app_id                = trimsuffix(basename(each.value), ".zip")
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "$run/packages/\${each.value}"
  android                 = { min_version = "10.1.0" }
}
TF
  fi
  cat >"$run/floor/main.tf" <<TF
terraform {
  required_providers {
    floor = { source = "mpaas-tf/floor" }
  }
}
provider "floor" {}
resource "floor_file" "package" {
  for_each = fileset("$run/packages", "**/*.zip")
  source   = "$run/packages/\${each.value}"
}
TF
  cat >"$run/tfdata/main.tf" <<TF
resource "terraform_data" "package" {
  for_each = fileset("$run/packages", "**/*.zip")
  input    = "$run/packages/\${each.value}"
}
TF
}

# server_stats SYSTEM: the server's request counts as a JSON object.
server_stats() {
  case $1 in
    mpaas) curl -fsS "$MPAAS_ENDPOINT/emulator/stats" ;;
    floor) curl -fsS "$FLOOR_SINK_URL/stats" ;;
    *) echo '{}' ;;
  esac
}

# measure SYSTEM PHASE DIR OUT: one Terraform command under rusage; OUT gets
# rusage's KEY=VALUE lines plus the server's counts during the command.
measure() {
  local system=$1 phase=$2 dir=$3 out=$4 server_pid="" watch=() before after
  case $system in
    mpaas) server_pid=$EMULATOR_PID watch=(-watch "provider=$WORK/bin/terraform-provider-mpaas") ;;
    floor) server_pid=$SINK_PID watch=(-watch "provider=$WORK/bin/terraform-provider-floor") ;;
  esac
  local args=(-input=false -no-color -parallelism="$PARALLELISM")
  case $phase in
    apply) args=(apply -auto-approve "${args[@]}") ;;
    noop) args=(plan -detailed-exitcode "${args[@]}") ;;
  esac
  before=$(server_stats "$system")
  set +e
  (cd "$dir" && "$WORK/bin/rusage" -out "$out" ${server_pid:+-server-pid "$server_pid"} "${watch[@]}" -- \
    terraform "${args[@]}" >"$out.log" 2>&1)
  local status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    tail -40 "$out.log"
    [ "$phase" = noop ] && [ "$status" -eq 2 ] && echo "$system: the plan after the apply is not empty" >&2
    echo "$system $phase failed (exit $status)" >&2
    exit 1
  fi
  after=$(server_stats "$system")
  jq -r -n --argjson a "$before" --argjson b "$after" '
    ($b | with_entries(.value -= ($a[.key] // 0)) | with_entries(select(.value > 0))) as $d
    | "calls=" + ($d | to_entries | map("\(.key):\(.value)") | join(";")),
      "api_calls=" + ($d | to_entries | map(select(.key != "bytes" and (.key | startswith("oss:") | not) and (.key | startswith("signature:") | not) and .key != "download" and .key != "post")) | map(.value) | add // 0 | tostring),
      "requests=" + ($d | to_entries | map(select(.key != "bytes" and (.key | startswith("signature:") | not) and .key != "download")) | map(.value) | add // 0 | tostring),
      "uploads=" + (($d["oss:PostObject"] // $d.post // 0) | tostring),
      "list_calls=" + (($d.ListMcubeNebulaResources // 0) | tostring)' >>"$out"
}

field() { awk -F= -v k="$1" '$1 == k { print $2 }' "$2"; }

# profile_provider KEY RUN: one more apply and no-op plan of the provider, from an
# empty emulator and state, with CPU and heap profiles; top entries to $DATA.
profile_provider() {
  local key=$1 run=$2 phase
  echo "    profiling the provider (apply and no-op plan)"
  rm -rf "$run/profile"
  mkdir -p "$run/profile"
  cp -r "$run/mpaas/main.tf" "$run/profile/"
  [ -d "$run/mpaas/.terraform" ] && cp -r "$run/mpaas/.terraform" "$run/profile/"
  EMULATOR_DIR=$run/profile/emulator start_emulator -quiet
  trap stop_servers EXIT
  [ "$BENCH_HASH_CACHE" = 1 ] && export MPAAS_HASH_CACHE_DIR="$run/profile/hash-cache"
  for phase in apply noop; do
    MPAAS_CPU_PROFILE="$run/profile/$phase" MPAAS_MEM_PROFILE="$run/profile/$phase" \
      measure mpaas "$phase" "$run/profile" "$run/profile/$phase.txt"
    local bin="$WORK/bin/terraform-provider-mpaas" prefix="$DATA/profile-$key-$phase"
    go tool pprof -top -nodecount=10 "$bin" "$run/profile/$phase"/cpu-*.pprof >"$prefix-cpu-flat.txt" 2>/dev/null
    go tool pprof -top -cum -nodecount=10 "$bin" "$run/profile/$phase"/cpu-*.pprof >"$prefix-cpu-cum.txt" 2>/dev/null
    go tool pprof -top -sample_index=alloc_space -nodecount=10 "$bin" "$run/profile/$phase"/heap-*.pprof >"$prefix-alloc.txt" 2>/dev/null
    {
      echo "size=$key phase=$phase date=$(date -u +%Y-%m-%dT%H:%MZ) load1=$(cut -d' ' -f1 /proc/loadavg)"
      cat "$run/profile/$phase.txt"
    } >"$prefix-run.txt"
  done
  stop_emulator
}

header="size,n,apps,bytes,system,phase,wall_s,cpu_s,user_s,sys_s,server_cpu_s,provider_peak_kib,provider_procs,provider_cpu_s,api_calls,uploads,list_calls,calls,date,load1,mode,latency_ms,requests"

sizes=()
for run_spec in "${runs[@]}"; do
  mode=near size=${run_spec#*:}
  [[ "$run_spec" == far:* ]] && mode=far
  sizes+=("$size")
  # The data file (and profile) key: b with another B_APPS is kept apart,
  # far mode is far-<size>.
  key=$size
  [ "$size" = b ] && [ "$B_APPS" != 1000 ] && key="b-${B_APPS}apps"
  [ "$mode" = far ] && key="far-$key"
  run="$WORK/$key"
  rm -rf "$run"
  mkdir -p "$run"
  case $size in
    a | c) n=100 apps=100 ;;
    b) n=1000 apps=$B_APPS ;;
  esac
  if [ "$size" = b ] && [ $((1000 % B_APPS)) -ne 0 ]; then
    echo "B_APPS=$B_APPS does not divide 1000" >&2
    exit 2
  fi
  echo "==> Size $size, $mode: $n packages over $apps H5Apps$([ "$mode" = far ] && echo ", $BENCH_LATENCY added to every request")"
  write_packages "$size" "$run/packages"
  bytes=$(find "$run/packages" -name '*.zip' -printf '%s\n' | awk '{ s += $1 } END { print s }')
  write_configs "$size" "$run"
  if [ "$BENCH_HASH_CACHE" = 1 ]; then
    export MPAAS_HASH_CACHE_DIR="$run/hash-cache"
  else
    unset MPAAS_HASH_CACHE_DIR
  fi
  [ "$size" = a ] && (cd "$run/mpaas" && terraform get -no-color >/dev/null)
  start_servers "$run" "$mode"
  systems=(mpaas floor)
  [ "$BENCH_TF_DATA" = 1 ] && [ "$mode" = near ] && systems+=(tfdata)
  run_latency=0
  [ "$mode" = far ] && run_latency=$latency_ms
  load1=$(cut -d' ' -f1 /proc/loadavg)
  csv="$run/results.csv"
  echo "$header" >"$csv"
  for phase in apply noop; do
    for system in "${systems[@]}"; do
      out="$run/$system-$phase.txt"
      measure "$system" "$phase" "$run/$system" "$out"
      printf '    %-6s %-5s wall %7s s  cpu %7s s  server cpu %6s s  provider peak %6s KiB  requests %s (%s)\n' "$system" "$phase" \
        "$(field wall_s "$out")" "$(field cpu_s "$out")" "$(field server_cpu_s "$out")" "$(field provider_peak_kib "$out")" "$(field requests "$out")" "$(field calls "$out")"
      echo "$size,$n,$apps,$bytes,$system,$phase,$(field wall_s "$out"),$(field cpu_s "$out"),$(field user_s "$out"),$(field sys_s "$out"),$(field server_cpu_s "$out"),$(field provider_peak_kib "$out"),$(field provider_procs "$out"),$(field provider_cpu_s "$out"),$(field api_calls "$out"),$(field uploads "$out"),$(field list_calls "$out"),$(field calls "$out"),$(date -u +%Y-%m-%dT%H:%MZ),$load1,$mode,$run_latency,$(field requests "$out")" >>"$csv"
    done
  done
  stop_servers
  [ "$BENCH_PROFILE" = 1 ] && [ "$mode" = near ] && profile_provider "$key" "$run"
  cp "$csv" "$DATA/$key.csv"
  rm -rf "$run/packages" # keep logs, drop the bulk
done

if [ "$BENCH_MEMCHECK" = 1 ] && [[ " ${sizes[*]} " == *" a "* ]]; then
  echo "==> make memcheck (one 300 MB zip)"
  LIMIT_MIB=1000000 bash tools/scripts/memcheck.sh | tee "$WORK/memcheck.txt"
  kib=$(awk '/^provider peak RSS:/ { print $4 }' "$WORK/memcheck.txt")
  printf 'date,size_bytes,provider_peak_kib\n%s,%s,%s\n' "$(date -u +%Y-%m-%d)" \
    "$(awk '/^zip size:/ { print $3 }' "$WORK/memcheck.txt")" "$kib" >"$DATA/memcheck.csv"
fi

if [ -n "$BENCH_LABEL" ]; then
  echo "==> Wrote $DATA (baseline $BENCH_LABEL); make bench renders it beside the latest run"
  exit 0
fi
go run ./tools/benchchart -data "$DATA" -out tools/bench/chart.png
bash tools/bench/report.sh "$DATA" "$PARALLELISM" >tools/bench/results.md
echo "==> Wrote tools/bench/results.md and tools/bench/chart.png"
cat tools/bench/results.md
