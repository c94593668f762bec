// Command races is the version race test (make test-races): several
// pipelines, each with its own working folder and state (as on separate CI
// machines), run terraform apply at the same moment, each adding an
// automatically versioned package to the same H5App. The provider's per-H5App
// lock cannot help across processes; the client must take the next free
// version when the service refuses one another pipeline took.
//
// It builds the provider, serves an emulator on a loopback port from this
// process, creates the H5App, and runs the applies with the fresh build
// (dev_overrides). The emulator holds the first creates of a package until
// every pipeline has sent one, so every pipeline has listed the H5App before
// any package is registered and all assign the same version: the worst
// case, every run. Then it checks:
//
//   - every apply succeeded, with distinct versions;
//   - the H5App holds exactly one package per pipeline, the ones the states
//     record;
//   - terraform plan -detailed-exitcode shows no changes in every folder.
//
// Usage (from the repository root):
//
//	go run ./tools/races [-pipelines 8] [-keep]
package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/tools/internal/devbuild"
)

const (
	accessKeyID     = "races-access-key"
	accessKeySecret = "races-secret-0123456789"
	appID           = "ONEXRACES000001"
	workspaceID     = "default"
	tenantID        = "RACESTNT"
	h5AppID         = "31500001"
	// barrierTimeout releases held creates when a pipeline never sends one
	// (it failed before), so the others finish and the failure is reported.
	barrierTimeout = 60 * time.Second
)

type options struct {
	pipelines int
	keep      bool
	timeout   time.Duration
}

func main() {
	var o options
	flag.IntVar(&o.pipelines, "pipelines", 8, "number of concurrent terraform apply runs (separate folders and states)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work folder")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "overall time limit")
	flag.Parse()
	if o.pipelines < 2 {
		fmt.Fprintln(os.Stderr, "races: need at least 2 pipelines")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "races: FAIL:", err)
		os.Exit(1)
	}
}

type env struct {
	o        options
	work     string
	bin      string
	endpoint string
	tfEnv    []string
	emu      *emulator.Server
	client   *mpaas.Client
}

// pipeline is one working folder with its own state.
type pipeline struct {
	n   int
	dir string
	log string
}

func run(o options) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	start := time.Now()
	work, err := os.MkdirTemp("", "mpaas-races-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil || o.keep {
			fmt.Fprintln(os.Stderr, "races: work folder kept at", work)
			return
		}
		os.RemoveAll(work)
	}()
	e := &env{o: o, work: work, bin: filepath.Join(work, "bin")}
	if err := e.build(ctx); err != nil {
		return err
	}
	stop, err := e.serveEmulator()
	if err != nil {
		return err
	}
	defer stop()
	if err := e.client.CreateApp(ctx, h5AppID, "Races"); err != nil {
		return fmt.Errorf("create the H5App: %w", err)
	}
	pipelines, err := e.writePipelines()
	if err != nil {
		return err
	}

	if err := e.all(ctx, pipelines, "apply", 0, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	versions, err := e.checkStatesAndStore(ctx, pipelines)
	if err != nil {
		return err
	}
	creates := e.emu.Stats()[mpaas.ActionCreateNebulaResource]
	if err := e.all(ctx, pipelines, "plan", 0, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		return err
	}
	fmt.Printf("races: %d pipelines (separate folders and states) added a package to H5App %s at once: all applied, "+
		"versions %s, distinct; the emulator holds exactly %d packages, those of the states; %d creates sent "+
		"(%d refused as taken and sent again with the next version); %d empty re-plans (%s)\n",
		o.pipelines, h5AppID, strings.Join(versions, ", "), len(versions), creates, creates-int64(o.pipelines),
		o.pipelines, time.Since(start).Round(time.Second))
	return nil
}

// build builds the provider and writes a CLI configuration that points
// Terraform at it (dev_overrides: no terraform init needed).
func (e *env) build(ctx context.Context) error {
	root, err := devbuild.RepoRoot()
	if err != nil {
		return err
	}
	if err := devbuild.Build(ctx, root, ".", filepath.Join(e.bin, "terraform-provider-mpaas")); err != nil {
		return err
	}
	return devbuild.WriteCLIConfig(filepath.Join(e.work, "terraformrc"), e.bin)
}

// serveEmulator serves an emulator, behind the create barrier, on a free
// loopback port, and returns the function that stops it.
func (e *env) serveEmulator() (stop func(), err error) {
	e.emu, err = emulator.New(emulator.Options{
		DataDir:     filepath.Join(e.work, "emulator-data"),
		Credentials: []emulator.Credential{{AccessKeyID: accessKeyID, AccessKeySecret: accessKeySecret}},
	})
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	server := &http.Server{Handler: createBarrier(e.emu, e.o.pipelines), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(listener) }()
	e.endpoint = "http://" + listener.Addr().String()
	e.tfEnv = append(os.Environ(),
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=", "TF_LOG_PATH=",
		"TF_CLI_CONFIG_FILE="+filepath.Join(e.work, "terraformrc"),
		"MPAAS_ENDPOINT="+e.endpoint,
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+accessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET="+accessKeySecret,
		"MPAAS_APP_ID="+appID, "MPAAS_WORKSPACE_ID="+workspaceID, "MPAAS_TENANT_ID="+tenantID,
	)
	e.client, err = mpaas.New(mpaas.Config{Endpoint: e.endpoint, AccessKeyID: accessKeyID, AccessKeySecret: accessKeySecret,
		AppID: appID, WorkspaceID: workspaceID, TenantID: tenantID, MaxRetries: 3})
	if err != nil {
		return nil, err
	}
	return func() {
		_ = server.Close()
		_ = e.emu.Close()
	}, nil
}

