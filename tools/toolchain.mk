##@ Pinned tools (installed into .tools/ on first use)
# Included by GNUmakefile. Pinned tools, installed from the Go module proxy
# into .tools/ on first use.

.PHONY: tools terraform-1.14 terraform-newest

TOOLS_DIR := $(CURDIR)/.tools
GOLANGCI_LINT_VERSION ?= v2.15.0
# v2.15.0 and v2.15.1 put the signature of SHA256SUMS into SHA256SUMS after
# signing it, so the signature never verifies (goreleaser issues 6508, 6514;
# make release-check caught it); v2.17.0 does not.
GORELEASER_VERSION ?= v2.17.0
GREMLINS_VERSION ?= v0.6.0
ACTIONLINT_VERSION ?= v1.7.12
# OpenTofu's version is pinned in tools/opentofu/go.mod (see there why); it
# is built into a folder named after that version, so a new pin builds anew.
OPENTOFU_VERSION := $(shell awk '$$1 == "github.com/opentofu/opentofu" {print $$2}' tools/opentofu/go.mod)
TOFU := $(TOOLS_DIR)/opentofu-$(OPENTOFU_VERSION)/tofu
# Terraform 1.14 (list blocks and terraform query; resource identity since
# 1.12) is not on PATH: built from the Go module proxy into .tools/ when
# missing (tools/scripts/build-terraform.sh, about a minute on 2 cores) and
# reused after.
TERRAFORM_114_VERSION ?= v1.14.3
TERRAFORM_114_DIR := $(TOOLS_DIR)/terraform-1.14
# The newest Terraform the Go module proxy serves (make test-tf-newest), built
# the same way into .tools/terraform-<minor>. In December 2026 the proxy
# refuses the 1.17 line ("403 Forbidden: This module version is not
# available"); TERRAFORM_NEWEST_VERSION=v1.17.x tries a newer one.
TERRAFORM_NEWEST_VERSION ?= v1.16.4
TERRAFORM_NEWEST_DIR := $(TOOLS_DIR)/terraform-$(patsubst v%,%,$(basename $(TERRAFORM_NEWEST_VERSION)))

# lint, release-check, test-opentofu, docs, test-tf114, test-tf-newest and
# actionlint install what they need on first use; tools installs all now.
tools: $(TOOLS_DIR)/.golangci-lint-$(GOLANGCI_LINT_VERSION) $(TOFU) terraform-1.14 terraform-newest $(TOOLS_DIR)/.actionlint-$(ACTIONLINT_VERSION) ## Install every pinned tool now
	GORELEASER_VERSION=$(GORELEASER_VERSION) TOOLS_DIR=$(TOOLS_DIR) RELEASE_CHECK_INSTALL_ONLY=1 bash tools/scripts/release-check.sh

terraform-1.14: ## Build Terraform TERRAFORM_114_VERSION into .tools/terraform-1.14 (a no-op when there)
	bash tools/scripts/build-terraform.sh $(TERRAFORM_114_VERSION) $(TERRAFORM_114_DIR)

terraform-newest: ## Build Terraform TERRAFORM_NEWEST_VERSION into .tools/terraform-<minor> (a no-op when there)
	bash tools/scripts/build-terraform.sh $(TERRAFORM_NEWEST_VERSION) $(TERRAFORM_NEWEST_DIR)

$(TOOLS_DIR)/.golangci-lint-$(GOLANGCI_LINT_VERSION):
	GOBIN=$(TOOLS_DIR) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	touch $@

$(TOOLS_DIR)/.actionlint-$(ACTIONLINT_VERSION):
	GOBIN=$(TOOLS_DIR) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	touch $@

$(TOOLS_DIR)/.gremlins-$(GREMLINS_VERSION):
	GOBIN=$(TOOLS_DIR) go install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	touch $@

# OpenTofu, built to a temporary name and renamed, so a build cut short
# leaves no binary.
$(TOFU):
	mkdir -p $(dir $@)
	cd tools/opentofu && go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" \
		-o $@.tmp github.com/opentofu/opentofu/cmd/tofu
	mv $@.tmp $@
