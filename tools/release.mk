##@ Release and what a user of a release does
# Included by GNUmakefile; GORELEASER_VERSION is pinned in tools/toolchain.mk.

.PHONY: release-check release-check-fast own-config-check split-pipeline-check

# Build the release artifacts into dist/ (goreleaser snapshot, or a go build
# of the same matrix), sign the SHA256SUMS with a throwaway GPG key as a
# release signs them with the real one, and check the signature, every
# checksum, the manifest and the registry's names (tools/scripts/release-check.sh).
release-check: ## Build, sign and check the release artifacts of the whole matrix into dist/
	GORELEASER_VERSION=$(GORELEASER_VERSION) TOOLS_DIR=$(TOOLS_DIR) bash tools/scripts/release-check.sh

# Two targets (linux/amd64, windows/amd64) instead of the whole matrix: what
# CI runs; the full release-check is run before a release.
release-check-fast: ## release-check for linux/amd64 and windows/amd64 only (CI)
	GORELEASER_VERSION=$(GORELEASER_VERSION) TOOLS_DIR=$(TOOLS_DIR) RELEASE_CHECK_GOOS="linux windows" RELEASE_CHECK_GOARCH=amd64 bash tools/scripts/release-check.sh

# make install into a temp HOME, then terraform init and validate of a new
# configuration outside the repository, offline (tools/scripts/own-config-check.sh).
own-config-check: ## make install, then terraform init and validate of a new configuration outside the repository
	VERSION=$(VERSION) bash tools/scripts/own-config-check.sh

# A pipeline whose plan and apply jobs build the zip separately, outside the
# repository: the saved plan applies with a rebuilt zip (tools/scripts/split-pipeline-check.sh).
split-pipeline-check: ## A saved plan applies with a zip rebuilt in a separate job
	bash tools/scripts/split-pipeline-check.sh
