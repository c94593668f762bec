#!/usr/bin/env bash
# make test-modules: the native test suites of the modules under
# examples/modules (`terraform test`), against the local emulator and a fresh
# build of the provider, then a fresh configuration outside the repository
# that uses examples/modules/release-train from a local path.
#
#   1. Build the provider, the emulator and the zip generator; point Terraform
#      at the build with dev_overrides (tools/scripts/lib.sh).
#   2. Build the packages the suites read (make_packages below); no zip is
#      committed. The suites find them as var.packages and the emulator's
#      store as var.emulator_store, from a tests/terraform.tfvars written into
#      the copy (Terraform and OpenTofu read it alike; an environment variable
#      TF_VAR_packages is an HCL expression to one and a string to the other).
#   3. Start an emulator with an empty data folder; in a copy of
#      examples/modules, run every examples/modules/*/tests/*.tftest.hcl file
#      on its own (`terraform get`, then `terraform test -filter=...`) and
#      compare the emulator's call counts (GET /emulator/stats) before and
#      after it with the counts the file declares in a comment line:
#        # expect-calls: oss:PostObject=4 CreateMcubeNebulaTask=7
#      (every action it names must have been called exactly that often; the
#      teardown at the end of the file counts too).
#   4. The fresh configuration (fresh_configuration below): terraform init
#      from a filesystem mirror, apply stage = "grayscale", a plan to
#      "official" that re-releases only release tasks (in place, the new task
#      before the old ends), apply, an empty plan, a changed zip that replaces
#      one package and re-releases its release, an empty plan.
#   5. The guide's move from batch-import to release-train
#      (moving_between_modules below): its before.tf applied, then its
#      after.tf with the moved blocks; the plan moves every package and adds
#      or destroys none, the apply uploads nothing, the next plan is empty.
#
# MODULE_TEST_CLI=<path to tofu> runs step 3 with OpenTofu instead (make
# test-modules-opentofu) and skips step 4, which is about Terraform's CLI.
# MODULE_TEST_KEEP=1 keeps the work folder and prints its path.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd -P)
cli=${MODULE_TEST_CLI:-terraform}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-test-modules.XXXXXX")
WORK=$(cd "$WORK" && pwd -P)
case "$WORK/" in "$root"/*)
  echo "test-modules: the work folder $WORK is inside the repository; set TMPDIR elsewhere" >&2
  exit 2
  ;;
esac
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh
cleanup() {
  stop_emulator
  if [ "${MODULE_TEST_KEEP:-}" = 1 ]; then echo "test-modules: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# start_emulator_in DIR: an emulator with its data under DIR (start_emulator
# sets its own EXIT trap; cleanup stops it too and removes the work folder).
start_emulator_in() {
  EMULATOR_DIR=$1
  start_emulator -quiet -snapshot-every-write # the suites read state.json (emulator-view)
  trap cleanup EXIT
}
unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_test TF_CLI_ARGS_plan TF_CLI_ARGS_apply

# make_packages DIR: the packages of the suites, deterministic (mkpackages
# writes the same bytes for the same flags).
#   release-train/v1      31000001.zip, 31000002.zip, 31000003/ (a package folder)
#   release-train/v2      the same, except the content of 31000001.zip
#   release-train/window  33000001.zip
#   batch-import/v1       32000001.zip, 32000002.zip, 32000003/
#   batch-import/v2       the same, except the content of 32000002.zip
make_packages() {
  local dir=$1 mk="$WORK/bin/mkpackages"
  "$mk" -dir "$dir/release-train/v1" -ids 31000001,31000002 -content v1 >/dev/null
  package_folder "$dir/release-train/v1/31000003" v1
  "$mk" -dir "$dir/release-train/v2" -ids 31000001 -content v2 >/dev/null
  "$mk" -dir "$dir/release-train/v2" -ids 31000002 -content v1 >/dev/null
  package_folder "$dir/release-train/v2/31000003" v1
  "$mk" -dir "$dir/release-train/window" -ids 33000001 -content v1 >/dev/null
  "$mk" -dir "$dir/batch-import/v1" -ids 32000001,32000002 -content v1 >/dev/null
  package_folder "$dir/batch-import/v1/32000003" v1
  "$mk" -dir "$dir/batch-import/v2" -ids 32000001 -content v1 >/dev/null
  "$mk" -dir "$dir/batch-import/v2" -ids 32000002 -content v2 >/dev/null
  package_folder "$dir/batch-import/v2/32000003" v1
}

# package_folder DIR CONTENT: an <id>/ package folder, zipped by the provider.
package_folder() {
  mkdir -p "$1/www"
  printf '<!doctype html><html><body><h1>%s</h1><p>%s</p></body></html>\n' "$(basename "$1")" "$2" >"$1/www/index.html"
}

stats() { curl -fsS --noproxy '*' "$MPAAS_ENDPOINT/emulator/stats"; }

# count JSON ACTION: the call count of ACTION in a /emulator/stats answer (0 when absent).
count() {
  local n
  n=$(printf '%s' "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p")
  echo "${n:-0}"
}

# expect_calls BEFORE AFTER "ACTION=N ..." WHAT: fails unless each ACTION was
# called exactly N times between the two answers.
expect_calls() {
  local before=$1 after=$2 expected=$3 what=$4 pair action want got bad=0
  for pair in $expected; do
    action=${pair%=*} want=${pair#*=}
    got=$(($(count "$after" "$action") - $(count "$before" "$action")))
    if [ "$got" -ne "$want" ]; then
      echo "FAIL  $what: $action was called $got times, expected $want" >&2
      bad=1
    fi
  done
  [ "$bad" -eq 0 ] && echo "ok    $what: $expected"
  return "$bad"
}

# run_suites: every suite file of every module, each on its own, with its
# call counts checked. Prints one line per file; returns non-zero on a failure.
run_suites() {
  local failed=0 file module name expected before after out
  rm -rf "$WORK/modules"
  cp -R examples/modules "$WORK/modules"
  for tests in "$WORK"/modules/*/tests; do
    printf 'packages       = "%s"\nemulator_store = "%s"\n' "$WORK/packages" "$EMULATOR_DIR/data/state.json" >"$tests/terraform.tfvars"
  done
  for file in "$WORK"/modules/*/tests/*.tftest.hcl; do
    module=$(basename "$(dirname "$(dirname "$file")")")
    name="$module/tests/$(basename "$file")"
    expected=$(sed -n 's/^# expect-calls: *//p' "$file")
    if [ -z "$expected" ]; then
      echo "FAIL  $name has no '# expect-calls: ...' line" >&2
      failed=1
      continue
    fi
    before=$(stats)
    if out=$(cd "$WORK/modules/$module" && "$cli" get -no-color >/dev/null && "$cli" test -no-color -filter="tests/$(basename "$file")" 2>&1); then
      echo "$out" | grep -E '^ *run "|^Success!|^Failure!' | sed "s|^|      |"
    else
      echo "FAIL  $name"
      printf '%s\n' "$out" | without_override_warning | sed 's/^/      /'
      failed=1
      continue
    fi
    after=$(stats)
    expect_calls "$before" "$after" "$expected" "$name" || failed=1
  done
  return "$failed"
}

