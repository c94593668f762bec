package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// listRun is what one List call streamed: the display names of the results
// in order, and every diagnostic with the position it came at (the number
// of results before it).
type listRun struct {
	names    []string
	warnings []string // "summary: detail"
	errors   []string
	firstAt  int // results streamed before the first diagnostic; -1 without one
}

// runList calls List of a list resource as the framework does, against the
// environment's emulator, with the config block's attributes set to config
// (the others null; nil config for no config block).
func runList(t *testing.T, env *testEnv, listed list.ListResourceWithConfigure, managed fwresource.ResourceWithIdentity, config map[string]tftypes.Value, limit int64) listRun {
	t.Helper()
	ctx := context.Background()
	var configure fwresource.ConfigureResponse
	listed.Configure(ctx, fwresource.ConfigureRequest{ProviderData: newProviderData(env.client)}, &configure)
	var listSchema list.ListResourceSchemaResponse
	listed.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &listSchema)
	var resourceSchema fwresource.SchemaResponse
	managed.Schema(ctx, fwresource.SchemaRequest{}, &resourceSchema)
	var identitySchema fwresource.IdentitySchemaResponse
	managed.IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &identitySchema)

	configType, ok := listSchema.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the list config schema is not an object")
	}
	raw := tftypes.NewValue(configType, nil)
	if config != nil {
		attributes := map[string]tftypes.Value{}
		for name, typ := range configType.AttributeTypes {
			attributes[name] = tftypes.NewValue(typ, nil)
			if value, ok := config[name]; ok {
				attributes[name] = value
			}
		}
		raw = tftypes.NewValue(configType, attributes)
	}
	req := list.ListRequest{
		Config: tfsdk.Config{Schema: listSchema.Schema, Raw: raw}, Limit: limit,
		ResourceSchema: resourceSchema.Schema, ResourceIdentitySchema: identitySchema.IdentitySchema,
	}
	var stream list.ListResultsStream
	listed.List(ctx, req, &stream)
	run := listRun{firstAt: -1}
	for result := range stream.Results {
		if len(result.Diagnostics) > 0 && run.firstAt < 0 {
			run.firstAt = len(run.names)
		}
		run.collect(result.Diagnostics)
		if result.DisplayName != "" {
			run.names = append(run.names, result.DisplayName)
		}
	}
	return run
}

func (r *listRun) collect(diags diag.Diagnostics) {
	for _, d := range diags {
		text := d.Summary() + ": " + d.Detail()
		if d.Severity() == diag.SeverityError {
			r.errors = append(r.errors, text)
		} else {
			r.warnings = append(r.warnings, text)
		}
	}
}

