#!/usr/bin/env bash
# make release-check: build the release artifacts into dist/ as .goreleaser.yml
# describes them, sign them as a release does, and check they have the shape
# the Terraform Registry expects:
#
#   terraform-provider-mpaas_<version>_<os>_<arch>.zip   one per OS/arch, holding
#       terraform-provider-mpaas_v<version>[.exe]        the provider binary, nothing else
#   terraform-provider-mpaas_<version>_SHA256SUMS        sums of the zips and the manifest
#   terraform-provider-mpaas_<version>_SHA256SUMS.sig    binary detached GPG signature of the sums
#   terraform-provider-mpaas_<version>_manifest.json     terraform-registry-manifest.json (protocol 6.0)
#
# Signing: a throwaway RSA key is generated in a temporary GNUPGHOME and
# GPG_FINGERPRINT names it, so the signs section of .goreleaser.yml runs
# exactly as in .github/workflows/release.yml, where the real key is imported
# from the repository's secrets. The signature is then verified in a second
# GNUPGHOME that holds only the exported (ASCII-armored) public key, as the
# Registry holds it, and must fail on altered sums.
#
# With RELEASE_CHECK_TOOL=goreleaser (the default) it uses goreleaser from
# .tools/ (installed from the Go module proxy when missing, once, within
# GORELEASER_INSTALL_TIMEOUT seconds) and runs
#   goreleaser release --snapshot --clean --skip=before
# ("before" runs `go mod tidy`, which a check must not do to the work tree).
# When goreleaser cannot be installed, or with RELEASE_CHECK_TOOL=go, it
# cross-compiles the same matrix with `go build`, packs the zips itself and
# signs with the gpg arguments of .goreleaser.yml's signs section.
#
# RELEASE_CHECK_GOOS / RELEASE_CHECK_GOARCH ("linux windows" / "amd64") build
# only those OSes and architectures instead of the lists in .goreleaser.yml
# (make release-check-fast, what CI runs); the checks are the same.
set -euo pipefail
cd "$(dirname "$0")/../.."

PROJECT=terraform-provider-mpaas
TOOLS_DIR=${TOOLS_DIR:-$PWD/.tools}
GORELEASER_VERSION=${GORELEASER_VERSION:-v2.17.0}
GORELEASER_INSTALL_TIMEOUT=${GORELEASER_INSTALL_TIMEOUT:-900}
tool=${RELEASE_CHECK_TOOL:-goreleaser}

