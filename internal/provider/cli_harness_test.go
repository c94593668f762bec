package provider

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cliRun runs the terraform CLI itself, command by command, in one working
// folder against a provider served from this test process, the way a CI
// pipeline runs it: terraform validate before the packages are built, plan,
// apply, rebuild, plan again. terraform-plugin-testing cannot run validate
// alone or act between commands, so the workflow tests use this.
type cliRun struct {
	t         *testing.T
	dir       string
	terraform string
	env       []string
}

// newCLIRun serves the provider (reattached, as terraform-plugin-testing
// does) and prepares an empty working folder with an empty CLI
// configuration, so nothing is looked up in the registry.
func newCLIRun(t *testing.T) *cliRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the terraform CLI: set TF_ACC=1")
	}
	terraformPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraformPath == "" {
		var err error
		if terraformPath, err = exec.LookPath("terraform"); err != nil {
			t.Skip("terraform is not on PATH")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve("registry.terraform.io/mpaas-tf/mpaas", providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithLoggingSink(t))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
		}
	})
	var config *plugin.ReattachConfig
	select {
	case config = <-reattach:
	case <-time.After(10 * time.Second):
		t.Fatal("the provider server did not start")
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST") // registry.opentofu.org for OpenTofu
	if host == "" {
		host = "registry.terraform.io"
	}
	reattachJSON, err := json.Marshal(map[string]any{host + "/mpaas-tf/mpaas": map[string]any{
		"Protocol": string(config.Protocol), "ProtocolVersion": config.ProtocolVersion, "Pid": config.Pid, "Test": true,
		"Addr": map[string]string{"Network": config.Addr.Network(), "String": config.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Terraform starts a provider in the working folder, where relative paths
	// such as source = "dist/app.zip" resolve; a reattached provider runs in
	// this process, so the test moves there (and cannot run in parallel).
	t.Chdir(dir)
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliRun{t: t, dir: dir, terraform: terraformPath, env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(reattachJSON), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1", "TF_INPUT=0")}
}

// write puts a file (configuration or anything else) into the working folder.
func (c *cliRun) write(name, content string) {
	c.t.Helper()
	path := filepath.Join(c.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// path is a path inside the working folder.
func (c *cliRun) path(name string) string {
	return filepath.Join(c.dir, name)
}

// run runs terraform with args and returns its combined output and exit code.
func (c *cliRun) run(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(c.terraform, args...)
	switch args[0] {
	case "init", "validate", "plan", "apply", "destroy":
		cmd.Args = append([]string{c.terraform, args[0], "-no-color"}, args[1:]...)
	}
	cmd.Dir = c.dir
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exitErr):
		return string(out), exitErr.ExitCode()
	}
	c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	return "", -1
}

// must runs terraform and fails the test unless it exits with want.
func (c *cliRun) must(want int, args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != want {
		c.t.Fatalf("terraform %s exited %d, want %d:\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// init runs terraform init once the configuration is written.
func (c *cliRun) init() {
	c.t.Helper()
	c.must(0, "init", "-input=false")
}
