#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free
# loopback port, apply examples/demo through a generated CLI config with
# dev_overrides, print the outputs, prove a second plan is empty, stop.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
demo="$root/.demo"

WORK="$demo"
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh

rm -rf "$demo"
mkdir -p "$demo/work"

echo "==> Building the provider, the emulator and the zip generator"
build_binaries

echo "==> Starting the emulator"
start_emulator
echo "    $EMULATOR_LINE"
use_dev_build

# examples/demo and examples/modules keep their relative layout.
mkdir -p "$demo/work/demo"
cp examples/demo/*.tf "$demo/work/demo/"
cp -r examples/modules "$demo/work/modules" 2>/dev/null || true

echo "==> Building the demo's zip packages (nothing binary is committed)"
packages="$demo/work/demo/packages"
"$demo/bin/mkpackages" -dir "$packages/normal" -ids 12345678 -content "portal v1" >/dev/null
"$demo/bin/mkpackages" -dir "$packages/global" -ids 77777777 -type global -content "shared v1" >/dev/null
if [ -d "$demo/work/modules/batch-import" ]; then
  "$demo/bin/mkpackages" -dir "$packages/batch" -ids 31000001,31000002,31000003 -content "batch v1" >/dev/null
fi
find "$packages" -name '*.zip' -printf '    %P (%s bytes)\n' | sort

cd "$demo/work/demo"
if grep -q '^module ' ./*.tf; then
  # Install the local modules only: the provider comes from dev_overrides.
  terraform get -no-color >"$demo/init.txt" 2>&1 || { cat "$demo/init.txt"; exit 1; }
fi
echo "==> terraform apply"
set +e
terraform apply -auto-approve -input=false -no-color >"$demo/apply.txt" 2>&1
apply_exit=$?
set -e
# Drop the dev_overrides warning box; keep everything else.
without_override_warning <"$demo/apply.txt" | sed -e '/^Outputs:$/,$d' -e '/^$/d'
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
