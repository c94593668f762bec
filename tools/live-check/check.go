package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// gatewayErrorShape names the emulator's shape of a gateway error body.
const gatewayErrorShape = "GatewayError"

// reader calls the read actions through the provider's client (the lenient
// decoding) and keeps what failed and what could not be read.
type reader struct {
	client *mpaas.Client
	out    io.Writer
	lim    limits

	failures   []string // calls that returned an error
	undecoded  []string // fields a read could not understand
	packages   int
	tasks      int
	detailTask int64
}

// readAll calls each read action the provider uses at least once where the
// workspace has something to read.
func (r *reader) readAll(ctx context.Context) {
	if _, err := r.client.QueryVhost(ctx); err != nil {
		r.fail(mpaas.ActionQueryVhost, err)
	}
	if _, err := r.client.ExistRsaKey(ctx); err != nil {
		r.fail(mpaas.ActionExistRsaKey, err)
	}
	if whitelists, err := r.client.ListWhitelists(ctx, ""); err != nil {
		r.fail(mpaas.ActionListWhitelists, err)
	} else {
		fmt.Fprintf(r.out, "read %d whitelists\n", len(whitelists))
	}
	apps, err := r.client.ListApps(ctx, "")
	if err != nil {
		r.fail(mpaas.ActionListNebulaApps, err)
		return
	}
	fmt.Fprintf(r.out, "read %d H5Apps\n", len(apps))
	for i, app := range apps {
		if i == r.lim.apps {
			fmt.Fprintf(r.out, "(packages of %d more H5Apps not read: -max-apps)\n", len(apps)-i)
			break
		}
		r.readApp(ctx, app)
	}
	fmt.Fprintf(r.out, "read %d packages and %d release tasks\n", r.packages, r.tasks)
}

func (r *reader) readApp(ctx context.Context, app mpaas.App) {
	packages, err := r.client.ListPackages(ctx, app.H5AppID)
	if err != nil {
		r.fail(mpaas.ActionListNebulaResources+" of H5App "+app.H5AppID, err)
		return
	}
	for i := range packages {
		pkg := &packages[i]
		r.packages++
		r.note(fmt.Sprintf("package %d (H5App %s version %s, listed)", pkg.ID, pkg.H5AppID, pkg.Version), pkg.DecodeError)
		if i >= r.lim.packages {
			continue
		}
		got, err := r.client.GetPackage(ctx, pkg.ID)
		switch {
		case err != nil:
			r.fail(fmt.Sprintf("%s %d", mpaas.ActionGetNebulaResource, pkg.ID), err)
		case got == nil:
			r.failures = append(r.failures, fmt.Sprintf("%s %d: listed, but its detail says it does not exist", mpaas.ActionGetNebulaResource, pkg.ID))
		default:
			r.note(fmt.Sprintf("package %d (detail)", pkg.ID), got.DecodeError)
		}
		r.readReleases(ctx, pkg.ID)
	}
}

func (r *reader) readReleases(ctx context.Context, packageID int64) {
	releases, err := r.client.ListReleases(ctx, packageID)
	if err != nil {
		r.fail(fmt.Sprintf("%s of package %d", mpaas.ActionListNebulaTasks, packageID), err)
		return
	}
	for i := range releases {
		release := &releases[i]
		r.tasks++
		r.note(fmt.Sprintf("release task %d (listed)", release.ID), release.DecodeError)
		if r.detailTask >= int64(r.lim.tasks) {
			continue
		}
		r.detailTask++
		got, err := r.client.GetRelease(ctx, release.ID)
		switch {
		case err != nil:
			r.fail(fmt.Sprintf("%s %d", mpaas.ActionGetNebulaTaskDetail, release.ID), err)
		case got == nil:
			r.failures = append(r.failures, fmt.Sprintf("%s %d: listed, but its detail says it does not exist", mpaas.ActionGetNebulaTaskDetail, release.ID))
		default:
			r.note(fmt.Sprintf("release task %d (detail)", release.ID), got.DecodeError)
		}
	}
}

func (r *reader) fail(what string, err error) {
	r.failures = append(r.failures, what+": "+err.Error())
}

// note keeps each field of object a read could not understand.
func (r *reader) note(object string, decodeErr error) {
	for _, f := range mpaas.UndecodedFields(decodeErr) {
		r.undecoded = append(r.undecoded, object+": "+f.Error())
	}
}

// inferredKeys are the answer keys whose values are guesses of
// internal/mpaas/inferred.go; live-check lists the values it saw.
var inferredKeys = []string{
	"ResultCode", "ErrorCode", "ResourceType", "AutoInstall", "InstallType", "Platform", "ClientVersionMin",
	"ClientVersionMax", "PublishType", "PublishMode", "TaskStatus", "GreyConfigInfo", "GmtCreate", "GreyEndtimeData", "FileSize",
}

