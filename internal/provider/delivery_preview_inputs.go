package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// This file is the delivery preview's only use of the mPaaS client: it reads
// what internal/delivery decides on and maps it into delivery's own types.

// previewInput reads, through the API, the H5Apps (all, or only h5AppID),
// their packages and the release tasks the decision needs.
func previewInput(ctx context.Context, data *providerData, client delivery.Client, h5AppID string, now time.Time) (delivery.Input, error) {
	in := delivery.Input{Now: now, Client: client}
	ids, err := previewAppIDs(ctx, data.client, h5AppID)
	if err != nil {
		return in, err
	}
	if h5AppID != "" && len(ids) == 0 {
		in.Missing = []string{h5AppID}
	}
	for _, id := range ids {
		app, err := previewApp(ctx, data, in, id)
		if err != nil {
			return in, err
		}
		in.Apps = append(in.Apps, app)
	}
	return in, nil
}

// previewAppIDs lists the H5Apps to preview: the one asked for when it
// exists, otherwise every H5App of the workspace.
func previewAppIDs(ctx context.Context, client *mpaas.Client, h5AppID string) ([]string, error) {
	if h5AppID != "" {
		app, err := client.FindNebulaApp(ctx, h5AppID)
		if err != nil || app == nil {
			return nil, err
		}
		return []string{app.H5Id}, nil
	}
	apps, err := client.ListAllNebulaApps(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(apps))
	for i, app := range apps {
		ids[i] = app.H5Id
	}
	return ids, nil
}

// previewApp lists the app's packages, then their release tasks from the
// highest version down, and stops at the first package that delivers: a
// lower version cannot change the decision then (delivery.Decide takes the
// first package that delivers in delivery.NewestFirst order), so its tasks
// are not listed.
func previewApp(ctx context.Context, data *providerData, in delivery.Input, h5AppID string) (delivery.App, error) {
	items, err := data.listPackages(ctx, h5AppID)
	if err != nil {
		return delivery.App{}, err
	}
	packages := make([]delivery.Package, len(items))
	for i, item := range items {
		packages[i] = previewPackage(item)
	}
	packages = delivery.NewestFirst(packages)
	for i := range packages {
		if packages[i].Releases, err = previewReleases(ctx, data.client, packages[i].ID); err != nil {
			return delivery.App{}, err
		}
		if delivered, _ := delivery.Decide(in.Now, in.Client, delivery.App{H5AppID: h5AppID, Packages: packages[:i+1]}); delivered != nil {
			break
		}
	}
	return delivery.App{H5AppID: h5AppID, Packages: packages}, nil
}

// previewReleases lists a package's release tasks. An active grayscale task
// is read in full, since its rules may come only in the detail
// (RuleJsonList); the others are decided on the list alone.
func previewReleases(ctx context.Context, client *mpaas.Client, packageID int64) ([]delivery.Release, error) {
	tasks, err := client.ListNebulaTasks(ctx, packageID)
	if err != nil {
		return nil, err
	}
	releases := make([]delivery.Release, 0, len(tasks))
	for _, task := range tasks {
		detail := &mpaas.NebulaTaskDetail{NebulaTaskInfo: task}
		if task.PublishType == mpaas.PublishTypeGrayscale && task.TaskStatus == mpaas.TaskStatusActive {
			detail, err = client.GetNebulaTaskDetail(ctx, task.Id)
			if mpaas.ErrorCode(err) == mpaas.CodeTaskNotFound || (err == nil && detail == nil) {
				continue // gone since the list
			}
			if err != nil {
				return nil, err
			}
		}
		releases = append(releases, previewRelease(detail))
	}
	return releases, nil
}

// previewPackage maps a listed package; its releases are added by the caller.
func previewPackage(item mpaas.NebulaResourceListItem) delivery.Package {
	pkg := delivery.Package{ID: item.Id, Version: item.H5Version, DownloadURL: item.DownloadUrl}
	targets, err := mpaas.DecodeTargets(item.Platform, item.ClientVersionMin, item.ClientVersionMax)
	pkg.TargetsErr = err
	if targets.Android != nil {
		pkg.Android = &delivery.VersionRange{Min: targets.Android.Min, Max: targets.Android.Max}
	}
	if targets.IOS != nil {
		pkg.IOS = &delivery.VersionRange{Min: targets.IOS.Min, Max: targets.IOS.Max}
	}
	return pkg
}

// previewRelease maps a release task, decoding it as the release resource
// does (offline_package_release_resource.go, applyTask). The grayscale
// settings are read only for grayscale tasks; the first that cannot be read
// makes the release Unreadable.
func previewRelease(d *mpaas.NebulaTaskDetail) delivery.Release {
	release := delivery.Release{ID: d.Id}
	status, statusErr := mpaas.ReleaseStatusName(d.TaskStatus)
	kind, typeErr := mpaas.ReleaseTypeName(d.PublishType)
	release.Status, release.Type = delivery.Status(status), delivery.ReleaseType(kind)
	if release.Unreadable = firstDecodeError(statusErr, typeErr); release.Unreadable != nil || release.Type != delivery.Grayscale {
		return release
	}
	var modeErr error
	switch d.PublishMode {
	case mpaas.PublishModeWhitelist:
		release.Mode, release.Whitelist = delivery.ByWhitelist, mpaas.SplitWhitelist(d.WhitelistIds)
	case mpaas.PublishModeTimeWindow:
		release.Mode = delivery.ByTimeWindow
		release.WindowEnd, modeErr = time.ParseInLocation(mpaas.GreyEndtimeLayout, d.GreyEndtimeData, time.UTC)
	default:
		modeErr = fmt.Errorf("unknown PublishMode %d", d.PublishMode)
	}
	rules, rulesErr := mpaas.TaskRules(d)
	for _, r := range rules {
		release.Rules = append(release.Rules, delivery.Rule{Element: r.Element, Operator: r.Operator, Values: r.Values})
	}
	release.Unreadable = firstDecodeError(modeErr, rulesErr)
	return release
}

func firstDecodeError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
