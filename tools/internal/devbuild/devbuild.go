// Package devbuild is what the tools that drive a fresh build of the
// provider with the terraform CLI (tools/chaos, tools/races) share: the
// repository's root, go build, and a CLI configuration with dev_overrides.
package devbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RepoRoot is the folder of the repository's go.mod.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run from inside the repository")
	}
	return filepath.Dir(mod), nil
}

// Build runs go build of pkg (relative to root) into out.
func Build(ctx context.Context, root, pkg, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, output)
	}
	return nil
}

// WriteCLIConfig writes at path a Terraform CLI configuration whose
// dev_overrides point mpaas-tf/mpaas at the provider built into binDir (no
// terraform init needed).
func WriteCLIConfig(path, binDir string) error {
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"mpaas-tf/mpaas\" = %q\n  }\n  direct {}\n}\n", binDir)
	return os.WriteFile(path, []byte(rc), 0o600)
}
