package processenv

import (
	"os"
	"testing"
)

func TestQuietSDKLogsUnlessAsked(t *testing.T) {
	for _, name := range logVariables {
		t.Setenv(name, "")
	}
	QuietSDKLogsUnlessAsked()
	for _, name := range sdkLogVariables {
		if got := os.Getenv(name); got != "off" {
			t.Fatalf("with no log variable set, %s = %q, want off", name, got)
		}
	}
	for _, name := range logVariables {
		t.Setenv(name, "")
	}
	t.Setenv("TF_LOG", "TRACE")
	QuietSDKLogsUnlessAsked()
	for _, name := range sdkLogVariables {
		if got := os.Getenv(name); got != "" {
			t.Fatalf("with TF_LOG set, %s = %q, want it untouched", name, got)
		}
	}
}
