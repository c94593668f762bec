##@ Checks of the examples and the workflows
# Included by GNUmakefile.

.PHONY: validate-examples actionlint

validate-examples: ## terraform validate of every examples/ directory, offline, against a fresh build
	bash tools/scripts/validate-examples.sh

# Installed into .tools/ from the Go module proxy when missing. Without
# shellcheck and pyflakes, so the result does not depend on what else is on
# PATH.
actionlint: $(TOOLS_DIR)/.actionlint-$(ACTIONLINT_VERSION) ## Lint the hosted workflows (.github/workflows) with actionlint
	$(TOOLS_DIR)/actionlint -color -shellcheck= -pyflakes=