# relative_path FROM TO: the path of TO relative to FROM (both absolute).
relative_path() {
  local from=$1 to=$2 up=""
  while [ "$from" != / ] && [ "${to#"$from"/}" = "$to" ]; do
    from=$(dirname "$from")
    up="../$up"
  done
  if [ "$from" = / ]; then echo "$up${to#/}"; else echo "$up${to#"$from"/}"; fi
}

# guide_file PATH: the code block that follows "<!-- file: PATH -->" in the guide.
guide_file() {
  awk -v marker="<!-- file: $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$guide"
}

# replace_line FILE OLD NEW: replaces the line OLD of FILE with NEW; fails when FILE has no such line.
replace_line() {
  grep -qxF -- "$2" "$1" || { echo "FAIL  $1 has no line: $2" >&2; return 1; }
  awk -v old="$2" -v new="$3" '$0 == old { print new; next } { print }' "$1" >"$1.new" && mv "$1.new" "$1"
}

# plan_changes FILE: one line per planned change of a resource in a plan's
# text ("<address> must be replaced", "... will be created", ...), sorted;
# data source reads are left out.
plan_changes() {
  sed -n 's/^  # \(.*\)$/\1/p' "$1" | grep -E ' (will|must) be ' | grep -v ' will be read during apply$' | sort
}

