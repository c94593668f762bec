#!/usr/bin/env bash
# make validate-examples: `terraform validate` of every example directory,
# offline, against a fresh build of the provider.
#
# Each directory under examples/ that holds .tf files is validated in a temp
# copy of examples/ (so module sources such as ../modules/batch-import still
# resolve), with a generated CLI configuration whose dev_overrides point
# mpaas-tf/mpaas at the fresh build (tools/scripts/lib.sh use_dev_build).
# Nothing is downloaded: with dev_overrides `terraform init` would fail
# offline, but `terraform validate` needs no init for a configuration that
# uses only the overridden provider; directories with module blocks, or with
# test files (tests/*.tftest.hcl, which validate checks too and whose run
# blocks may call helper modules), get `terraform get` (local modules only). The temp copy, never the repository,
# receives:
#   - zz_validate_versions.tf with required_providers mpaas-tf/mpaas, when the
#     example has no required_providers block (it would resolve mpaas to
#     hashicorp/mpaas otherwise);
#   - the files an example reads at validate time: the .pem files passed to
#     file() (a throwaway RSA key). No package zip is made: validate never
#     reads them (a pipeline validates before it builds).
# import-by-string-id.tf and import-by-identity.tf import the same resource,
# so an import-by-identity.tf is validated in a copy of its folder without
# the other (<dir>.identity), and only with Terraform 1.12 or later: older
# versions have no identity in import blocks. Folders of list blocks
# (examples/list-resources/*/*.tfquery.hcl) are validated with
# `terraform validate -query`, with Terraform 1.14 or later.
# Usage: tools/scripts/validate-examples.sh [DIR...]   (default: every example dir)
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-validate.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=tools/scripts/lib.sh
source tools/scripts/lib.sh

mkdir -p "$WORK/bin"
go build -o "$WORK/bin/terraform-provider-mpaas" .
use_dev_build
unset TF_DATA_DIR TF_WORKSPACE

cp -R examples "$WORK/examples"

if [ "$#" -gt 0 ]; then
  dirs=("$@")
else
  mapfile -t dirs < <(find examples -name '*.tf' -printf '%h\n' | sort -u)
fi

tf_version=$(terraform version -json 2>/dev/null)
identity_ok=false query_ok=false
if grep -Eq '"terraform_version": *"(1\.(1[2-9]|[2-9][0-9])|[2-9])\.' <<<"$tf_version"; then identity_ok=true; fi
if grep -Eq '"terraform_version": *"(1\.(1[4-9]|[2-9][0-9])|[2-9])\.' <<<"$tf_version"; then query_ok=true; fi
if [ "$#" -eq 0 ]; then
  while read -r d; do
    if $query_ok; then dirs+=("$d"); else echo "skip  $d (list blocks need Terraform 1.14 or later)"; fi
  done < <(find examples -name '*.tfquery.hcl' -printf '%h\n' | sort -u)
fi
while read -r identity_file; do
  d=$(dirname "$identity_file")
  rm -rf "$WORK/$d.identity"
  cp -R "$WORK/$d" "$WORK/$d.identity"
  rm -f "$WORK/$d/import-by-identity.tf" "$WORK/$d.identity/import-by-string-id.tf"
  if [[ " ${dirs[*]%/} " == *" $d "* ]]; then
    if $identity_ok; then dirs+=("$d.identity"); else echo "skip  $identity_file (needs Terraform 1.12 or later)"; fi
  fi
done < <(find examples -name import-by-identity.tf | sort)

# local_path PATH: PATH with ${path.module} and ${path.root} made relative;
# empty when anything else is interpolated (unknown at validate: not read).
local_path() {
  local p=${1//\$\{path.module\}/.}
  p=${p//\$\{path.root\}/.}
  case $p in *'${'*) echo "" ;; *) echo "$p" ;; esac
}

write_rsa_key() {
  mkdir -p "$(dirname "$1")"
  cat >"$WORK/keygen.go" <<'GO'
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
)

func main() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	if err := pem.Encode(os.Stdout, &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}); err != nil {
		panic(err)
	}
}
GO
  (cd "$WORK" && go run keygen.go) >"$1"
}

# fixtures DIR: create the files the example in DIR reads at validate time.
fixtures() {
  local dir=$1 src p
  while read -r src; do
    p=$(local_path "$src")
    [ -n "$p" ] || continue
    [ -e "$dir/$p" ] && continue
    if [[ "$p" == *.pem ]]; then write_rsa_key "$dir/$p"; fi
  done < <(grep -ho 'file("[^"]*")' "$dir"/*.tf | sed -E 's/^file\("(.*)"\)$/\1/')
}

failed=()
for d in "${dirs[@]}"; do
  d=${d%/}
  t="$WORK/$d"
  [ -d "$t" ] || { echo "validate-examples: no such example directory: $d" >&2; exit 2; }
  if ! grep -qs 'required_providers' "$t"/*.tf; then
    cat >"$t/zz_validate_versions.tf" <<'TF'
terraform {
  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}
TF
  fi
  fixtures "$t"
  out=$(
    cd "$t"
    if grep -qs '^module ' ./*.tf || compgen -G 'tests/*.tftest.hcl' >/dev/null; then terraform get -no-color >/dev/null; fi
    if compgen -G '*.tfquery.hcl' >/dev/null; then terraform validate -no-color -query 2>&1; else terraform validate -no-color 2>&1; fi
  ) && rc=0 || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "ok    $d"
  else
    echo "FAIL  $d"
    printf '%s\n' "$out" | without_override_warning | sed '/./,$!d' | sed 's/^/      /'
    failed+=("$d")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "validate-examples: ${#failed[@]} of ${#dirs[@]} example directories are invalid: ${failed[*]}" >&2
  exit 1
fi
echo "validate-examples: all ${#dirs[@]} example directories are valid"
