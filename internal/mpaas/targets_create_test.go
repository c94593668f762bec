package mpaas_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// TestCreatePackageRefusesDifferentMaximums: the client never registers a
// package whose Android and iOS maximums are both set and differ (R12). The
// wire has one ClientVersionMax, so the emulator would store either value
// without complaint; the refusal must come from the client, before anything
// is sent.
func TestCreatePackageRefusesDifferentMaximums(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	in := api.packageInput("", "two maximums")
	in.Targets = mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1", Max: "11.0"}, IOS: &mpaas.VersionRange{Min: "10.1", Max: "12.0"}}
	pkg, _, err := api.client.CreatePackage(context.Background(), in)
	if err == nil || !strings.Contains(err.Error(), `"11.0" and "12.0"`) {
		t.Fatalf("CreatePackage = %+v, %v; want the refusal naming both maximums", pkg, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 0 {
		t.Fatalf("%s called %d times; nothing may be registered", mpaas.ActionCreateNebulaResource, n)
	}
	if versions := api.versions(); len(versions) != 0 {
		t.Fatalf("the H5App holds %v; want no package", versions)
	}
}
