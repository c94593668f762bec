#!/usr/bin/env bash
# make release-check: build the release artifacts into dist/ as .goreleaser.yml
# describes them, and check they have the shape the Terraform Registry expects:
#
#   terraform-provider-mpaas_<version>_<os>_<arch>.zip   one per OS/arch, holding
#       terraform-provider-mpaas_v<version>[.exe]        the provider binary only
#   terraform-provider-mpaas_<version>_SHA256SUMS        sums of the zips and the manifest
#   terraform-provider-mpaas_<version>_manifest.json     terraform-registry-manifest.json
#
# (a real release also signs SHA256SUMS with GPG; that step is skipped here).
#
# With RELEASE_CHECK_TOOL=goreleaser (the default) it uses goreleaser from
# .tools/ (installed from the Go module proxy when missing, once, within
# GORELEASER_INSTALL_TIMEOUT seconds) and runs
#   goreleaser release --snapshot --clean --skip=sign,before
# ("before" runs `go mod tidy`, which a check must not do to the work tree).
# When goreleaser cannot be installed, or with RELEASE_CHECK_TOOL=go, it
# cross-compiles the same matrix with `go build` and packs the zips itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

PROJECT=terraform-provider-mpaas
TOOLS_DIR=${TOOLS_DIR:-$PWD/.tools}
GORELEASER_VERSION=${GORELEASER_VERSION:-v2.15.1}
GORELEASER_INSTALL_TIMEOUT=${GORELEASER_INSTALL_TIMEOUT:-300}
tool=${RELEASE_CHECK_TOOL:-goreleaser}

DISTZIP=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-distzip.XXXXXX")/distzip
trap 'rm -rf "$(dirname "$DISTZIP")"' EXIT
go build -o "$DISTZIP" ./tools/distzip

install_goreleaser() {
  local stamp="$TOOLS_DIR/.goreleaser-$GORELEASER_VERSION"
  [ -x "$TOOLS_DIR/goreleaser" ] && [ -e "$stamp" ] && return 0
  echo "release-check: installing goreleaser $GORELEASER_VERSION into $TOOLS_DIR (takes a few minutes once)"
  mkdir -p "$TOOLS_DIR"
  if GOBIN="$TOOLS_DIR" timeout "$GORELEASER_INSTALL_TIMEOUT" \
    go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"; then
    touch "$stamp"
    return 0
  fi
  echo "release-check: could not install goreleaser; building the matrix with go build instead" >&2
  return 1
}

# yaml_list KEY: the items of a one-line "KEY: [a, "b", c]" in .goreleaser.yml.
yaml_list() {
  sed -nE "s/^[[:space:]]*$1:[[:space:]]*\[(.*)\][[:space:]]*$/\1/p" .goreleaser.yml | head -n 1 | tr -d ' "' | tr ',' ' '
}

