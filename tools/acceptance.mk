##@ Acceptance tests with other CLIs and dialects, and the modules' tests
# Included by GNUmakefile; the pinned CLIs come from tools/toolchain.mk.

.PHONY: test-tf114 test-tf-newest test-opentofu testacc-lenient test-modules test-modules-opentofu

# The acceptance tests every Terraform and OpenTofu target runs (make test
# runs them with the unit tests of every package).
ACC_TEST_PACKAGES := ./internal/provider/

# The list resources (terraform query, querycheck) and identity imports run
# here; under make test (Terraform 1.11) and make test-opentofu they skip.
test-tf114: terraform-1.14 ## The acceptance tests with Terraform 1.14 (list resources, identity)
	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(TERRAFORM_114_DIR)/terraform go test $(ACC_TEST_PACKAGES) -count=1 -timeout $(GO_TEST_TIMEOUT)

# Built into .tools/ when missing, several minutes on 2 cores.
test-tf-newest: terraform-newest ## The acceptance tests of test-tf114 with the newest Terraform the module proxy serves
	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(TERRAFORM_NEWEST_DIR)/terraform go test $(ACC_TEST_PACKAGES) -count=1 -timeout $(GO_TEST_TIMEOUT)

# OpenTofu is built from the module proxy into .tools/ when missing (about
# 2 minutes once).
# - OpenTofu resolves source = "mpaas-tf/mpaas" to registry.opentofu.org/mpaas-tf/mpaas,
#   hence TF_ACC_PROVIDER_HOST (without it every test fails on the lock file).
# - OpenTofu configures a provider before calling its functions (Terraform does
#   not), so the function tests, whose configurations have no provider block,
#   need a provider configuration: it comes from these placeholder variables
#   (never used for a call; tests that check missing settings clear them).
# - The write-only signing key tests skip: they need Terraform 1.11 semantics.
# OpenTofu 1.12 prints a warning about a CLI configuration file that does
# not exist before its version line, and terraform-plugin-testing cannot read
# the version then: an empty configuration of our own avoids both.
test-opentofu: $(TOFU) ## The acceptance tests with OpenTofu instead of Terraform
	mkdir -p $(TOOLS_DIR) && : > $(TOOLS_DIR)/empty.tofurc
	TF_CLI_CONFIG_FILE=$(TOOLS_DIR)/empty.tofurc \
	TF_ACC=1 TF_ACC_TERRAFORM_PATH=$(TOFU) TF_ACC_PROVIDER_HOST=registry.opentofu.org \
	ALIBABA_CLOUD_ACCESS_KEY_ID=unused ALIBABA_CLOUD_ACCESS_KEY_SECRET=unused MPAAS_ENDPOINT=http://127.0.0.1:9 \
	MPAAS_APP_ID=unused MPAAS_WORKSPACE_ID=unused MPAAS_TENANT_ID=unused \
		go test $(ACC_TEST_PACKAGES) -count=1 -timeout $(GO_TEST_TIMEOUT)

# Every test emulator answers in the SDK-lenient dialect
# (emulator.Quirks.SDKLenient: numbers as strings, FileSize as a number,
# bools as strings, times as epoch milliseconds): apply, empty re-plans,
# data sources and imports must read it as they read the plain one.
testacc-lenient: ## The provider's acceptance tests once more against the SDK-lenient emulator dialect
	MPAAS_TEST_EMULATOR_DIALECT=sdk-lenient TF_ACC=1 go test ./internal/provider/ -count=1 -timeout $(GO_TEST_TIMEOUT)

# examples/modules/*/tests/*.tftest.hcl with terraform test against a local
# emulator and a fresh build, each file's emulator call counts checked; then
# a fresh configuration outside the repository applies release-train from a
# local path (tools/scripts/test-modules.sh).
test-modules: ## The modules' native test suites (terraform test) and a fresh configuration using release-train
	bash tools/scripts/test-modules.sh

test-modules-opentofu: $(TOFU) ## The modules' test suites with tofu test
	MODULE_TEST_CLI=$(TOFU) bash tools/scripts/test-modules.sh