# expect_same WHAT GOT WANT
expect_same() {
  if [ "$2" != "$3" ]; then
    printf 'FAIL  %s\n      got:  %s\n      want: %s\n' "$1" "$2" "$3" >&2
    return 1
  fi
  echo "ok    $1"
}

# step NAME COMMAND...: runs COMMAND with its output in $WORK/fresh-NAME.txt, shown on failure.
step() {
  local name=$1
  shift
  "$@" >"$WORK/fresh-$name.txt" 2>&1 || {
    without_override_warning <"$WORK/fresh-$name.txt"
    echo "FAIL  $*" >&2
    return 1
  }
}

# fresh_configuration DIR: the stack of the guide "Compose a release stack"
# (templates/guides/release-stack.md.tmpl), copied into DIR outside the
# repository: its main.tf with the module source changed from GitHub to a
# relative local path, and its ci/release.sh. terraform init installs the
# module and the provider offline, the provider from a filesystem mirror
# holding the fresh build under the version of CHANGELOG.md (as `make install`
# does; the guide's version constraint and ?ref= must match it). Then the
# guide's steps: validate before the build, plan and apply at grayscale,
# "official" (only release tasks re-released, nothing uploaded), an empty plan,
# a changed package (it replaced, its release re-released, one upload), an
# empty plan.
fresh_configuration() {
  local dir=$1 version target before after module
  version=$(make -s --no-print-directory version)
  target="$(go env GOOS)_$(go env GOARCH)"
  guide="$root/templates/guides/release-stack.md.tmpl"
  module=$(relative_path "$dir" "$root/examples/modules/release-train")
  mkdir -p "$WORK/mirror/registry.terraform.io/mpaas-tf/mpaas/$version/$target" "$dir/ci"
  cp "$WORK/bin/terraform-provider-mpaas" "$WORK/mirror/registry.terraform.io/mpaas-tf/mpaas/$version/$target/terraform-provider-mpaas_v$version"
  cat >"$WORK/fresh.terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$WORK/mirror"
    include = ["registry.terraform.io/mpaas-tf/mpaas"]
  }
}
RC
  guide_file main.tf >"$dir/main.tf"
  guide_file ci/release.sh >"$dir/ci/release.sh"
  chmod +x "$dir/ci/release.sh"
  replace_line "$dir/main.tf" "  source = \"github.com/mpaas-tf/terraform-provider-mpaas//examples/modules/release-train?ref=v$version\"" "  source = \"$module\""
  cd "$dir"
  # Any download attempt fails fast instead of succeeding online.
  export TF_CLI_CONFIG_FILE="$WORK/fresh.terraformrc" HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=

  step validate ci/release.sh validate
  echo "ok    ci/release.sh validate before the build: module from $module, mpaas-tf/mpaas $version from the mirror"

  package_folder "$dir/dist/31000001" v1
  package_folder "$dir/dist/31000002" v1
  step plan-grayscale ci/release.sh plan
  expect_same 'ci/release.sh plan at grayscale: two packages, two releases and the whitelist' "$(plan_changes release-plan.txt)" \
    'module.release.module.packages.mpaas_offline_package.this["31000001"] will be created