work=$(mktemp -d "${TMPDIR:-/tmp}/mpaas-release-check.XXXXXX")
cleanup() {
  local home
  for home in "$work/gnupg" "$work/gnupg-verify"; do
    [ -d "$home" ] && gpgconf --homedir "$home" --kill all >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
DISTZIP=$work/distzip
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

GOOS_LIST=${RELEASE_CHECK_GOOS:-$(yaml_list goos)}
GOARCH_LIST=${RELEASE_CHECK_GOARCH:-$(yaml_list goarch)}

# targets: the os_arch pairs a release builds: every OS with every
# architecture, less .goreleaser.yml's builds.ignore and what Go cannot build
# (goreleaser skips those too).
targets() {
  local os arch ignored=" darwin/386 " valid
  valid=" $(go tool dist list | tr '\n' ' ') "
  for os in $GOOS_LIST; do
    for arch in $GOARCH_LIST; do
      [[ "$ignored" == *" $os/$arch "* ]] && continue
      [[ "$valid" == *" $os/$arch "* ]] || continue
      echo "${os}_${arch}"
    done
  done
}

# new_signing_key: a throwaway RSA key in a fresh GNUPGHOME, named by
# GPG_FINGERPRINT as release.yml names the imported one.
new_signing_key() {
  export GNUPGHOME=$work/gnupg
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "$PROJECT release-check (throwaway) <release-check@example.invalid>" rsa4096 sign 1d 2>/dev/null
  GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" {print $10; exit}')
  [ -n "$GPG_FINGERPRINT" ] || { echo "release-check: could not generate a throwaway GPG key" >&2; return 1; }
  export GPG_FINGERPRINT
  echo "release-check: signing with a throwaway RSA key $GPG_FINGERPRINT (GNUPGHOME=$GNUPGHOME)"
}

# signs_args: the gpg arguments of .goreleaser.yml's signs section, one a line.
signs_args() {
  awk '
    /^signs:/ { in_signs = 1; next }
    in_signs && /^[^[:space:]#]/ { exit }
    in_signs && /^[[:space:]]*args:/ { in_args = 1; next }
    in_args && /^[[:space:]]*- / { sub(/^[[:space:]]*- /, ""); gsub(/^"|"$/, ""); print; next }
    in_args { in_args = 0 }
  ' .goreleaser.yml
}

# sign_like_goreleaser ARTIFACT: what goreleaser's signs section runs (cmd
# gpg, signature ${artifact}.sig), for the go build path.
sign_like_goreleaser() {
  local artifact=$1 arg args=()
  while IFS= read -r arg; do
    arg=${arg//'{{ .Env.GPG_FINGERPRINT }}'/$GPG_FINGERPRINT}
    arg=${arg//'${signature}'/$artifact.sig}
    arg=${arg//'${artifact}'/$artifact}
    args+=("$arg")
  done < <(signs_args)
  [ "${#args[@]}" -gt 0 ] || { echo "release-check: .goreleaser.yml has no signs args" >&2; return 1; }
  gpg "${args[@]}"
}

# build_with_goreleaser: goreleaser's snapshot release, signs included, with
# the OS and architecture lists narrowed when RELEASE_CHECK_GOOS/GOARCH ask.
build_with_goreleaser() {
  local config=.goreleaser.yml
  if [ -n "${RELEASE_CHECK_GOOS:-}${RELEASE_CHECK_GOARCH:-}" ]; then
    config=$work/goreleaser.yml
    sed -E \
      -e "s/^([[:space:]]*goos:[[:space:]]*)\[.*\]/\1[$(echo $GOOS_LIST | sed 's/ /, /g')]/" \
      -e "s/^([[:space:]]*goarch:[[:space:]]*)\[.*\]/\1[$(echo $GOARCH_LIST | sed 's/\([^ ]*\)/"\1"/g; s/ /, /g')]/" \
      .goreleaser.yml >"$config"
  fi
  # (no `goreleaser check`: it fails in a clone without a git remote; the
  # release below validates the configuration too)
  "$TOOLS_DIR/goreleaser" release --snapshot --clean --skip=before --config "$config"
  # The manifest is summed into SHA256SUMS, but only the release step uploads
  # it (release.extra_files); put it where a release would.
  local sums
  for sums in dist/*_SHA256SUMS; do
    cp terraform-registry-manifest.json "${sums%_SHA256SUMS}_manifest.json"
  done
}

# build_with_go VERSION: the goreleaser build, archive, checksum and sign steps.
build_with_go() {
  local version=$1 target os arch bin out
  rm -rf dist
  mkdir -p dist
  for target in $(targets); do
    os=${target%_*}
    arch=${target#*_}
    bin="${PROJECT}_v${version}"
    [ "$os" = windows ] && bin="$bin.exe"
    out="dist/${PROJECT}_${os}_${arch}"
    mkdir -p "$out"
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$out/$bin" .
    (cd "$out" && "$DISTZIP" "../${PROJECT}_${version}_${os}_${arch}.zip" "$bin")
  done
  cp terraform-registry-manifest.json "dist/${PROJECT}_${version}_manifest.json"
  (cd dist && sha256sum ./*.zip "${PROJECT}_${version}_manifest.json" | sed 's#  \./#  #' >"${PROJECT}_${version}_SHA256SUMS")
  sign_like_goreleaser "dist/${PROJECT}_${version}_SHA256SUMS"
}

# check_signature SUMS: a binary (not armored) detached RSA signature by the
# throwaway key, verified with nothing but its exported public key, and
# refused for sums that differ by one byte.
check_signature() {
  local sums=$1 sig=$1.sig verify_home=$work/gnupg-verify status
  [ -s "$sig" ] || { echo "release-check: $sig is missing" >&2; return 1; }
  if head -c 10 "$sig" | grep -q -- '-----'; then
    echo "release-check: $sig is ASCII-armored; the Registry wants a binary detached signature" >&2
    return 1
  fi
  mkdir -m 700 "$verify_home"
  gpg --batch --armor --export "$GPG_FINGERPRINT" >"$work/public-key.asc"
  gpg --homedir "$verify_home" --batch --quiet --import "$work/public-key.asc" 2>/dev/null
  status=$(gpg --homedir "$verify_home" --batch --status-fd 1 --verify "$sig" "$sums" 2>/dev/null) ||
    { echo "release-check: gpg --verify $sig failed" >&2; return 1; }
  # VALIDSIG <fingerprint> <date> <time> <expiry> <version> <reserved> <public key algorithm (1 = RSA)> ...
  if ! awk -v fpr="$GPG_FINGERPRINT" '$2 == "VALIDSIG" && $3 == fpr && $9 == 1 { ok = 1 } END { exit !ok }' <<<"$status"; then
    echo "release-check: $sig is not a valid RSA signature by $GPG_FINGERPRINT: $status" >&2
    return 1
  fi
  { cat "$sums"; echo; } >"$work/altered-sums"
  if gpg --homedir "$verify_home" --batch --verify "$sig" "$work/altered-sums" 2>/dev/null; then
    echo "release-check: $sig also verifies altered sums" >&2
    return 1
  fi
  echo "release-check: $(basename "$sig") is a binary detached RSA signature by $GPG_FINGERPRINT, verified with the exported public key"
}

# check_manifest FILE: version 1, protocol 6.0 only (the plugin framework's protocol).
check_manifest() {
  python3 - "$1" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
want = {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}
if m != want:
    sys.exit("release-check: %s is %s, want %s" % (sys.argv[1], json.dumps(m), json.dumps(want)))
PY
}

# check_dist: the registry's shape, for whatever built dist/.
check_dist() {
  local sums version problems=0 z base entries want target listed expected
  sums=$(cd dist && ls ./*_SHA256SUMS 2>/dev/null | sed 's#^\./##') || true
  [ "$(printf '%s\n' "$sums" | grep -c .)" = 1 ] || { echo "release-check: want exactly one *_SHA256SUMS in dist/, got: ${sums:-none}" >&2; return 1; }
  version=${sums#"${PROJECT}_"}
  version=${version%_SHA256SUMS}
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release-check: $sums does not name a semantic version" >&2; problems=$((problems + 1)); }
  if ! cmp -s terraform-registry-manifest.json "dist/${PROJECT}_${version}_manifest.json"; then
    echo "release-check: dist/${PROJECT}_${version}_manifest.json is missing or differs from terraform-registry-manifest.json" >&2
    problems=$((problems + 1))
  fi
  check_manifest terraform-registry-manifest.json || problems=$((problems + 1))
  for target in $(targets); do
    z="dist/${PROJECT}_${version}_${target}.zip"
    [ -f "$z" ] || { echo "release-check: $z is missing" >&2; problems=$((problems + 1)); continue; }
    want="${PROJECT}_v${version}"
    [[ "$target" == windows_* ]] && want="$want.exe"
    entries=$("$DISTZIP" -l "$z")
    if [ "$entries" != "$want" ]; then
      echo "release-check: $(basename "$z") holds [$(echo "$entries" | tr '\n' ' ')], want exactly $want" >&2
      problems=$((problems + 1))
    fi
  done
  expected=$( (for target in $(targets); do echo "${PROJECT}_${version}_${target}.zip"; done; echo "${PROJECT}_${version}_manifest.json") | sort)
  listed=$(awk '{print $2}' "dist/$sums" | sort)
  if [ "$listed" != "$expected" ]; then
    echo "release-check: $sums lists [$(echo "$listed" | tr '\n' ' ')], want [$(echo "$expected" | tr '\n' ' ')]" >&2
    problems=$((problems + 1))
  fi
  for z in dist/*.zip; do
    base=$(basename "$z")
    grep -qx "$base" <<<"$expected" || { echo "release-check: $base was not expected in dist/" >&2; problems=$((problems + 1)); }
  done
  (cd dist && sha256sum --quiet --strict -c "$sums") || problems=$((problems + 1))
  check_signature "dist/$sums" || problems=$((problems + 1))
  if [ "$problems" -gt 0 ]; then
    echo "release-check: $problems problem(s) in dist/" >&2
    return 1
  fi
  echo "release-check: dist/ has the registry's shape: $(targets | wc -l) zips (version $version), $sums and its signature, ${PROJECT}_${version}_manifest.json"
  (cd dist && ls -1 ./*.zip | sed 's#^\./#  #')
}

if [ -n "${RELEASE_CHECK_INSTALL_ONLY:-}" ]; then # make tools
  install_goreleaser
  exit
fi
command -v gpg >/dev/null || { echo "release-check: gpg is needed to sign and verify (apt-get install gnupg)" >&2; exit 1; }
new_signing_key
if [ "$tool" = goreleaser ] && install_goreleaser; then
  build_with_goreleaser
else
  build_with_go "${RELEASE_VERSION:-0.0.0-SNAPSHOT-$(git rev-parse --short HEAD 2>/dev/null || echo none)}"
fi
check_dist
