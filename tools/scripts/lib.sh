# Shared by tools/scripts/demo.sh, tools/scripts/memcheck.sh,
# tools/scripts/validate-examples.sh and the benchmark (tools/bench/bench.sh):
# build the provider and the emulator into $WORK/bin, start the emulator on a
# free loopback port, and point Terraform at the fresh build through a
# generated CLI configuration (dev_overrides). Source it from the repository
# root after setting WORK.
# shellcheck shell=bash

export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

# build_binaries builds the provider, the emulator and the zip generator.
build_binaries() {
  mkdir -p "$WORK/bin"
  go build -o "$WORK/bin/terraform-provider-mpaas" .
  go build -o "$WORK/bin/mpaas-emulator" ./tools/mpaas-emulator
  go build -o "$WORK/bin/mkpackages" ./tools/mkpackages
}

# start_emulator starts the emulator on a free port with its data, output and
# log under ${EMULATOR_DIR:-$WORK}, waits for its "listening on" line and
# exports the provider's environment. It stops the emulator when the calling
# script exits. Extra arguments go to the emulator.
start_emulator() {
  local access_key_id="local-access-key"
  local access_key_secret="local-secret-$RANDOM$RANDOM"
  local dir=${EMULATOR_DIR:-$WORK}
  mkdir -p "$dir/data"
  "$WORK/bin/mpaas-emulator" -listen 127.0.0.1:0 -data-dir "$dir/data" \
    -access-key-id "$access_key_id" -access-key-secret "$access_key_secret" "$@" \
    >"$dir/emulator.out" 2>"$dir/emulator.log" &
  EMULATOR_PID=$!
  trap 'stop_emulator' EXIT
  local line=""
  for _ in $(seq 1 200); do
    line=$(head -n 1 "$dir/emulator.out" 2>/dev/null || true)
    [[ "$line" == "mpaas-emulator listening on "* ]] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$dir/emulator.log"; echo "the emulator exited" >&2; return 1; }
    sleep 0.05
  done
  [[ "$line" == "mpaas-emulator listening on "* ]] || { cat "$dir/emulator.log"; echo "the emulator did not start" >&2; return 1; }
  EMULATOR_LINE=$line
  export MPAAS_ENDPOINT=${line#mpaas-emulator listening on }
  export ALIBABA_CLOUD_ACCESS_KEY_ID="$access_key_id"
  export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$access_key_secret"
  export MPAAS_APP_ID="ONEXDEMO0000001"
  export MPAAS_WORKSPACE_ID="default"
  export MPAAS_TENANT_ID="DEMOTNT"
}

stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=""
  fi
}

# use_dev_build writes a CLI configuration whose dev_overrides point at
# $WORK/bin; whatever TF_CLI_CONFIG_FILE pointed at before is ignored.
use_dev_build() {
  cat >"$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "mpaas-tf/mpaas" = "$WORK/bin"
  }
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
}

# without_override_warning drops Terraform's dev_overrides warning paragraph.
without_override_warning() {
  awk '/Warning: Provider development overrides are in effect/{skip=1} skip&&/^releases\.$/{skip=0;next} !skip'
}

# peak_rss_kib PID_PATTERN OUTFILE: samples VmHWM of matching processes every
# 50 ms until stopped and writes the highest value (KiB) seen per pattern.
sample_peak_rss() {
  local pattern=$1 out=$2 peak=0 hwm pid
  while true; do
    for pid in $(pgrep -f "$pattern" 2>/dev/null); do
      hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm && echo "$peak" >"$out"
    done
    sleep 0.05
  done
}
