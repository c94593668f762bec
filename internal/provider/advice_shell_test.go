package provider

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// The commands the H5App refusals suggest work when pasted into a shell with
// NAME replaced by a for_each address: brackets and double quotes reach
// terraform as one argument (unquoted, bash reads <name> as a redirection
// and zsh expands [...] as a glob).
func TestRefusalCommandsAreCopySafe(t *testing.T) {
	details := map[string]struct {
		text     string
		commands int
	}{
		"destroy":     {destroyRefusalDetail("12345678", 2, "Nothing has been changed."), 2},
		"replacement": {replacementRefusalDetail("name", "portal", "12345678", 2, false), 1},
	}
	want := map[string][]string{
		"apply": {"apply", `-target=mpaas_h5app.portal["a"]`},
		"state": {"state", "rm", `mpaas_h5app.portal["a"]`},
	}
	shells := []string{"bash", "zsh"}
	ran := 0
	for _, shell := range shells {
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("%s is not installed; not checked with it", shell)
			continue
		}
		for name, detail := range details {
			commands := 0
			for _, line := range strings.Split(detail.text, "\n") {
				command := strings.TrimSpace(line)
				if !strings.HasPrefix(command, "terraform ") {
					continue
				}
				commands++
				pasted := strings.ReplaceAll(command, "NAME", `portal["a"]`)
				out, err := exec.Command(shell, "-c", `terraform() { printf '%s\n' "$@"; }; `+pasted).CombinedOutput()
				if err != nil {
					t.Fatalf("%s, %s refusal: %q failed: %v\n%s", shell, name, pasted, err, out)
				}
				args := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
				if !reflect.DeepEqual(args, want[args[0]]) {
					t.Errorf("%s, %s refusal: %q passes terraform %q, want %q", shell, name, pasted, args, want[args[0]])
				}
			}
			if commands != detail.commands {
				t.Errorf("%s refusal suggests %d terraform commands on their own lines, want %d:\n%s", name, commands, detail.commands, detail.text)
			}
		}
		ran++
	}
	if ran == 0 {
		t.Skip("neither bash nor zsh is installed")
	}
}
