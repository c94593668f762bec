#!/usr/bin/env bash
# make split-pipeline-check: a release pipeline whose plan job and apply job
# run on different runners, each building its own zip, outside the
# repository, with the terraform CLI against a local emulator.
#
#   1. A first release (an H5App, a package, an official release task),
#      applied from the plan job's folder. The state moves between the jobs'
#      folders with the plan (copied), as a remote backend would share it; the
#      provider comes from the fresh build (dev_overrides, so no init).
#   2. The plan job builds the next version's zip (deflate level 9) and runs
#      `terraform plan -out=tfplan`.
#   3. The apply job, in another folder, builds the zip again from the same files (stored, no compression, other file times and
#      entry order: other bytes), and applies the plan job's tfplan.
#   4. `terraform plan -detailed-exitcode` in the apply job's folder is empty;
#      the emulator holds exactly one new version, uploaded once, and an
#      Android client receives it.
#   5. The plan job plans again; the apply job builds other content; the apply
#      of that saved plan fails, nothing is uploaded, and the client still
#      receives the version it had.
#
# SPLIT_PIPELINE_KEEP=1 keeps the work folder and prints its path.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd -P)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-split-pipeline.XXXXXX")
WORK=$(cd "$WORK" && pwd -P)
case "$WORK/" in "$root"/*)
  echo "split-pipeline-check: the work folder $WORK is inside the repository; set TMPDIR elsewhere" >&2
  exit 2
  ;;
esac
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh
cleanup() {
  stop_emulator
  if [ "${SPLIT_PIPELINE_KEEP:-}" = 1 ]; then echo "split-pipeline-check: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_init

h5app=30090001

# build_zip DIR PAGE LEVEL ORDER: dist/<h5app>.zip in DIR with the portal's
# files for PAGE, at deflate LEVEL (0 stores), entries in ORDER (sorted or
# reversed), stamped with the current time: the same files give other bytes.
build_zip() {
  python3 - "$1/dist/$h5app.zip" "$h5app" "$2" "$3" "$4" <<'PY'
import os, sys, time, zipfile
path, h5app, page, level, order = sys.argv[1:]
files = {f"{h5app}/www/index.html": f"<html>{page}</html>", f"{h5app}/www/app.js": "let portal = 1;\n" * 200}
names = sorted(files, reverse=(order == "reversed"))
os.makedirs(os.path.dirname(path), exist_ok=True)
method = zipfile.ZIP_STORED if level == "0" else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(path, "w", compression=method, compresslevel=None if level == "0" else int(level)) as z:
    for name in names:
        info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = method
        z.writestr(info, files[name])
PY
}

# job DIR: a runner's folder with the configuration.
job() {
  mkdir -p "$1"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}

provider "mpaas" {}

resource "mpaas_h5app" "portal" {
  h5app_id      = "$h5app"
  name          = "Portal"
  force_destroy = true
}

resource "mpaas_offline_package" "portal" {
  h5app_id      = mpaas_h5app.portal.id
  resource_type = "normal"
  source        = "dist/$h5app.zip"
  android       = { min_version = "10.1.0" }
  main_url      = "/www/index.html"
}

resource "mpaas_offline_package_release" "portal" {
  package_id = mpaas_offline_package.portal.id
  memo       = "Portal"
  type       = "official"
}

output "version" {
  value = mpaas_offline_package.portal.version
}
TF
}

# hand_over FROM TO: the plan and the state go to the next job, as CI artifacts and a backend would carry them.
hand_over() {
  cp "$1/tfplan" "$2/tfplan"
  cp "$1/terraform.tfstate" "$2/terraform.tfstate"
}

# tf DIR NAME ARGS...: terraform ARGS in DIR, output in DIR/NAME.txt; returns its exit code.
tf() {
  local dir=$1 name=$2
  shift 2
  local code=0
  local command=$1
  shift
  (cd "$dir" && terraform "$command" -input=false -no-color "$@" >"$dir/$name.txt" 2>&1) || code=$?
  return "$code"
}

# delivered: the version an Android 10.1.0 client of the portal receives, or the emulator's reason.
delivered() {
  curl -fsS --noproxy '*' "$MPAAS_ENDPOINT/emulator/delivery?app_id=$MPAAS_APP_ID&workspace_id=$MPAAS_WORKSPACE_ID&tenant_id=$MPAAS_TENANT_ID&platform=android&client_version=10.1.0&h5app_id=$h5app" |
    python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["Deliveries"][0]["H5Version"] if a.get("Deliveries") else "nothing: " + json.dumps(a.get("Skipped")))'
}

calls() { curl -fsS --noproxy '*' "$MPAAS_ENDPOINT/emulator/stats"; }
count() {
  local n
  n=$(printf '%s' "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p")
  echo "${n:-0}"
}

fail() {
  echo "FAIL  $1" >&2
  [ -z "${2:-}" ] || without_override_warning <"$2" >&2
  exit 1
}

echo "==> Building the provider and the emulator"
build_binaries
use_dev_build
start_emulator -quiet
plan_job=$WORK/plan-job apply_job=$WORK/apply-job
job "$plan_job"
job "$apply_job"

build_zip "$plan_job" v1 9 sorted
tf "$plan_job" apply-v1 apply -auto-approve || fail "first release" "$plan_job/apply-v1.txt"
[ "$(delivered)" = 0.0.0.1 ] || fail "after the first release a client receives $(delivered), want 0.0.0.1"
echo "ok    first release: 0.0.0.1 delivered"

build_zip "$plan_job" v2 9 sorted
tf "$plan_job" plan-v2 plan -out=tfplan || fail "plan job" "$plan_job/plan-v2.txt"
grep -q "Plan: 1 to add, 1 to change, 1 to destroy." "$plan_job/plan-v2.txt" || fail "plan job: want one new version and one re-release" "$plan_job/plan-v2.txt"
hand_over "$plan_job" "$apply_job"
sleep 1 # other file times
build_zip "$apply_job" v2 0 reversed
cmp -s "$plan_job/dist/$h5app.zip" "$apply_job/dist/$h5app.zip" && fail "the apply job's zip has the plan job's bytes; the check needs other bytes"
before=$(calls)
tf "$apply_job" apply-v2 apply tfplan || fail "apply job: the saved plan with a rebuilt zip" "$apply_job/apply-v2.txt"
after=$(calls)
uploads=$(($(count "$after" oss:PostObject) - $(count "$before" oss:PostObject)))
created=$(($(count "$after" CreateMcubeNebulaResource) - $(count "$before" CreateMcubeNebulaResource)))
[ "$uploads" = 1 ] && [ "$created" = 1 ] || fail "apply job: $uploads uploads and $created packages created, want 1 and 1"
[ "$(delivered)" = 0.0.0.2 ] || fail "after the apply job a client receives $(delivered), want 0.0.0.2"
echo "ok    apply job: the saved plan applied with a zip rebuilt from the same files (other bytes): 1 upload, 0.0.0.2 delivered"
tf "$apply_job" replan plan -detailed-exitcode || fail "re-plan in the apply job is not empty" "$apply_job/replan.txt"
echo "ok    re-plan: no changes"

build_zip "$plan_job" v3 9 sorted
cp "$apply_job/terraform.tfstate" "$plan_job/terraform.tfstate"
tf "$plan_job" plan-v3 plan -out=tfplan || fail "plan job (v3)" "$plan_job/plan-v3.txt"
hand_over "$plan_job" "$apply_job"
build_zip "$apply_job" "v3, edited after the review" 9 sorted
before=$(calls)
if tf "$apply_job" apply-v3 apply tfplan; then fail "the saved plan applied other content than it reviewed" "$apply_job/apply-v3.txt"; fi
grep -q "content_sha256" "$apply_job/apply-v3.txt" || fail "the refusal does not name content_sha256" "$apply_job/apply-v3.txt"
after=$(calls)
[ "$(count "$after" oss:PostObject)" = "$(count "$before" oss:PostObject)" ] || fail "other content was uploaded"
[ "$(delivered)" = 0.0.0.2 ] || fail "after the refused apply a client receives $(delivered), want 0.0.0.2"
echo "ok    other content than the plan reviewed: refused on content_sha256, nothing uploaded, 0.0.0.2 still delivered"
echo "split-pipeline-check: plan and apply on separate runners release exactly what was reviewed"
