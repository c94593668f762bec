#!/usr/bin/env bash
# make own-config-check: what a user does with their own configuration, offline.
#
#   1. `make install` with a fresh, empty HOME: the versioned build lands in
#      Terraform's implied local mirror, $HOME/.terraform.d/plugins/...
#   2. A new configuration in a temp folder outside the repository that names
#      only source = "mpaas-tf/mpaas" and a version constraint ("~> x.y" of
#      VERSION; a pre-release exactly), with a provider block, an mpaas_h5app and an
#      mpaas_offline_package whose zip does not exist yet (it is built later in
#      a real project, so validate must not need it).
#   3. `terraform init` (must install the provider from the mirror and write
#      the lock file) and `terraform validate`, with every proxy pointed at an
#      unused loopback port so any download attempt fails.
#
# VERSION defaults to the GNUmakefile's (CHANGELOG.md's top heading).
# OWN_CONFIG_KEEP=1 keeps the temp folder and prints its path.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

VERSION=${VERSION:-$(make -s --no-print-directory version)}
[[ "$VERSION" =~ ^([0-9]+)\.([0-9]+)\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || {
  echo "own-config-check: VERSION=$VERSION is not x.y.z or x.y.z-pre" >&2
  exit 2
}
# A pre-release matches only a constraint that names it exactly.
if [ -n "${BASH_REMATCH[3]}" ]; then
  constraint=$VERSION
else
  constraint="~> ${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
fi
target="$(go env GOOS)_$(go env GOARCH)"

# Keep Go's module and build caches and its settings file (go env -w) where
# they are: with the fresh HOME below, Go would otherwise download every
# module again and rebuild from scratch.
GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH) GOENV=$(go env GOENV)
export GOCACHE GOMODCACHE GOPATH GOENV

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-own-config.XXXXXX")
if [ "${OWN_CONFIG_KEEP:-}" = 1 ]; then
  trap 'echo "own-config-check: kept $WORK"' EXIT
else
  trap 'rm -rf "$WORK"' EXIT
fi
case "$WORK/" in "$repo"/*)
  echo "own-config-check: the temp folder $WORK is inside the repository; set TMPDIR elsewhere" >&2
  exit 2
  ;;
esac

export HOME="$WORK/home"
mkdir -p "$HOME"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# Terraform reads the CLI configuration named by TF_CLI_CONFIG_FILE instead of
# $HOME/.terraformrc. With Terraform 1.11 a name of a missing file is only a
# warning ("Unable to open CLI configuration file ... does not exist") and
# init still uses the implied local mirror; but an existing file may hold a
# provider_installation block, and then the implied mirror is not used at all
# (init goes to the registry and fails offline). Unset, Terraform looks for
# $HOME/.terraformrc in the fresh HOME, finds none, and uses its default
# installation: the implied mirrors, then the registry for what they lack.
# TF_PLUGIN_CACHE_DIR and the others would also let the caller's setup in.
unset TF_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE
unset TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_validate

echo "== make install (HOME=$HOME)"
make -s --no-print-directory install VERSION="$VERSION"
binary="$HOME/.terraform.d/plugins/registry.terraform.io/mpaas-tf/mpaas/$VERSION/$target/terraform-provider-mpaas_v$VERSION"
[ -x "$binary" ] || {
  echo "own-config-check: make install did not write $binary" >&2
  exit 1
}
go version -m "$binary" | grep -q -- "-X main.version=$VERSION" || {
  echo "own-config-check: $binary was not built with -X main.version=$VERSION:" >&2
  go version -m "$binary" | grep ldflags >&2 || true
  exit 1
}

config="$WORK/config"
mkdir -p "$config"
cat >"$config/main.tf" <<TF
terraform {
  required_providers {
    mpaas = {
      source  = "mpaas-tf/mpaas"
      version = "$constraint"
    }
  }
}

provider "mpaas" {
  endpoint     = "http://127.0.0.1:9" # nothing listens there: validate calls no API
  access_key   = "unused"
  secret_key   = "unused"
  app_id       = "ONEXOWNCONFIG0001"
  workspace_id = "default"
  tenant_id    = "OWNCONFIG"
}

resource "mpaas_h5app" "app" {
  h5app_id = "30020001"
  name     = "Own configuration"
}

resource "mpaas_offline_package" "app" {
  h5app_id      = mpaas_h5app.app.h5app_id
  resource_type = "normal"
  source        = "dist/30020001.zip" # built later: does not exist yet
  android       = { min_version = "10.1.68" }
}
TF

# Any registry or download request fails fast instead of succeeding online.
offline=(env HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY= https_proxy= http_proxy= no_proxy=)

echo "== terraform init ($config, source = \"mpaas-tf/mpaas\", version = \"$constraint\")"
(cd "$config" && "${offline[@]}" terraform init -input=false -no-color)
lock="$config/.terraform.lock.hcl"
grep -q '^provider "registry.terraform.io/mpaas-tf/mpaas"' "$lock" || {
  echo "own-config-check: $lock does not name registry.terraform.io/mpaas-tf/mpaas" >&2
  exit 1
}
grep -q "^  version *= \"$VERSION\"" "$lock" || {
  echo "own-config-check: $lock does not lock version $VERSION:" >&2
  cat "$lock" >&2
  exit 1
}

echo "== terraform validate (dist/30020001.zip does not exist)"
(cd "$config" && "${offline[@]}" terraform validate -no-color) || {
  echo "own-config-check: terraform validate failed; it must pass while the package zip does not exist yet (it is built before plan, not before validate)" >&2
  exit 1
}

echo "own-config-check: make install put mpaas-tf/mpaas $VERSION where terraform init found it offline; the lock file pins $VERSION; validate passed"
