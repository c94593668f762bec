// Command chaos is the provider's chaos test (make test-chaos): it builds the
// provider and the emulator, starts the emulator with every kind of fault
// (throttling, 5xx, connection resets, lost responses), applies a
// configuration of many offline packages across several H5Apps until
// Terraform succeeds (restarting the emulator once, on the same port and data
// folder, between the first and the second apply), then turns faults off and
// checks that the result is exact:
//
//   - terraform plan -detailed-exitcode shows no changes;
//   - the emulator holds exactly one package per resource, each app exactly
//     the packages of its resources, and no zip registered twice in an app;
//   - terraform state lists exactly the same package ids, one to one.
//
// Usage (from the repository root):
//
//	go run ./tools/chaos [-packages 30] [-apps 10] [-applies 4] [-rate 0.1] [-seed 1]
//
// -rate is the rate of each fault kind per request; the kinds exclude each
// other, so 0.1 fails 40% of API calls and uploads.
package main

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/md5" //nolint:gosec // the package MD5 is a wire field, not a security measure
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/tools/internal/devbuild"
)

const (
	accessKeyID = "chaos-access-key"
	appID       = "ONEXCHAOS000001"
	workspaceID = "default"
	tenantID    = "CHAOSTNT"
)

type options struct {
	packages, apps, applies int
	rate                    float64
	seed                    int64
	parallelism             int
	maxRetries              int
	keep                    bool
	timeout                 time.Duration
}

