// Command live-check is the read-only check a user runs against a real
// mPaaS workspace before the first terraform apply (make live-check;
// CONTRIBUTING.md, "Before the first apply"). With the credentials and IDs
// the provider reads from the environment, it calls every read action the
// provider uses, compares each answer with the JSON types the emulator's
// plain dialect uses (strict), reads it with the provider's own client
// (lenient), and prints the keys that differ, what could not be read and
// the values of the inferred codes (internal/mpaas/inferred.go) it saw.
// It writes nothing: readOnlyTransport refuses every action that is not a
// read before it is sent.
//
// Exit status: 0 when every answer was read; 1 when a read failed or a
// field could not be read; 2 when settings are missing or invalid.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, http.DefaultTransport))
}

// setting is one provider setting and the environment variables it is read
// from, first found wins (as internal/provider/provider.go reads them).
type setting struct {
	name     string
	env      []string
	required bool
}

var settings = []setting{
	{"endpoint", []string{"MPAAS_ENDPOINT"}, false},
	{"region", []string{"ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"}, false},
	{"access_key", []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}, true},
	{"secret_key", []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}, true},
	{"security_token", []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}, false},
	{"app_id", []string{"MPAAS_APP_ID"}, true},
	{"workspace_id", []string{"MPAAS_WORKSPACE_ID"}, true},
	{"tenant_id", []string{"MPAAS_TENANT_ID"}, true},
	{"service_time_zone", []string{"MPAAS_SERVICE_TIME_ZONE"}, false},
}

// readSettings returns each setting's value and the variables of the
// required ones that are missing.
func readSettings(getenv func(string) string) (values map[string]string, missing []string) {
	values = map[string]string{}
	for _, s := range settings {
		for _, name := range s.env {
			if v := strings.TrimSpace(getenv(name)); v != "" {
				values[s.name] = v
				break
			}
		}
		if s.required && values[s.name] == "" {
			missing = append(missing, s.env[0])
		}
	}
	return values, missing
}

// limits bound how much of a large workspace is read.
type limits struct {
	apps, packages, tasks int
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer, next http.RoundTripper) int {
	fs := flag.NewFlagSet("live-check", flag.ContinueOnError)
	fs.SetOutput(out)
	var lim limits
	fs.IntVar(&lim.apps, "max-apps", 10, "H5Apps whose packages are read")
	fs.IntVar(&lim.packages, "max-packages", 3, "packages per H5App whose detail and release tasks are read")
	fs.IntVar(&lim.tasks, "max-tasks", 3, "release tasks whose detail is read")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	values, missing := readSettings(getenv)
	if len(missing) > 0 {
		fmt.Fprintf(out, "live-check: needs %s in the environment (the variables the provider reads; MPAAS_ENDPOINT or ALIBABA_CLOUD_REGION_ID optional); nothing was called\n",
			strings.Join(missing, ", "))
		return 2
	}
	endpoint := values["endpoint"]
	if endpoint == "" {
		var err error
		if endpoint, err = mpaas.EndpointForRegion(values["region"]); err != nil {
			fmt.Fprintln(out, "live-check:", err)
			return 2
		}
	}
	zone, err := mpaas.LoadServiceTimeZone(values["service_time_zone"])
	if err != nil {
		fmt.Fprintln(out, "live-check: MPAAS_SERVICE_TIME_ZONE:", err)
		return 2
	}
	transport := &readOnlyTransport{next: next, bodies: map[string][][]byte{}}
	client, err := mpaas.New(mpaas.Config{
		Endpoint: endpoint, AccessKeyID: values["access_key"], AccessKeySecret: values["secret_key"],
		SecurityToken: values["security_token"], AppID: values["app_id"], WorkspaceID: values["workspace_id"],
		TenantID: values["tenant_id"], MaxRetries: 2, ServiceTimeZone: zone, UserAgent: mpaas.DefaultUserAgent + " live-check",
		HTTPClient: &http.Client{Transport: transport, Timeout: 60 * time.Second},
	})
	if err != nil {
		fmt.Fprintln(out, "live-check:", err)
		return 2
	}
	fmt.Fprintf(out, "live-check: read-only calls to %s (app %s, workspace %s, tenant %s)\n",
		endpoint, values["app_id"], values["workspace_id"], values["tenant_id"])
	r := &reader{client: client, out: out, lim: lim}
	r.readAll(ctx)
	return report(out, transport, r)
}
