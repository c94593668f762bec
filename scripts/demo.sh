#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free
# loopback port, apply examples/demo through a generated CLI config with
# dev_overrides, print the outputs, prove a second plan is empty, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo="$root/.demo"
export CHECKPOINT_DISABLE=1

rm -rf "$demo"
mkdir -p "$demo/bin" "$demo/data" "$demo/work"

echo "==> Building the provider and the emulator"
go build -o "$demo/bin/terraform-provider-mpaas" .
go build -o "$demo/bin/mpaas-emulator" ./tools/mpaas-emulator

access_key_id="demo-access-key"
access_key_secret="demo-secret-$RANDOM$RANDOM"

echo "==> Starting the emulator"
"$demo/bin/mpaas-emulator" -listen 127.0.0.1:0 -data-dir "$demo/data" \
  -access-key-id "$access_key_id" -access-key-secret "$access_key_secret" \
  >"$demo/emulator.out" 2>"$demo/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true' EXIT

endpoint=""
for _ in $(seq 1 100); do
  line=$(head -n 1 "$demo/emulator.out" 2>/dev/null || true)
  if [[ "$line" == "mpaas-emulator listening on "* ]]; then
    endpoint=${line#mpaas-emulator listening on }
    break
  fi
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$demo/emulator.log"; echo "the emulator exited"; exit 1; }
  sleep 0.1
done
[ -n "$endpoint" ] || { cat "$demo/emulator.log"; echo "the emulator did not start"; exit 1; }
echo "    $line"

# Our own CLI config: whatever TF_CLI_CONFIG_FILE pointed at is ignored.
cat >"$demo/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "mpaas-tf/mpaas" = "$demo/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$demo/terraformrc"
export TF_IN_AUTOMATION=1
export MPAAS_ENDPOINT="$endpoint"
export ALIBABA_CLOUD_ACCESS_KEY_ID="$access_key_id"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$access_key_secret"
export MPAAS_APP_ID="ONEXDEMO0000001"
export MPAAS_WORKSPACE_ID="default"
export MPAAS_TENANT_ID="DEMOTNT"

# examples/demo and examples/modules keep their relative layout.
mkdir -p "$demo/work/demo"
cp examples/demo/*.tf "$demo/work/demo/"
cp -r examples/modules "$demo/work/modules" 2>/dev/null || true

echo "==> Building the demo's zip packages (nothing binary is committed)"
go build -o "$demo/bin/mkpackages" ./tools/mkpackages
packages="$demo/work/demo/packages"
"$demo/bin/mkpackages" -dir "$packages/normal" -ids 12345678 -content "portal v1" >/dev/null
"$demo/bin/mkpackages" -dir "$packages/global" -ids 77777777 -type global -content "shared v1" >/dev/null
if [ -d "$demo/work/modules/batch-import" ]; then
  "$demo/bin/mkpackages" -dir "$packages/batch" -ids 31000001,31000002,31000003 -content "batch v1" >/dev/null
fi
ls -l "$packages"/*/ | sed 's/^/    /'

cd "$demo/work/demo"
if grep -q '^module ' ./*.tf; then
  terraform init -input=false -no-color >"$demo/init.txt" 2>&1 || { cat "$demo/init.txt"; exit 1; }
fi
echo "==> terraform apply"
set +e
terraform apply -auto-approve -input=false -no-color >"$demo/apply.txt" 2>&1
apply_exit=$?
set -e
# Drop the dev_overrides warning box; keep everything else.
awk '/Warning: Provider development overrides are in effect/{skip=1} skip&&/^releases\.$/{skip=0;next} !skip' "$demo/apply.txt" | sed -e '/^Outputs:$/,$d' -e '/^$/d'
[ "$apply_exit" -eq 0 ] || { echo "terraform apply failed (exit $apply_exit)"; exit 1; }

echo "==> terraform output"
terraform output -no-color

echo "==> Second terraform plan (must be empty)"
set +e
terraform plan -detailed-exitcode -input=false -no-color >"$demo/second-plan.txt" 2>&1
plan_exit=$?
set -e
if [ "$plan_exit" -eq 0 ]; then
  echo "    No changes. The second plan is empty."
else
  cat "$demo/second-plan.txt"
  echo "    The second plan is NOT empty (exit $plan_exit)."
  exit 1
fi
