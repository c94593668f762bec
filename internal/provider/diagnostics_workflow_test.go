package provider

import (
	"compress/flate"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAccDiagnostics_eachOnce runs terraform plan as a user does and counts
// how often each diagnostic is printed: a warning once per plan, an API
// error once with its request id, and an unreachable endpoint is an error
// (never a warning that skips the checks it would have made).
func TestAccDiagnostics_eachOnce(t *testing.T) {
	t.Run("R13 warning once", func(t *testing.T) {
		env := newTestEnv(t)
		cli := newCLIRun(t)
		zipAt(t, cli.path("pkg.zip"), map[string]string{"30030001/www/index.html": "x"}, time.Now(), flate.DefaultCompression, false)
		cli.write("main.tf", env.providerBlock()+`
resource "mpaas_offline_package" "pkg" {
  h5app_id                = "30030001"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "pkg.zip"
  android                 = { min_version = "10.1", max_version = "11.0" }
}
`)
		cli.init()
		out := cli.must(0, "plan")
		if n := strings.Count(out, "A maximum client version cuts off future clients (R13)"); n != 1 {
			t.Fatalf("want the R13 warning once, got %d:\n%s", n, out)
		}
		if strings.Contains(out, "more similar warning") {
			t.Fatalf("the R13 warning is repeated:\n%s", out)
		}
		mustContain(t, out, `android                 = { min_version = "10.1", max_version = "11.0" }`, "android.max_version")
	})

	t.Run("API error once with its request id", func(t *testing.T) {
		env := newTestEnv(t)
		cli := newCLIRun(t)
		body := `
resource "mpaas_h5app" "app" {
  h5app_id = "30030002"
  name     = "Signature"
}

resource "mpaas_offline_package" "pkg" {
  h5app_id      = mpaas_h5app.app.h5app_id
  resource_type = "normal"
  source        = "pkg.zip"
  android       = { min_version = "10.1" }
}

resource "mpaas_offline_package_release" "pkg" {
  package_id = mpaas_offline_package.pkg.id
  memo       = "signature"
  type       = "official"
}
`
		zipAt(t, cli.path("pkg.zip"), map[string]string{"30030002/www/index.html": "x"}, time.Now(), flate.DefaultCompression, false)
		cli.write("main.tf", env.providerBlock()+body)
		cli.init()
		cli.must(0, "apply", "-auto-approve")
		// The same stack with a wrong secret: every refresh fails, each once.
		cli.write("main.tf", strings.Replace(env.providerBlock(), testAccessKeySecret, "wrong-secret", 1)+body)
		for _, command := range [][]string{{"plan"}, {"apply", "-auto-approve"}, {"destroy", "-auto-approve"}} {
			out := cli.must(1, command...)
			ids := regexp.MustCompile(`Request ID: (\S+)`).FindAllStringSubmatch(out, -1)
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id[1]] {
					t.Fatalf("terraform %s prints the error of request %s twice:\n%s", command[0], id[1], out)
				}
				seen[id[1]] = true
			}
			if len(ids) == 0 || !strings.Contains(out, "SignatureDoesNotMatch") {
				t.Fatalf("terraform %s: want the signature errors with their request ids:\n%s", command[0], out)
			}
		}
	})

	t.Run("unreachable endpoint is a plan error", func(t *testing.T) {
		env := newTestEnv(t)
		cli := newCLIRun(t)
		zipAt(t, cli.path("pkg.zip"), map[string]string{"30030003/www/index.html": "x"}, time.Now(), flate.DefaultCompression, false)
		cli.write("main.tf", strings.Replace(env.providerBlock(), env.server.URL, "http://127.0.0.1:9", 1)+`
resource "mpaas_offline_package" "pkg" {
  h5app_id      = "30030003"
  resource_type = "normal"
  source        = "pkg.zip"
  android       = { min_version = "10.1" }
}
`)
		cli.init()
		out := cli.must(1, "plan")
		mustContain(t, out, "Error: Cannot look up H5App 30030003")
		if strings.Contains(out, "Warning: Cannot look up") {
			t.Fatalf("an unreachable endpoint must not be a warning:\n%s", out)
		}
	})
}