// createBarrier holds the first n creates of a package until n have arrived
// (or barrierTimeout passed), then lets them all through at once.
func createBarrier(next http.Handler, n int) http.Handler {
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-acs-action") == mpaas.ActionCreateNebulaResource {
			mu.Lock()
			arrived++
			held := arrived <= n
			if arrived == n {
				close(all)
			}
			mu.Unlock()
			if held {
				select {
				case <-all:
				case <-time.After(barrierTimeout):
				case <-r.Context().Done():
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// writePipelines writes one folder per pipeline: a zip of its own content
// and a configuration with one automatically versioned package.
func (e *env) writePipelines() ([]pipeline, error) {
	pipelines := make([]pipeline, e.o.pipelines)
	for i := range pipelines {
		p := pipeline{n: i + 1, dir: filepath.Join(e.work, fmt.Sprintf("pipeline-%d", i+1))}
		p.log = filepath.Join(p.dir, "terraform.log")
		if err := os.MkdirAll(p.dir, 0o700); err != nil {
			return nil, err
		}
		if err := writeZip(filepath.Join(p.dir, "site.zip"), p.n); err != nil {
			return nil, err
		}
		config := fmt.Sprintf(`terraform {
  required_providers {
    mpaas = { source = "mpaas-tf/mpaas" }
  }
}

provider "mpaas" {}

resource "mpaas_offline_package" "site" {
  h5app_id      = %q
  resource_type = "normal"
  source        = "site.zip"
  main_url      = "/www/index.html"
  android       = { min_version = "10.1.0" }
}
`, h5AppID)
		if err := os.WriteFile(filepath.Join(p.dir, "main.tf"), []byte(config), 0o600); err != nil {
			return nil, err
		}
		pipelines[i] = p
	}
	return pipelines, nil
}

func writeZip(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: h5AppID + "/www/index.html", Method: zip.Deflate,
		Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil {
		_, err = fmt.Fprintf(w, "<html><body>built by pipeline %d</body></html>\n", n)
	}
	if err == nil {
		err = zw.Close()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// all runs terraform args in every pipeline at once and fails unless every
// run exits with want.
func (e *env) all(ctx context.Context, pipelines []pipeline, what string, want int, args ...string) error {
	codes := make([]int, len(pipelines))
	errs := make([]error, len(pipelines))
	var wg sync.WaitGroup
	for i, p := range pipelines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], errs[i] = e.terraform(ctx, p, args...)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	var failed []string
	for i, p := range pipelines {
		if codes[i] != want {
			failed = append(failed, fmt.Sprintf("pipeline %d: terraform %s exited %d, want %d:\n%s", p.n, what, codes[i], want, tail(p.log, 30)))
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

// terraform runs one command in a pipeline's folder, its output going to
// the pipeline's log, and returns its exit code.
func (e *env) terraform(ctx context.Context, p pipeline, args ...string) (int, error) {
	log, err := os.Create(p.log)
	if err != nil {
		return 0, err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = p.dir, e.tfEnv, log, log
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		return exitErr.ExitCode(), nil
	}
	return 0, fmt.Errorf("pipeline %d: terraform %s: %w", p.n, args[0], err)
}

// recorded is the package a pipeline's state records.
type recorded struct {
	id, version string
}

// checkStatesAndStore compares the states with the emulator's store: one
// package per pipeline, distinct versions, the same ids on both sides. It
// returns the versions in order.
func (e *env) checkStatesAndStore(ctx context.Context, pipelines []pipeline) ([]string, error) {
	byID := map[string]recorded{}
	byVersion := map[string]int{}
	for _, p := range pipelines {
		r, err := readState(p)
		if err != nil {
			return nil, err
		}
		if other, ok := byVersion[r.version]; ok {
			return nil, fmt.Errorf("pipelines %d and %d both recorded version %s", other, p.n, r.version)
		}
		byVersion[r.version] = p.n
		byID[r.id] = r
	}
	packages, err := e.client.ListPackages(ctx, h5AppID)
	if err != nil {
		return nil, err
	}
	if len(packages) != len(pipelines) {
		return nil, fmt.Errorf("H5App %s holds %d packages, want exactly %d (one per pipeline)", h5AppID, len(packages), len(pipelines))
	}
	versions := make([]string, 0, len(packages))
	for _, pkg := range packages {
		r, ok := byID[fmt.Sprint(pkg.ID)]
		if !ok || r.version != pkg.Version {
			return nil, fmt.Errorf("package %d (version %s) of the store is not the one a state records (%+v)", pkg.ID, pkg.Version, r)
		}
		versions = append(versions, pkg.Version)
	}
	slices.SortFunc(versions, func(a, b string) int {
		order, _ := offlinepkg.CompareVersionStrings(a, b)
		return order
	})
	return versions, nil
}

// readState reads the package a pipeline's terraform.tfstate records.
func readState(p pipeline) (recorded, error) {
	raw, err := os.ReadFile(filepath.Join(p.dir, "terraform.tfstate"))
	if err != nil {
		return recorded{}, fmt.Errorf("pipeline %d: %w", p.n, err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID      string `json:"id"`
					Version string `json:"version"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		return recorded{}, fmt.Errorf("pipeline %d: terraform.tfstate: %w", p.n, err)
	}
	for _, r := range state.Resources {
		if r.Type == "mpaas_offline_package" && len(r.Instances) == 1 {
			a := r.Instances[0].Attributes
			return recorded{id: a.ID, version: a.Version}, nil
		}
	}
	return recorded{}, fmt.Errorf("pipeline %d: the state records no mpaas_offline_package", p.n)
}

// tail is the end of a log, for failure messages.
func tail(path string, lines int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	raw, _ := io.ReadAll(f)
	all := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return "    " + strings.Join(all, "\n    ")
}