func main() {
	var o options
	flag.IntVar(&o.packages, "packages", 30, "number of mpaas_offline_package resources (one zip each)")
	flag.IntVar(&o.apps, "apps", 10, "number of H5Apps the packages are spread across")
	flag.IntVar(&o.applies, "applies", 4, "maximum number of terraform apply runs")
	flag.Float64Var(&o.rate, "rate", 0.1, "fault rate per kind (throttle, 5xx, reset, lost response) per request")
	flag.Int64Var(&o.seed, "seed", 1, "fault seed of the first emulator run (each restart adds 1)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.IntVar(&o.maxRetries, "max-retries", 0, "provider max_retries (0: the provider's default)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work folder")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Minute, "overall time limit")
	flag.Parse()
	if o.packages < 1 || o.apps < 1 || o.apps > o.packages || o.applies < 2 {
		fmt.Fprintln(os.Stderr, "chaos: need packages >= apps >= 1 and applies >= 2")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: FAIL:", err)
		os.Exit(1)
	}
}

// pkg is one mpaas_offline_package resource and its zip.
type pkg struct {
	name   string // resource name
	h5ID   string
	source string
	size   int64
	md5    string
}

type env struct {
	o        options
	root     string // repository root
	work     string
	bin      string
	data     string
	addr     string
	secret   string
	tfEnv    []string
	emu      *exec.Cmd
	emuLog   string
	emuRuns  int
	faults   map[string]int64
	packages []pkg
	storeIDs map[string]string // package id -> "h5ID size/md5"
}

func run(o options) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	root, err := devbuild.RepoRoot()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "mpaas-chaos-")
	if err != nil {
		return err
	}
	e := &env{o: o, root: root, work: work, bin: filepath.Join(work, "bin"), data: filepath.Join(work, "emulator-data"),
		secret: fmt.Sprintf("chaos-secret-%d", time.Now().UnixNano()), faults: map[string]int64{}}
	defer func() {
		_ = e.stopEmulator()
		if err != nil || o.keep {
			fmt.Fprintln(os.Stderr, "chaos: work folder kept at", work)
			return
		}
		os.RemoveAll(work)
	}()

	start := time.Now()
	if err := e.build(ctx); err != nil {
		return err
	}
	if err := e.writeConfig(); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	e.addr = "127.0.0.1:" + strconv.Itoa(port)
	e.tfEnv = append(os.Environ(),
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"TF_CLI_CONFIG_FILE="+filepath.Join(work, "terraformrc"),
		"MPAAS_ENDPOINT=http://"+e.addr,
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+accessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+e.secret,
		"MPAAS_APP_ID="+appID, "MPAAS_WORKSPACE_ID="+workspaceID, "MPAAS_TENANT_ID="+tenantID,
		"TF_LOG=", "TF_LOG_PATH=",
	)

	if err := e.startEmulator(ctx, true); err != nil {
		return err
	}
	converged := 0
	var logs []string
	for i := 1; i <= o.applies; i++ {
		if i == 2 {
			// Prove a restart loses nothing: same port, same data folder.
			if err := e.stopEmulator(); err != nil {
				return err
			}
			if err := e.startEmulator(ctx, true); err != nil {
				return err
			}
		}
		logPath := filepath.Join(work, fmt.Sprintf("apply-%d.log", i))
		logs = append(logs, logPath)
		code, err := e.terraform(ctx, logPath, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism="+strconv.Itoa(o.parallelism))
		if err != nil {
			return err
		}
		fmt.Printf("chaos: apply %d exited %d (%s)\n", i, code, summarizeApply(logPath))
		if code == 0 {
			converged = i
			break
		}
	}
	if err := e.stopEmulator(); err != nil {
		return err
	}
	if converged == 0 {
		for _, l := range logs {
			printErrorLines(l)
		}
		return fmt.Errorf("terraform apply did not succeed in %d runs under faults (%s)", o.applies, e.faultLine())
	}

	// Without faults: nothing to change, and everything exact.
	if err := e.startEmulator(ctx, false); err != nil {
		return err
	}
	planLog := filepath.Join(work, "plan.log")
	code, err := e.terraform(ctx, planLog, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err != nil {
		return err
	}
	if code != 0 {
		printErrorLines(planLog)
		showTail(planLog, 60)
		return fmt.Errorf("terraform plan -detailed-exitcode exited %d after convergence, want 0 (no changes)", code)
	}
	storeCount, err := e.checkStore(ctx)
	if err != nil {
		return err
	}
	stateCount, err := e.checkState(ctx)
	if err != nil {
		return err
	}
	if err := e.stopEmulator(); err != nil {
		return err
	}
	applies := "applies"
	if converged == 1 {
		applies = "apply"
	}
	fmt.Printf("chaos: %d packages across %d apps converged after %d %s; faults injected: %s; emulator store: %d packages, state: %d packages, 1:1 (%s)\n",
		len(e.packages), o.apps, converged, applies, e.faultLine(), storeCount, stateCount, time.Since(start).Round(time.Second))
	return nil
}

func (e *env) build(ctx context.Context) error {
	for _, b := range []struct{ out, pkg string }{
		{filepath.Join(e.bin, "terraform-provider-mpaas"), "."},
		{filepath.Join(e.bin, "mpaas-emulator"), "./tools/mpaas-emulator"},
	} {
		if err := devbuild.Build(ctx, e.root, b.pkg, b.out); err != nil {
			return err
		}
	}
	return devbuild.WriteCLIConfig(filepath.Join(e.work, "terraformrc"), e.bin)
}

// writeConfig generates one zip per package (distinct content) and a
// configuration with one resource per package.
func (e *env) writeConfig() error {
	cfgDir := filepath.Join(e.work, "config")
	zipDir := filepath.Join(e.work, "zips")
	for _, d := range []string{cfgDir, zipDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    mpaas = { source = \"mpaas-tf/mpaas\" }\n  }\n}\n\n")
	if e.o.maxRetries > 0 {
		fmt.Fprintf(&b, "provider \"mpaas\" {\n  max_retries = %d\n}\n", e.o.maxRetries)
	} else {
		b.WriteString("provider \"mpaas\" {}\n")
	}
	for i := 0; i < e.o.packages; i++ {
		h5ID := strconv.Itoa(31000000 + i%e.o.apps)
		p := pkg{name: fmt.Sprintf("p%02d", i), h5ID: h5ID, source: filepath.Join(zipDir, fmt.Sprintf("%s-%02d.zip", h5ID, i))}
		if err := writeZip(p.source, h5ID, i); err != nil {
			return err
		}
		var err error
		if p.size, p.md5, err = fileDigest(p.source); err != nil {
			return err
		}
		e.packages = append(e.packages, p)
		fmt.Fprintf(&b, `
resource "mpaas_offline_package" %q {
  h5app_id                = %q
  create_h5app_if_missing = true
  h5app_name              = "Chaos %s"
  resource_type           = "normal"
  source                  = %q
  main_url                = "/www/index.html"
  android                 = { min_version = "10.1.0" }
}
`, p.name, p.h5ID, p.h5ID, p.source)
	}
	return os.WriteFile(filepath.Join(cfgDir, "main.tf"), []byte(b.String()), 0o600)
}

func writeZip(path, h5ID string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for name, content := range map[string]string{
		h5ID + "/www/index.html": fmt.Sprintf("<html><body>chaos package %d of app %s</body></html>\n", n, h5ID),
		h5ID + "/www/app.js":     fmt.Sprintf("console.log(%d);\n", n),
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			f.Close()
			return err
		}
		if _, err := io.WriteString(w, content); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := md5.New() //nolint:gosec // see import
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("unexpected listener address %v", ln.Addr())
	}
	return addr.Port, nil
}

// startEmulator starts the emulator on e.addr with e.data, with faults or not.
func (e *env) startEmulator(ctx context.Context, faults bool) error {
	e.emuRuns++
	args := []string{"-listen", e.addr, "-data-dir", e.data, "-access-key-id", accessKeyID, "-access-key-secret", e.secret, "-quiet"}
	if faults {
		r := strconv.FormatFloat(e.o.rate, 'g', -1, 64)
		args = append(args, "-fault-seed", strconv.FormatInt(e.o.seed+int64(e.emuRuns)-1, 10),
			"-fault-throttle", r, "-fault-5xx", r, "-fault-reset", r, "-fault-lost-response", r)
	}
	e.emuLog = filepath.Join(e.work, fmt.Sprintf("emulator-%d.log", e.emuRuns))
	logFile, err := os.Create(e.emuLog)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(e.bin, "mpaas-emulator"), args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	e.emu = cmd
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		if want := "mpaas-emulator listening on http://" + e.addr; strings.TrimSpace(line) != want {
			log, _ := os.ReadFile(e.emuLog)
			return fmt.Errorf("emulator start: got %q, want %q\n%s", line, want, log)
		}
	case <-time.After(20 * time.Second):
		return errors.New("the emulator did not start within 20s")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// stopEmulator interrupts the emulator, waits, and adds its fault counts.
func (e *env) stopEmulator() error {
	if e.emu == nil {
		return nil
	}
	cmd := e.emu
	e.emu = nil
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("emulator exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done //nolint:errcheck // killed: its exit error is expected
		return errors.New("the emulator did not stop within 20s")
	}
	data, err := os.ReadFile(e.emuLog)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(line, "faults injected: ")
		if !ok {
			continue
		}
		for _, field := range strings.Fields(rest) {
			k, v, _ := strings.Cut(field, "=")
			n, _ := strconv.ParseInt(v, 10, 64)
			e.faults[k] += n
		}
	}
	return nil
}

func (e *env) faultLine() string {
	var parts []string
	for _, k := range []string{"throttle", "http500", "http503", "reset", "lost_response", "requests"} {
		parts = append(parts, fmt.Sprintf("%s=%d", k, e.faults[k]))
	}
	return strings.Join(parts, " ")
}

// terraform runs one command in the config folder with its output in logPath
// and returns its exit code.
func (e *env) terraform(ctx context.Context, logPath string, args ...string) (int, error) {
	out, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = filepath.Join(e.work, "config")
	cmd.Env = e.tfEnv
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit) && ctx.Err() == nil:
		return exit.ExitCode(), nil
	default:
		return 0, fmt.Errorf("terraform %s: %w", args[0], err)
	}
}