func stringList(values ...string) tftypes.Value {
	items := make([]tftypes.Value, len(values))
	for i, v := range values {
		items[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, items)
}

// H5Apps of two teams; the filters keep one team's, and a limit below the
// number that match warns before the first result, with the count left out.
func TestH5AppListFiltersAndLimitWarning(t *testing.T) {
	env := newTestEnv(t)
	for _, app := range []struct{ id, name string }{
		{"61000001", "team-a-portal"}, {"61000002", "team-b-portal"}, {"61000003", "team-a-checkout"}, {"61000004", "Team-A-admin"},
	} {
		env.createAppOutOfBand(app.id, app.name)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, tc := range []struct {
		name         string
		config       map[string]tftypes.Value
		limit        int64
		wantNames    []string
		wantWarning  string
		wantErrorHas string
	}{
		{name: "no config block", limit: 100,
			wantNames: []string{"team-a-portal (61000001)", "team-b-portal (61000002)", "team-a-checkout (61000003)", "Team-A-admin (61000004)"}},
		{name: "name_regex", config: map[string]tftypes.Value{"name_regex": str("^team-a-")}, limit: 100,
			wantNames: []string{"team-a-portal (61000001)", "team-a-checkout (61000003)"}},
		{name: "case-insensitive name_regex", config: map[string]tftypes.Value{"name_regex": str("(?i)^team-a-")}, limit: 100,
			wantNames: []string{"team-a-portal (61000001)", "team-a-checkout (61000003)", "Team-A-admin (61000004)"}},
		{name: "h5app_ids", config: map[string]tftypes.Value{"h5app_ids": stringList("61000004", "61000002", "61000004")}, limit: 100,
			wantNames: []string{"team-b-portal (61000002)", "Team-A-admin (61000004)"}},
		{name: "both filters", config: map[string]tftypes.Value{"h5app_ids": stringList("61000001", "61000002"), "name_regex": str("portal$")}, limit: 100,
			wantNames: []string{"team-a-portal (61000001)", "team-b-portal (61000002)"}},
		{name: "limit below the matches", config: map[string]tftypes.Value{"name_regex": str("(?i)team-a")}, limit: 1,
			wantNames:   []string{"team-a-portal (61000001)"},
			wantWarning: "Query cut short by limit = 1: This list block returns the first 1 H5Apps (by H5App ID), and 2 more H5Apps match."},
		{name: "limit equal to the matches", config: map[string]tftypes.Value{"name_regex": str("^team-a-")}, limit: 2,
			wantNames: []string{"team-a-portal (61000001)", "team-a-checkout (61000003)"}},
		{name: "an ID with no H5App", config: map[string]tftypes.Value{"h5app_ids": stringList("61000001", "69999999")}, limit: 100,
			wantErrorHas: "h5app_ids names 69999999, which this workspace does not hold"},
		{name: "invalid name_regex", config: map[string]tftypes.Value{"name_regex": str("team-(a")}, limit: 100,
			wantErrorHas: "name_regex \"team-(a\" is not a regular expression: missing closing )"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := runList(t, env, &h5AppListResource{}, &h5AppResource{}, tc.config, tc.limit)
			if tc.wantErrorHas != "" {
				if len(run.errors) != 1 || !strings.Contains(run.errors[0], tc.wantErrorHas) {
					t.Fatalf("errors %q, want one containing %q", run.errors, tc.wantErrorHas)
				}
				return
			}
			if len(run.errors) > 0 || !slices.Equal(run.names, tc.wantNames) {
				t.Fatalf("listed %q (errors %q), want %q", run.names, run.errors, tc.wantNames)
			}
			checkLimitWarning(t, run, tc.wantWarning)
		})
	}
}

// checkLimitWarning wants exactly the warning want (none for ""), streamed
// before the first result.
func checkLimitWarning(t *testing.T, run listRun, want string) {
	t.Helper()
	if want == "" {
		if len(run.warnings) > 0 {
			t.Fatalf("unexpected warnings %q", run.warnings)
		}
		return
	}
	if len(run.warnings) != 1 || !strings.HasPrefix(run.warnings[0], want) || run.firstAt != 0 {
		t.Fatalf("warnings %q after %d results, want one starting %q before the first result", run.warnings, run.firstAt, want)
	}
}

func TestAppFilterSelectApps(t *testing.T) {
	apps := []mpaas.App{{H5AppID: "1", Name: "a"}, {H5AppID: "2", Name: "b"}, {H5AppID: "3", Name: "ab"}}
	ids := func(kept []mpaas.App) []string {
		out := []string{}
		for _, app := range kept {
			out = append(out, app.H5AppID)
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		filter      appFilter
		wantKept    []string
		wantMissing []string
	}{
		{"no filter", appFilter{}, []string{"1", "2", "3"}, nil},
		{"ids keep the listing order", appFilter{ids: []string{"3", "1"}}, []string{"1", "3"}, nil},
		{"missing ids named once", appFilter{ids: []string{"9", "1", "9", "8"}}, []string{"1"}, []string{"9", "8"}},
		{"an id whose name fails is not missing", appFilter{ids: []string{"2"}, name: regexp.MustCompile("^a")}, []string{}, nil},
		{"name unanchored", appFilter{name: regexp.MustCompile("b")}, []string{"2", "3"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, missing := tc.filter.selectApps(apps)
			if !slices.Equal(ids(kept), tc.wantKept) || !slices.Equal(missing, tc.wantMissing) {
				t.Fatalf("kept %q missing %q, want %q and %q", ids(kept), missing, tc.wantKept, tc.wantMissing)
			}
		})
	}
}

// The package list warns when the limit leaves versions out, "at least" when
// H5Apps past the limit were not read.
func TestPackageListLimitWarning(t *testing.T) {
	fixture := newQueryFixture(t)
	for _, tc := range []struct {
		limit       int64
		wantNames   []string
		wantWarning string
		wantReads   int64
	}{
		{limit: 1, wantNames: []string{"Portal (31000001) version 1.0.0.1"}, wantReads: 1,
			wantWarning: "Query cut short by limit = 1: This list block returns the first 1 package versions (by H5App ID and version), " +
				"and at least 1 more package versions match (the rest were not read)."},
		{limit: 2, wantNames: []string{"Portal (31000001) version 1.0.0.1", "Portal (31000001) version 1.0.0.2"}, wantReads: 2,
			wantWarning: "Query cut short by limit = 2: This list block returns the first 2 package versions (by H5App ID and version), " +
				"and 1 more package versions match. Raise limit in the list block to adopt them, or narrow the config block with " +
				"h5app_id, min_version or max_version."},
		{limit: 3, wantNames: []string{"Portal (31000001) version 1.0.0.1", "Portal (31000001) version 1.0.0.2", "Checkout (31000002) version 0.0.0.1"},
			wantReads: 2},
	} {
		t.Run(fmt.Sprint("limit ", tc.limit), func(t *testing.T) {
			var run listRun
			calls := fixture.env.apiCalls(func() {
				run = runList(t, fixture.env, &offlinePackageListResource{}, &offlinePackageResource{}, nil, tc.limit)
			})
			if len(run.errors) > 0 || !slices.Equal(run.names, tc.wantNames) {
				t.Fatalf("listed %q (errors %q), want %q", run.names, run.errors, tc.wantNames)
			}
			checkLimitWarning(t, run, tc.wantWarning)
			if got := calls[mpaas.ActionListNebulaResources]; got != tc.wantReads {
				t.Errorf("%d package list calls, want %d", got, tc.wantReads)
			}
		})
	}
}
