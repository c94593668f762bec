#!/usr/bin/env bash
# make testacc-live: the portable acceptance tests (TestAccPortable_* in
# internal/provider) against the live mPaaS service instead of the emulator,
# with the reserved H5App IDs 39990000-39999999 swept before and after
# (CONTRIBUTING.md, "The live suite"). Always compiles the suite. Without
# MPAAS_LIVE=1 and the provider's credentials and IDs in the environment it
# stops there with one line; LIVE_PLAN=1 lists what it would create, without
# calling the API.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CHECKPOINT_DISABLE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/provider.test" ./internal/provider
suite() { (cd internal/provider && "$work/provider.test" "$@"); }

if [[ "${LIVE_PLAN:-}" == 1 ]]; then
  suite -test.run '^TestLivePlan$' -live.plan
  exit 0
fi

missing=()
[[ "${MPAAS_LIVE:-}" == 1 ]] || missing+=("MPAAS_LIVE=1")
for names in "ALIBABA_CLOUD_ACCESS_KEY_ID ALICLOUD_ACCESS_KEY" "ALIBABA_CLOUD_ACCESS_KEY_SECRET ALICLOUD_SECRET_KEY" \
  MPAAS_APP_ID MPAAS_WORKSPACE_ID MPAAS_TENANT_ID; do
  found=""
  for name in $names; do [[ -n "${!name:-}" ]] && found=1; done
  [[ -n "$found" ]] || missing+=("${names%% *}")
done
if ((${#missing[@]})); then
  echo "testacc-live: skipped, the live suite needs ${missing[*]} (LIVE_PLAN=1 lists what it would create)"
  exit 0
fi

region=${ALIBABA_CLOUD_REGION_ID:-${ALICLOUD_REGION:-cn-hangzhou}}
suite -test.run '^TestLivePlan$' -live.plan
suite -sweep="$region" # what an earlier, failed run left behind
status=0
TF_ACC=1 suite -test.run '^TestAccPortable_' -test.count=1 -test.v -test.timeout=30m || status=$?
suite -sweep="$region" || status=1
exit "$status"