// report prints the comparison with the emulator's shapes, what the
// lenient reading could not read and the inferred values seen, and returns
// the exit status.
func report(out io.Writer, t *readOnlyTransport, r *reader) int {
	fmt.Fprintln(out, "\n== answers against the JSON types of the emulator's plain dialect (strict)")
	differences := 0
	for _, action := range t.actionsRead() {
		seen := map[string]bool{}
		var lines []string
		for _, body := range t.bodies[action] {
			problems, err := emulator.WireShapeDifferences(action, body)
			if err != nil {
				problems = []string{"not JSON: " + err.Error()}
			}
			for _, p := range problems {
				if !seen[p] {
					seen[p] = true
					lines = append(lines, p)
				}
			}
		}
		differences += len(lines)
		if len(lines) == 0 {
			fmt.Fprintf(out, "%s: %d answers, same keys and types\n", action, len(t.bodies[action]))
			continue
		}
		fmt.Fprintf(out, "%s: %d answers, %d differences:\n", action, len(t.bodies[action]), len(lines))
		for _, line := range lines {
			fmt.Fprintln(out, "  "+line)
		}
	}

	fmt.Fprintln(out, "\n== the provider's client (lenient)")
	for _, f := range r.failures {
		fmt.Fprintln(out, "failed: "+f)
	}
	for _, u := range r.undecoded {
		fmt.Fprintln(out, "not understood: "+u)
	}
	for _, refused := range t.refused {
		fmt.Fprintln(out, "refused: "+refused)
	}
	if len(r.failures)+len(r.undecoded) == 0 {
		fmt.Fprintln(out, "every answer read, every field understood")
	}

	fmt.Fprintln(out, "\n== values of inferred fields (internal/mpaas/inferred.go)")
	observed := observedValues(t)
	for _, key := range inferredKeys {
		if values := observed[key]; len(values) > 0 {
			fmt.Fprintf(out, "%s: %s\n", key, strings.Join(values, ", "))
		}
	}

	fmt.Fprintf(out, "\nlive-check: %d differences from the emulator's shapes, %d failed reads, %d fields not understood; nothing was written\n",
		differences, len(r.failures), len(r.undecoded))
	if len(r.failures)+len(r.undecoded)+len(t.refused) > 0 {
		return 1
	}
	return 0
}

// observedValues lists, per key of inferredKeys, the distinct values the
// answers held (as JSON, with a count), times by their form only.
func observedValues(t *readOnlyTransport) map[string][]string {
	counts := map[string]map[string]int{}
	t.mu.Lock()
	for _, bodies := range t.bodies {
		for _, body := range bodies {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var doc any
			if dec.Decode(&doc) == nil {
				collectValues(doc, counts)
			}
		}
	}
	t.mu.Unlock()
	out := map[string][]string{}
	for key, values := range counts {
		for value, n := range values {
			out[key] = append(out[key], fmt.Sprintf("%s (%d)", value, n))
		}
		sort.Strings(out[key])
	}
	return out
}

func collectValues(v any, counts map[string]map[string]int) {
	switch x := v.(type) {
	case map[string]any:
		for key, elem := range x {
			if isInferredKey(key) {
				if _, nested := elem.(map[string]any); !nested {
					if counts[key] == nil {
						counts[key] = map[string]int{}
					}
					counts[key][describe(key, elem)]++
				}
			}
			collectValues(elem, counts)
		}
	case []any:
		for _, elem := range x {
			collectValues(elem, counts)
		}
	}
}

func isInferredKey(key string) bool {
	for _, k := range inferredKeys {
		if k == key {
			return true
		}
	}
	return false
}

// describe is a value as listed: its JSON text, or for times and sizes
// only their form (the values themselves say nothing about the guess).
func describe(key string, v any) string {
	text, _ := json.Marshal(v)
	switch key {
	case "GmtCreate", "GreyEndtimeData":
		return timeForm(v)
	case "FileSize":
		if _, isNumber := v.(json.Number); isNumber {
			return "a number"
		}
		return "a string"
	}
	if len(text) > 80 {
		return string(text[:77]) + "..."
	}
	return string(text)
}

// timeForm names the form of a time value.
func timeForm(v any) string {
	switch x := v.(type) {
	case json.Number:
		return "epoch milliseconds (number)"
	case string:
		switch {
		case x == "":
			return "empty"
		case strings.Trim(x, "0123456789") == "":
			return "epoch milliseconds (string)"
		case len(x) == len(mpaas.GmtLayout) && x[4] == '-' && x[10] == ' ':
			return "yyyy-MM-dd HH:mm:ss"
		}
		return "another text form"
	case nil:
		return "null"
	}
	return "another JSON type"
}
