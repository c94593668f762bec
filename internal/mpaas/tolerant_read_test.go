package mpaas_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// undecoded maps each field a read could not understand to the raw value it names.
func undecoded(err error) map[string]string {
	out := map[string]string{}
	for _, f := range mpaas.UndecodedFields(err) {
		out[f.Field] = f.Code
	}
	return out
}

// A package whose ResourceType, AutoInstall and InstallType codes the client
// does not know is still listed and read: the read succeeds, names each field
// with the code the service sent, and keeps everything else.
func TestReadsSurviveUnknownPackageCodes(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	created, _, err := api.client.CreatePackage(ctx, api.packageInput("", "odd codes"))
	if err != nil {
		t.Fatal(err)
	}
	for field, code := range map[string]string{mpaas.FieldResourceType: "7", mpaas.FieldAutoInstall: "5", mpaas.FieldInstallType: "9"} {
		if err := api.emu.SetPackageWireCode(created.ID, field, code); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{mpaas.FieldResourceType: "7", mpaas.FieldAutoInstall: "5", mpaas.FieldInstallType: "9"}

	packages, err := api.client.ListPackages(ctx, appID)
	if err != nil || len(packages) != 1 {
		t.Fatalf("ListPackages = %d packages, %v; want the one package", len(packages), err)
	}
	got, err := api.client.GetPackage(ctx, created.ID)
	if err != nil || got == nil {
		t.Fatalf("GetPackage = %v, %v", got, err)
	}
	for source, pkg := range map[string]mpaas.Package{"list": packages[0], "get": *got} {
		if fields := undecoded(pkg.DecodeError); !reflect.DeepEqual(fields, want) {
			t.Errorf("%s: undecoded fields %v, want %v (error %v)", source, fields, want, pkg.DecodeError)
		}
		if pkg.ResourceType != "" || pkg.DownloadPolicy != "" || pkg.InstallPolicy != "" {
			t.Errorf("%s: unreadable fields read as %q %q %q, want them empty", source, pkg.ResourceType, pkg.DownloadPolicy, pkg.InstallPolicy)
		}
		if pkg.ID != created.ID || pkg.Version != "0.0.0.1" || !pkg.Targets.Equal(androidSettings.Targets) || pkg.MainURL != "/www/index.html" {
			t.Errorf("%s: the readable fields were lost: %+v", source, pkg)
		}
	}
}

// A release task with unknown PublishType, TaskStatus and PublishMode codes
// is read, listed and named field by field.
func TestReadsSurviveUnknownTaskCodes(t *testing.T) {
	api := newScriptedAPI(t)
	ctx := context.Background()
	packageID := api.releasablePackage()
	release, err := api.client.CreateRelease(ctx, mpaas.CreateReleaseInput{PackageID: packageID, Memo: "odd codes", Type: mpaas.ReleaseTypeOfficial})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{mpaas.FieldPublishType: "8", mpaas.FieldTaskStatus: "6", mpaas.FieldPublishMode: "4"}
	for field, code := range want {
		if err := api.emu.SetTaskWireCode(release.ID, field, code); err != nil {
			t.Fatal(err)
		}
	}
	got, err := api.client.GetRelease(ctx, release.ID)
	if err != nil || got == nil {
		t.Fatalf("GetRelease = %v, %v", got, err)
	}
	listed, err := api.client.ListReleases(ctx, packageID)
	if err != nil || len(listed) != 1 {
		t.Fatalf("ListReleases = %d tasks, %v", len(listed), err)
	}
	for source, r := range map[string]mpaas.Release{"detail": *got, "list": listed[0]} {
		if fields := undecoded(r.DecodeError); !reflect.DeepEqual(fields, want) {
			t.Errorf("%s: undecoded fields %v, want %v (error %v)", source, fields, want, r.DecodeError)
		}
		if r.ID != release.ID || r.PackageID != packageID || r.Memo != "odd codes" || r.Type != "" || r.Status != "" {
			t.Errorf("%s: read %+v", source, r)
		}
	}
}

// Known codes give no DecodeError at all, so callers can test it against nil.
func TestKnownCodesHaveNoDecodeError(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	if _, _, err := api.client.CreatePackage(ctx, api.packageInput("", "plain")); err != nil {
		t.Fatal(err)
	}
	packages, err := api.client.ListPackages(ctx, appID)
	if err != nil || len(packages) != 1 || packages[0].DecodeError != nil {
		t.Fatalf("ListPackages = %+v, %v; want one package without DecodeError", packages, err)
	}
}
