package offlinepkg

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// The commands the layout errors suggest run as written in bash: a folder
// name with a space or a quote reaches mv as one argument.
func TestMisplacedCommandsAreCopySafe(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	command := regexp.MustCompile("`((?:cd|mv) [^`]*)`")
	for folder, wantMv := range map[string]string{
		"dist":           "mv|dist|12345678",
		"my site":        "mv|my site|12345678",
		"Bob's build":    "mv|Bob's build|12345678",
		"dist/12345678/": "cd|dist",
	} {
		name := folder + "www/index.html"
		if !strings.HasSuffix(folder, "/") {
			name = folder + "/www/index.html"
		}
		data := zipBytes(t, f(name))
		_, vs := Inspect(bytes.NewReader(data), int64(len(data)), InspectOptions{H5AppID: testID, MainURL: "/www/index.html"})
		if len(vs) != 1 {
			t.Fatalf("%q: %v", folder, vs)
		}
		found := command.FindStringSubmatch(vs[0].Message)
		if found == nil {
			t.Fatalf("%q: no command in %q", folder, vs[0].Message)
		}
		stubs := `args() { local IFS='|'; printf '%s\n' "$*"; }; cd() { args cd "$@"; }; mv() { args mv "$@"; }; zip() { args zip "$@"; }; `
		out, err := exec.Command("bash", "-c", stubs+found[1]).CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %q failed: %v\n%s", folder, found[1], err, out)
		}
		if first := strings.SplitN(string(out), "\n", 2)[0]; first != wantMv {
			t.Errorf("%q: %q runs %q first, want %q", folder, found[1], first, wantMv)
		}
	}
}