# build_with_go VERSION: the goreleaser build, archive and checksum steps.
build_with_go() {
  local version=$1 os arch bin out
  rm -rf dist
  mkdir -p dist
  local ignored=" darwin/386 " # .goreleaser.yml builds.ignore
  local valid
  valid=" $(go tool dist list | tr '\n' ' ') "
  for os in $(yaml_list goos); do
    for arch in $(yaml_list goarch); do
      [[ "$ignored" == *" $os/$arch "* ]] && continue
      [[ "$valid" == *" $os/$arch "* ]] || continue # what goreleaser skips too
      bin="${PROJECT}_v${version}"
      [ "$os" = windows ] && bin="$bin.exe"
      out="dist/${PROJECT}_${os}_${arch}"
      mkdir -p "$out"
      CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$out/$bin" .
      (cd "$out" && "$DISTZIP" "../${PROJECT}_${version}_${os}_${arch}.zip" "$bin")
    done
  done
  cp terraform-registry-manifest.json "dist/${PROJECT}_${version}_manifest.json"
  (cd dist && sha256sum ./*.zip "${PROJECT}_${version}_manifest.json" | sed 's#  \./#  #' >"${PROJECT}_${version}_SHA256SUMS")
}

# check_dist: the registry's shape, for whatever built dist/.
check_dist() {
  local sums version zips=0 problems=0 z base entries want
  sums=$(cd dist && ls ./*_SHA256SUMS 2>/dev/null | sed 's#^\./##') || true
  [ "$(printf '%s\n' "$sums" | grep -c .)" = 1 ] || { echo "release-check: want exactly one *_SHA256SUMS in dist/, got: ${sums:-none}" >&2; return 1; }
  version=${sums#"${PROJECT}_"}
  version=${version%_SHA256SUMS}
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release-check: $sums does not name a semantic version" >&2; problems=$((problems + 1)); }
  if ! cmp -s terraform-registry-manifest.json "dist/${PROJECT}_${version}_manifest.json"; then
    echo "release-check: dist/${PROJECT}_${version}_manifest.json is missing or differs from terraform-registry-manifest.json" >&2
    problems=$((problems + 1))
  fi
  for z in dist/*.zip; do
    base=$(basename "$z")
    zips=$((zips + 1))
    if [[ ! "$base" =~ ^${PROJECT}_${version//./\\.}_(darwin|freebsd|linux|windows)_(amd64|386|arm|arm64)\.zip$ ]]; then
      echo "release-check: $base does not match ${PROJECT}_<version>_<os>_<arch>.zip" >&2
      problems=$((problems + 1))
      continue
    fi
    want="${PROJECT}_v${version}"
    [[ "$base" == *_windows_* ]] && want="$want.exe"
    # The binary at the root; goreleaser adds README, LICENSE and CHANGELOG.
    entries=$("$DISTZIP" -l "$z")
    if ! grep -qx "$want" <<<"$entries" || grep -v -x -e "$want" -e 'README.*' -e 'LICEN[CS]E.*' -e 'CHANGELOG.*' <<<"$entries" | grep -q .; then
      echo "release-check: $base holds [$(echo "$entries" | tr '\n' ' ')], want $want (plus README, LICENSE, CHANGELOG)" >&2
      problems=$((problems + 1))
    fi
    grep -q "  $base\$" "dist/$sums" || { echo "release-check: $base is not in $sums" >&2; problems=$((problems + 1)); }
  done
  grep -q "  ${PROJECT}_${version}_manifest.json\$" "dist/$sums" || { echo "release-check: the manifest is not in $sums" >&2; problems=$((problems + 1)); }
  (cd dist && sha256sum --quiet -c "$sums") || problems=$((problems + 1))
  [ "$zips" -ge 1 ] || problems=$((problems + 1))
  if [ "$problems" -gt 0 ]; then
    echo "release-check: $problems problem(s) in dist/" >&2
    return 1
  fi
  echo "release-check: dist/ has the registry's shape: $zips zips (version $version), $sums, ${PROJECT}_${version}_manifest.json"
  (cd dist && ls -1 ./*.zip | sed 's#^\./#  #')
}

if [ -n "${RELEASE_CHECK_INSTALL_ONLY:-}" ]; then # make tools
  install_goreleaser
  exit
fi
if [ "$tool" = goreleaser ] && install_goreleaser; then
  # (no `goreleaser check`: it fails in a clone without a git remote; the
  # release below validates the configuration too)
  "$TOOLS_DIR/goreleaser" release --snapshot --clean --skip=sign,before
  # The manifest is summed into SHA256SUMS, but only the release step uploads
  # it (release.extra_files); put it where a release would.
  for sums in dist/*_SHA256SUMS; do
    cp terraform-registry-manifest.json "${sums%_SHA256SUMS}_manifest.json"
  done
else
  build_with_go "${RELEASE_VERSION:-0.0.0-SNAPSHOT-$(git rev-parse --short HEAD 2>/dev/null || echo none)}"
fi
check_dist
