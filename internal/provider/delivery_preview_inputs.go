package provider

import (
	"context"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// This file is the delivery preview's only use of the mPaaS client: it reads
// what internal/delivery decides on, in the client's own types. The API
// lists no whitelist's members, so Input.Whitelists stays empty and a
// whitelist release's reach is unknown.

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
func previewAppIDs(ctx context.Context, client *cachedClient, h5AppID string) ([]string, error) {
	if h5AppID != "" {
		app, err := client.FindApp(ctx, h5AppID)
		if err != nil || app == nil {
			return nil, err
		}
		return []string{app.H5AppID}, nil
	}
	apps, err := client.ListApps(ctx, "")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(apps))
	for i, app := range apps {
		ids[i] = app.H5AppID
	}
	return ids, nil
}

// previewApp lists the app's packages, then their release tasks from the
// highest version down, and stops at the first package that delivers: a
// lower version cannot change the decision then (Input.Decide takes the
// first package that delivers in delivery.NewestFirst order), so its tasks
// are not listed.
func previewApp(ctx context.Context, data *providerData, in delivery.Input, h5AppID string) (delivery.App, error) {
	items, err := data.client.ListPackages(ctx, h5AppID)
	if err != nil {
		return delivery.App{}, err
	}
	packages := make([]delivery.Package, len(items))
	for i, item := range items {
		packages[i] = delivery.Package{Package: item}
	}
	packages = delivery.NewestFirst(packages)
	for i := range packages {
		if packages[i].Releases, err = previewReleases(ctx, data.client, packages[i].ID); err != nil {
			return delivery.App{}, err
		}
		if delivered, _ := in.Decide(delivery.App{H5AppID: h5AppID, Packages: packages[:i+1]}); delivered != nil {
			break
		}
	}
	return delivery.App{H5AppID: h5AppID, Packages: packages}, nil
}

// previewReleases lists a package's release tasks. An active grayscale task
// is read in full, since its rules may come only in the detail; the others
// are decided on the list alone.
func previewReleases(ctx context.Context, client *cachedClient, packageID int64) ([]mpaas.Release, error) {
	listed, err := client.ListReleases(ctx, packageID)
	if err != nil {
		return nil, err
	}
	releases := make([]mpaas.Release, 0, len(listed))
	for _, release := range listed {
		if release.Type == mpaas.ReleaseTypeGrayscale && release.Status == mpaas.ReleaseStatusActive {
			detail, err := client.GetRelease(ctx, release.ID)
			if err != nil {
				return nil, err
			}
			if detail == nil {
				continue // gone since the list
			}
			release = *detail
		}
		releases = append(releases, release)
	}
	return releases, nil
}