module.release.module.packages.mpaas_offline_package.this["31000002"] will be created
module.release.mpaas_offline_package_release.this["31000001"] will be created
module.release.mpaas_offline_package_release.this["31000002"] will be created
mpaas_whitelist.qa will be created'
  step apply-grayscale ci/release.sh apply
  expect_same 'ci/release.sh apply at grayscale: versions' "$(terraform output -json versions | tr -d ' \n')" '{"31000001":"0.0.0.1","31000002":"0.0.0.1"}'

  replace_line main.tf '  stage         = "grayscale"' '  stage         = "official"'
  step plan-official ci/release.sh plan
  expect_same 'ci/release.sh plan at official: only the release tasks are re-released (in place)' "$(plan_changes release-plan.txt)" \
    'module.release.mpaas_offline_package_release.this["31000001"] will be updated in-place
module.release.mpaas_offline_package_release.this["31000002"] will be updated in-place'
  before=$(stats)
  step apply-official ci/release.sh apply
  after=$(stats)
  expect_calls "$before" "$after" "oss:PostObject=0 CreateMcubeNebulaResource=0 CreateMcubeNebulaTask=2 ChangeMcubeNebulaTaskStatus=2" 'ci/release.sh apply at official: calls'
  expect_same 'ci/release.sh apply at official: stage' "$(terraform output -raw stage)" official
  step replan-official terraform plan -detailed-exitcode -input=false -no-color
  echo "ok    plan after the promotion: no changes"

  package_folder "$dir/dist/31000001" v2
  step plan-changed ci/release.sh plan
  expect_same 'ci/release.sh plan with 31000001/ changed: its package is replaced, its release re-released in place' "$(plan_changes release-plan.txt)" \
    'module.release.module.packages.mpaas_offline_package.this["31000001"] must be replaced
module.release.mpaas_offline_package_release.this["31000001"] will be updated in-place'
  before=$(stats)
  step apply-changed ci/release.sh apply
  after=$(stats)
  expect_calls "$before" "$after" "oss:PostObject=1 CreateMcubeNebulaResource=1 CreateMcubeNebulaTask=1 ChangeMcubeNebulaTaskStatus=1" 'ci/release.sh apply with 31000001/ changed: calls'
  expect_same 'ci/release.sh apply with 31000001/ changed: versions' "$(terraform output -json versions | tr -d ' \n')" '{"31000001":"0.0.0.2","31000002":"0.0.0.1"}'
  step replan-changed terraform plan -detailed-exitcode -input=false -no-color
  echo "ok    plan after the new version: no changes"
  cd "$root"
}

# guide_file_without_moved PATH: guide_file PATH without its moved blocks.
guide_file_without_moved() {
  guide_file "$1" | awk '/^moved \{/ { skip = 1 } !skip { print } skip && /^\}/ { skip = 0 }'
}