func (e *env) client() (*mpaas.Client, error) {
	return mpaas.New(mpaas.Config{
		Endpoint: "http://" + e.addr, AccessKeyID: accessKeyID, AccessKeySecret: e.secret,
		AppID: appID, WorkspaceID: workspaceID, TenantID: tenantID, MaxRetries: 2,
	})
}

// checkStore reads every app and package through the API and compares them
// with the resources: each app holds exactly the zips of its resources, once.
func (e *env) checkStore(ctx context.Context) (int, error) {
	c, err := e.client()
	if err != nil {
		return 0, err
	}
	apps, err := c.ListApps(ctx, "")
	if err != nil {
		return 0, err
	}
	want := map[string][]string{} // h5ID -> sorted "size/md5" of its resources
	for _, p := range e.packages {
		want[p.h5ID] = append(want[p.h5ID], fmt.Sprintf("%d/%s", p.size, p.md5))
	}
	got := map[string][]string{}
	total := 0
	var problems []string
	e.storeIDs = map[string]string{}
	for _, app := range apps {
		items, err := c.ListPackages(ctx, app.H5AppID)
		if err != nil {
			return 0, err
		}
		seen := map[string]string{}
		for _, it := range items {
			content := fmt.Sprintf("%d/%s", it.FileSize, strings.ToLower(it.MD5))
			if v, dup := seen[content]; dup {
				problems = append(problems, fmt.Sprintf("app %s holds the same zip twice: versions %s and %s", app.H5AppID, v, it.Version))
			}
			seen[content] = it.Version
			got[app.H5AppID] = append(got[app.H5AppID], content)
			e.storeIDs[strconv.FormatInt(it.ID, 10)] = app.H5AppID + " " + content
			total++
		}
	}
	if len(apps) != len(want) {
		problems = append(problems, fmt.Sprintf("the store has %d apps, the configuration %d", len(apps), len(want)))
	}
	for h5ID, w := range want {
		g := got[h5ID]
		sort.Strings(w)
		sort.Strings(g)
		if strings.Join(w, ",") != strings.Join(g, ",") {
			problems = append(problems, fmt.Sprintf("app %s holds %d packages %v, its resources %d %v", h5ID, len(g), g, len(w), w))
		}
	}
	if total != len(e.packages) {
		problems = append(problems, fmt.Sprintf("the store holds %d packages, want %d", total, len(e.packages)))
	}
	if len(problems) > 0 {
		return total, errors.New("emulator store: " + strings.Join(problems, "; "))
	}
	return total, nil
}

