package mpaas

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// VersionRange is a client version range for one platform. Max "" means all
// future client versions.
type VersionRange struct {
	Min string
	Max string
}

// Targets says which platforms a package targets and with which ranges.
type Targets struct {
	Android *VersionRange
	IOS     *VersionRange
}

// Equal reports whether both target the same platforms with the same ranges.
func (t Targets) Equal(other Targets) bool {
	return sameRange(t.Android, other.Android) && sameRange(t.IOS, other.IOS)
}

func sameRange(a, b *VersionRange) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// PackageSettings is what describes a package besides its version and its
// zip: every one of them is fixed when the package is created (R19).
type PackageSettings struct {
	ResourceType ResourceType
	Targets      Targets
	MainURL      string
	// Vhost "" lets mPaaS fill in the workspace's virtual domain (R5).
	Vhost string
	// ExtendInfo is sent as a JSON object of strings; nil sends nothing.
	ExtendInfo     map[string]string
	DownloadPolicy DownloadPolicy
	InstallPolicy  InstallPolicy
}

// Package is one offline package version of an H5App, as mPaaS reports it.
type Package struct {
	ID        int64
	H5AppID   string
	H5AppName string
	Version   string
	PackageSettings
	DownloadURL string
	// FileSize is the size in bytes of the uploaded zip; -1 when not reported.
	FileSize int64
	// MD5 is the MD5 of the uploaded zip; only listing reports it.
	MD5 string
	// CreatedAt is RFC 3339 in UTC, or the service's text when it has
	// another format.
	CreatedAt string
	// DecodeError says which settings could not be read from the service's
	// answer (nil normally); they are left at their zero values.
	DecodeError error
}

// ListPackages returns every package version of an H5App, following pages
// of 100 until the list is complete (morePages).
func (c *Client) ListPackages(ctx context.Context, h5AppID string) ([]Package, error) {
	// A version is unique in its H5App, an ID in the service.
	return listAll(ctx, ActionListNebulaResources, func(pkg Package) string { return pkg.Version + "#" + strconv.FormatInt(pkg.ID, 10) },
		func(ctx context.Context, page int32) ([]Package, listPaging, error) {
			return c.sendListPackages(ctx, h5AppID, page, listAllPageSize)
		})
}

// GetPackage returns one package version by its ID, or nil, nil when the
// answer says it does not exist (IsNotFound, or an empty object). Its MD5 is
// not reported.
func (c *Client) GetPackage(ctx context.Context, id int64) (*Package, error) {
	pkg, err := c.sendGetPackage(ctx, id)
	if IsNotFound(err) {
		return nil, nil
	}
	return pkg, err
}

// packageSpec is one package version to register: what CreatePackage sends.
type packageSpec struct {
	h5AppID, h5AppName, version, fileURL string
	PackageSettings
}

// createPackage registers an uploaded zip as a new package version and
// returns the ID the service answers, unparsed: a package it created is
// recorded even when the ID is odd.
func (c *Client) createPackage(ctx context.Context, spec packageSpec) (string, error) {
	params, err := spec.params()
	if err != nil {
		return "", fmt.Errorf("create offline package: %w", err)
	}
	return c.sendCreatePackage(ctx, params)
}

// params encodes the spec. Empty optional strings are not sent;
// AutoInstall and InstallType always are (0 is meaningful).
func (spec packageSpec) params() (url.Values, error) {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"H5 app ID", spec.h5AppID}, {"version", spec.version}, {"file URL", spec.fileURL},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	typeCode, err := resourceTypeCode(spec.ResourceType)
	if err != nil {
		return nil, err
	}
	platform, minVersion, maxVersion, err := encodeTargets(spec.Targets)
	if err != nil {
		return nil, err
	}
	autoInstall, err := autoInstallCode(spec.DownloadPolicy)
	if err != nil {
		return nil, err
	}
	installType, err := installTypeCode(spec.InstallPolicy)
	if err != nil {
		return nil, err
	}
	extendInfo, err := encodeExtendInfo(spec.ExtendInfo)
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	params.Set("H5Id", spec.h5AppID)
	setString(params, "H5Name", spec.h5AppName)
	params.Set("H5Version", spec.version)
	setInt(params, "ResourceType", typeCode)
	params.Set("Platform", platform)
	setString(params, "ClientVersionMin", minVersion)
	setString(params, "ClientVersionMax", maxVersion)
	params.Set("FileUrl", spec.fileURL)
	setString(params, "MainUrl", spec.MainURL)
	setString(params, "Vhost", spec.Vhost)
	setString(params, "ExtendInfo", extendInfo)
	setInt(params, "AutoInstall", autoInstall)
	setInt(params, "InstallType", installType)
	params.Set("OnexFlag", onexFlagResource)
	return params, nil
}
