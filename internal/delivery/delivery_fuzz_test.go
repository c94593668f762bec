package delivery

import (
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// FuzzRangeRules feeds rule bounds and client OS versions as a release's
// rules read from the service may hold them: in_range and out_of_range never
// both match, and both fail (rather than match) for a value or bound that is
// not a version.
func FuzzRangeRules(f *testing.F) {
	for _, seed := range [][3]string{{"10", "14.2", "13.0"}, {"10", "x", "13"}, {"", "", ""}, {" 1.2 ", "1.2", "1.2"}, {"9", "1", "5"}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, lo, hi, osVersion string) {
		client := Client{Platform: Android, Version: "10.1", OSVersion: osVersion}
		rule := func(operator string) mpaas.ReleaseRule {
			return mpaas.ReleaseRule{Element: mpaas.RuleOSVersion, Operator: operator, Values: []string{lo, hi}}
		}
		in, inWhy := ruleMatches(client, rule(mpaas.RuleInRange))
		out, outWhy := ruleMatches(client, rule(mpaas.RuleOutOfRange))
		if in && out {
			t.Fatalf("%q in [%q, %q]: both in_range and out_of_range match", osVersion, lo, hi)
		}
		if (!in && inWhy == "") || (!out && outWhy == "") {
			t.Fatalf("a failed rule without a reason: %q, %q", inWhy, outWhy)
		}
		_, errV := offlinepkg.ParseClientVersion(strings.TrimSpace(osVersion))
		_, errLo := offlinepkg.ParseClientVersion(strings.TrimSpace(lo))
		_, errHi := offlinepkg.ParseClientVersion(strings.TrimSpace(hi))
		if readable := errV == nil && errLo == nil && errHi == nil; readable != (in || out) {
			t.Fatalf("%q in [%q, %q]: readable = %v, in_range %v, out_of_range %v", osVersion, lo, hi, readable, in, out)
		}
	})
}