// checkState compares terraform show -json with the store, one to one.
func (e *env) checkState(ctx context.Context) (int, error) {
	cmd := exec.CommandContext(ctx, "terraform", "show", "-json")
	cmd.Dir = filepath.Join(e.work, "config")
	cmd.Env = e.tfEnv
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("terraform show -json: %w", err)
	}
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string         `json:"type"`
					Name   string         `json:"name"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return 0, fmt.Errorf("decoding terraform show -json: %w", err)
	}
	byName := map[string]pkg{}
	for _, p := range e.packages {
		byName[p.name] = p
	}
	var problems []string
	ids := map[string]string{}
	count := 0
	for _, r := range doc.Values.RootModule.Resources {
		if r.Type != "mpaas_offline_package" {
			continue
		}
		count++
		id, _ := r.Values["id"].(string)
		if prev, dup := ids[id]; dup {
			problems = append(problems, fmt.Sprintf("%s and %s share package id %s", prev, r.Name, id))
		}
		ids[id] = r.Name
		p, ok := byName[r.Name]
		stored, inStore := e.storeIDs[id]
		switch {
		case !ok:
			problems = append(problems, "unexpected resource "+r.Name)
		case !inStore:
			problems = append(problems, fmt.Sprintf("%s has package id %q, which the store does not hold", r.Name, id))
		case stored != fmt.Sprintf("%s %d/%s", p.h5ID, p.size, p.md5):
			problems = append(problems, fmt.Sprintf("%s (package %s) is %s in the store, want %s %d/%s", r.Name, id, stored, p.h5ID, p.size, p.md5))
		}
	}
	if count != len(e.packages) || len(ids) != len(e.storeIDs) {
		problems = append(problems, fmt.Sprintf("state has %d packages (%d ids), store %d, configuration %d", count, len(ids), len(e.storeIDs), len(e.packages)))
	}
	if len(problems) > 0 {
		return count, errors.New("state: " + strings.Join(problems, "; "))
	}
	return count, nil
}

// summarizeApply returns Terraform's "Apply complete!" line or the number
// of errors.
func summarizeApply(path string) string {
	data, _ := os.ReadFile(path)
	errorsSeen := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Apply complete!") {
			return strings.TrimSpace(line)
		}
		if strings.HasPrefix(line, "Error: ") {
			errorsSeen++
		}
	}
	created := strings.Count(string(data), ": Creation complete after")
	return fmt.Sprintf("%d created, %d errors", created, errorsSeen)
}

// printErrorLines prints each "Error:" line of a log with the lines of its
// diagnostic that follow.
func printErrorLines(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "Error: ") {
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: %s\n", filepath.Base(path), lines[i])
		for j := i + 1; j < len(lines) && j < i+12 && !strings.HasPrefix(lines[j], "Error: "); j++ {
			if t := strings.TrimSpace(lines[j]); t != "" {
				fmt.Fprintf(os.Stderr, "    %s\n", t)
			}
		}
	}
}

func showTail(path string, n int) {
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	fmt.Fprintln(os.Stderr, strings.Join(lines, "\n"))
}
