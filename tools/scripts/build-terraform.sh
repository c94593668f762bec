#!/usr/bin/env bash
# build-terraform.sh VERSION OUT_DIR: builds the Terraform CLI VERSION (e.g. v1.14.3)
# from its Go module source, offline except for the Go module proxy, into
# OUT_DIR/terraform. Terraform's nested remote-state backend modules (s3, gcs,
# azurerm, oss, pg, ...) are not in its module zip, so they are left out of the
# build; local, http, inmem, remote and cloud stay. Takes a few minutes on 2 cores
# the first time; prints the binary's path last. Reuses OUT_DIR/terraform when it
# already reports VERSION. make terraform-1.14 runs it (for make docs and
# make test-tf114) into .tools/terraform-1.14.
set -euo pipefail
version=${1:?usage: build-terraform.sh VERSION OUT_DIR}
out=${2:?usage: build-terraform.sh VERSION OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [[ -x $out/terraform ]] && "$out/terraform" version 2>/dev/null | head -n 1 | grep -q "Terraform ${version}"; then
	echo "$out/terraform"
	exit 0
fi
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$work" && go mod init tfbuild >/dev/null 2>&1)
dir=$(cd "$work" && go mod download -json "github.com/hashicorp/terraform@${version}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $dir && -d $dir ]] || { echo "build-terraform: could not download github.com/hashicorp/terraform@${version}" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
python3 - <<'PY'
import re
init = 'internal/backend/init/init.go'
s = open(init).read()
for m in re.findall(r'\n\t(backend\w+) "github.com/hashicorp/terraform/internal/backend/remote-state/([a-z0-9]+)"', s):
    alias, name = m
    if name in ('http', 'inmem'):
        continue
    s = s.replace('\n\t%s "github.com/hashicorp/terraform/internal/backend/remote-state/%s"' % (alias, name), '')
    s = re.sub(r'\n\t\t"[a-z0-9]+": +func\(\) backend.Backend \{ return %s.New\(\) \},' % alias, '', s)
open(init, 'w').write(s)
g = open('go.mod').read()
g = re.sub(r'\nreplace github.com/hashicorp/terraform/internal/[^\n]+', '', g)
g = re.sub(r'\n\tgithub.com/hashicorp/terraform/internal/[^\n]+', '', g)
open('go.mod', 'w').write(g)
PY
GOFLAGS=-mod=mod go build -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out/terraform" .
echo "$out/terraform"