# moving_between_modules DIR CALL IDS: the guide's move from batch-import to
# release-train (templates/guides/release-stack.md.tmpl, "From batch-import
# to release-train"): its before.tf, with the batch-import call named CALL,
# applied to package folders IDS; then its after.tf with the moved block for
# that name (after.tf's own when CALL is "release", moved-call.tf's
# otherwise). The plan must move every package, add and destroy none, and
# create only the release tasks; its apply uploads nothing; the next plan is
# empty. Module sources become local paths; the provider is the dev build.
moving_between_modules() {
  local dir=$1 call=$2 ids=$3 id before after moved
  guide="$root/templates/guides/release-stack.md.tmpl"
  mkdir -p "$dir"
  cd "$dir"
  printf 'terraform {\n  required_providers {\n    mpaas = { source = "mpaas-tf/mpaas" }\n  }\n}\n\nprovider "mpaas" {}\n' >providers.tf
  for id in $ids; do package_folder "$dir/dist/$id" v1; done
  guide_file before.tf >main.tf
  replace_line main.tf '  source = "github.com/mpaas-tf/terraform-provider-mpaas//examples/modules/batch-import?ref=v0.1.0"' \
    "  source = \"$(relative_path "$dir" "$root/examples/modules/batch-import")\""
  replace_line main.tf 'module "release" {' "module \"$call\" {"
  step move-get-before terraform get -no-color
  step move-apply-before terraform apply -auto-approve -input=false -no-color
  expect_same "moved from batch-import ($call): packages applied" "$(terraform state list | grep -c 'mpaas_offline_package\.this\[')" "$(echo "$ids" | wc -w)"

  if [ "$call" = release ]; then guide_file after.tf >main.tf; else guide_file_without_moved after.tf >main.tf && guide_file moved-call.tf >moved.tf; fi
  replace_line main.tf '  source = "github.com/mpaas-tf/terraform-provider-mpaas//examples/modules/release-train?ref=v0.1.0"' \
    "  source = \"$(relative_path "$dir" "$root/examples/modules/release-train")\""
  step move-get-after terraform get -no-color
  step move-plan terraform plan -out=move.tfplan -input=false -no-color
  expect_same "moved from batch-import ($call) to release-train: the plan creates only release tasks" \
    "$(plan_changes "$WORK/fresh-move-plan.txt" | sed 's/\["[0-9]*"\]/[ID]/' | sort -u)" \
    'module.release.mpaas_offline_package_release.this[ID] will be created'
  expect_same "moved from batch-import ($call) to release-train: packages moved" \
    "$(grep -c ' has moved to module\.release\.module\.packages\.mpaas_offline_package\.this\[' "$WORK/fresh-move-plan.txt")" "$(echo "$ids" | wc -w)"
  grep -q "^Plan: $(echo "$ids" | wc -w) to add, 0 to change, 0 to destroy\.$" "$WORK/fresh-move-plan.txt" ||
    { echo "FAIL  moved from batch-import ($call): $(grep '^Plan:' "$WORK/fresh-move-plan.txt")" >&2; return 1; }
  before=$(stats)
  step move-apply terraform apply -input=false -no-color move.tfplan
  after=$(stats)
  expect_calls "$before" "$after" "oss:PostObject=0 CreateMcubeNebulaResource=0 CreateMcubeNebulaTask=$(echo "$ids" | wc -w)" "moved from batch-import ($call) to release-train: apply calls"
  step move-replan terraform plan -detailed-exitcode -input=false -no-color
  echo "ok    moved from batch-import ($call): plan after the move: no changes"
  cd "$root"
}

echo "==> Building the provider, the emulator and the zip generator"
build_binaries
use_dev_build
make_packages "$WORK/packages"

echo "==> Module suites with $("$cli" version | head -n 1)"
start_emulator_in "$WORK/emulator"
run_suites || { echo "test-modules: a suite failed" >&2; exit 1; }
stop_emulator
if [ "$cli" != terraform ]; then
  echo "test-modules: every suite passed with $cli"
  exit 0
fi

echo "==> The guide's release stack, outside the repository, uses release-train from a local path"
start_emulator_in "$WORK/emulator-fresh"
fresh_configuration "$WORK/fresh"
stop_emulator

echo "==> The guide's move from batch-import to release-train: moved blocks, no upload"
start_emulator_in "$WORK/emulator-move"
(export TF_CLI_CONFIG_FILE="$WORK/terraformrc"; moving_between_modules "$WORK/move-same-name" release "35000001 35000002")
(export TF_CLI_CONFIG_FILE="$WORK/terraformrc"; moving_between_modules "$WORK/move-renamed" packages "35000011")
stop_emulator
echo "test-modules: every suite passed; the guide's stack applied grayscale, then official (release tasks re-released only), then planned no change; the guide's moved blocks took batch-import to release-train without an upload"
