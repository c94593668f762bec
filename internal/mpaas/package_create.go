package mpaas

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// Content is a package's zip as the API can compare it with a registered
// package: its size, and its MD5 (the only hash the API reports). Both are
// measured on first use, because a comparison rarely gets past the size and
// a folder's zip has to be built to know either.
type Content struct {
	knownSize int64 // -1 until measured
	once      sync.Once
	done      atomic.Bool // measured without error
	measure   func() (size int64, md5 string, err error)
	size      int64
	md5       string
	err       error
}

// NewContent is a zip of size bytes (-1 when unknown) that measure reads
// when a comparison needs it; measure runs at most once.
func NewContent(size int64, measure func() (size int64, md5 string, err error)) *Content {
	return &Content{knownSize: size, measure: measure}
}

// FileContent is the content of the zip file at path, of the given size.
func FileContent(path string, size int64) *Content {
	return NewContent(size, func() (int64, string, error) {
		md5, err := offlinepkg.MD5File(path)
		return size, md5, err
	})
}

// UploadedContent is the zip at path as it was uploaded: its size and, when
// the upload measured it, its MD5, so that no comparison reads it again.
func UploadedContent(path string, sent offlinepkg.Digest) *Content {
	content := FileContent(path, sent.Size)
	if sent.MD5 != "" {
		content.once.Do(func() {
			content.size, content.md5 = sent.Size, sent.MD5
			content.done.Store(true)
		})
	}
	return content
}

func (c *Content) measured() bool {
	c.once.Do(func() {
		c.size, c.md5, c.err = c.measure()
		c.done.Store(c.err == nil)
	})
	return c.err == nil
}

// knownMD5 is the MD5 when a comparison has measured it already, else "":
// it never reads the zip.
func (c *Content) knownMD5() string {
	if c == nil || !c.done.Load() {
		return ""
	}
	return c.md5
}

// Holds reports whether pkg was registered from this content: mPaaS
// reports the zip's MD5 for it, and its size unless it reports none
// (FileSize -1). Every comparison of a zip with a registered package, the
// client's and the provider's, is this one.
func (c *Content) Holds(pkg *Package) bool {
	sizeReported := pkg.FileSize >= 0
	if pkg.MD5 == "" || sizeReported && c.knownSize >= 0 && !ReportedSizeMatches(pkg.FileSize, c.knownSize) {
		return false
	}
	return c.measured() && (!sizeReported || ReportedSizeMatches(pkg.FileSize, c.size)) && strings.EqualFold(pkg.MD5, c.md5)
}

// CreatePackageInput is one package version to register from a zip already
// uploaded with UploadFile.
type CreatePackageInput struct {
	H5AppID   string
	H5AppName string
	// Version "" assigns the next one: 0.0.0.1 in an H5App with no package,
	// otherwise the highest existing version plus one in its last part (R24).
	Version string
	// Above, when set, is a version the assigned one must exceed (besides
	// every version the H5App holds): the version this package last had, so
	// that a re-created H5App or a replacement never hands clients a lower
	// version than they already hold (they never downgrade). An identical
	// package at or below it is not adopted.
	Above string
	PackageSettings
	FileURL string
	// Content is the zip that was uploaded to FileURL.
	Content *Content
	// Listed says that Packages are the H5App's packages as the caller read
	// them moments ago in this run (none for an H5App it just created, see
	// EnsureUnlistedApp): the version is then assigned, and an identical
	// package adopted, from them and the packages this client registered
	// since, without listing the H5App again. A version another writer took
	// meanwhile is refused by the service and retried like any collision.
	Listed   bool
	Packages []Package
}

// versionAttempts bounds how often CreatePackage takes the next free
// version after another writer registered the one it had assigned.
const versionAttempts = 10

// versionRetryBackoff is the first step of the jittered wait before a new
// version is assigned; it doubles per attempt, up to versionRetryMaxBackoff.
const (
	versionRetryBackoff    = 50 * time.Millisecond
	versionRetryMaxBackoff = 2 * time.Second
)

// VersionExistsError is the refusal of a pinned version that the H5App
// already holds (registered by someone else).
type VersionExistsError struct {
	H5AppID string
	Version string
	Err     error
}

func (e *VersionExistsError) Error() string {
	return fmt.Sprintf("H5App %s already holds version %s, so a package pinned to it cannot be created: %v", e.H5AppID, e.Version, e.Err)
}

func (e *VersionExistsError) Unwrap() error { return e.Err }

// CreatePackage registers the package and returns it as mPaaS lists it.
// Versions are assigned under a lock per H5App, so that packages created
// concurrently through this client get distinct versions. Writers that do
// not share the lock (another pipeline, another machine) may assign the
// same version at the same moment: when the service refuses an assigned
// version that another package took meanwhile, the next free one is
// assigned and sent, up to versionAttempts times, after a jittered wait. A
// pinned version that is taken stays an error (VersionExistsError).
// adopted is true when the H5App already held exactly this package (see
// Adoptable), which is then returned instead of registering a duplicate.
// After an ambiguous failure the package counts as created when the H5App
// holds its version with the size and MD5 of the uploaded zip; the create is
// only sent again when a lookup says it is not there.
func (c *Client) CreatePackage(ctx context.Context, in CreatePackageInput) (pkg Package, adopted bool, err error) {
	writes := c.lockApp(in.H5AppID)
	defer writes.Unlock()
	pkg, adopted, err = c.createPackageLocked(ctx, in, writes)
	if err == nil && !adopted {
		writes.registered = append(writes.registered, pkg)
	}
	return pkg, adopted, err
}

// createPackageLocked is CreatePackage under the app's lock.
func (c *Client) createPackageLocked(ctx context.Context, in CreatePackageInput, writes *appWrites) (pkg Package, adopted bool, err error) {
	packages, err := c.knownPackages(ctx, in, writes)
	if err != nil {
		return Package{}, false, err
	}
	if existing := Adoptable(packages, in.Version, in.PackageSettings, in.Content); existing != nil && in.allowsVersion(existing.Version) {
		return *existing, true, nil
	}
	if in.Version != "" {
		pkg, err = c.registerVersion(ctx, in, in.Version)
		if err != nil {
			if _, taken := c.versionTaken(ctx, in.H5AppID, in.Version, err); taken {
				err = &VersionExistsError{H5AppID: in.H5AppID, Version: in.Version, Err: err}
			}
		}
		return pkg, false, err
	}
	taken := PackageVersions(packages)
	if in.Above != "" {
		taken = append(taken, in.Above)
	}
	return c.registerNextVersion(ctx, in, taken)
}

// knownPackages is what the H5App holds as far as CreatePackage needs to
// know: the caller's listing with this client's registrations since, or a
// new listing.
func (c *Client) knownPackages(ctx context.Context, in CreatePackageInput, writes *appWrites) ([]Package, error) {
	if !in.Listed {
		return c.ListPackages(ctx, in.H5AppID)
	}
	packages := slices.Clone(in.Packages)
	for _, mine := range writes.registered {
		if !slices.ContainsFunc(packages, func(listed Package) bool { return listed.ID == mine.ID }) {
			packages = append(packages, mine)
		}
	}
	return packages, nil
}

// allowsVersion reports whether version is above in.Above (always, without one).
func (in CreatePackageInput) allowsVersion(version string) bool {
	if in.Above == "" {
		return true
	}
	cmp, err := offlinepkg.CompareVersionStrings(version, in.Above)
	return err == nil && cmp > 0
}

// registerNextVersion registers the package at the next version after
// taken, and again at the next free one while other writers take them first.
func (c *Client) registerNextVersion(ctx context.Context, in CreatePackageInput, taken []string) (Package, bool, error) {
	for attempt := 1; ; attempt++ {
		version, err := offlinepkg.NextVersion(taken)
		if err != nil {
			return Package{}, false, err
		}
		pkg, err := c.registerVersion(ctx, in, version)
		if err == nil {
			return pkg, false, nil
		}
		if !isRefusal(err) {
			return Package{}, false, err
		}
		if attempt < versionAttempts {
			if sleepErr := c.cfg.Sleep(ctx, versionRetryWait(attempt)); sleepErr != nil {
				return Package{}, false, ctxError("waiting to assign another version", sleepErr)
			}
		}
		packages, isTaken := c.versionTaken(ctx, in.H5AppID, version, err)
		if !isTaken {
			return Package{}, false, err
		}
		if attempt == versionAttempts {
			return Package{}, false, fmt.Errorf("%d automatically assigned versions of H5App %s were taken by other writers "+
				"before this package could be registered; the last, %s: %w", versionAttempts, in.H5AppID, version, err)
		}
		taken = append(append(taken, PackageVersions(packages)...), version)
	}
}

// versionTaken decides whether a refused create of version collided with a
// package another writer registered: the service refused it (isRefusal)
// and said so (CodeVersionExists), or the H5App now lists that version.
// packages is the fresh list (nil when it could not be read).
func (c *Client) versionTaken(ctx context.Context, h5AppID, version string, err error) (packages []Package, taken bool) {
	if !isRefusal(err) {
		return nil, false
	}
	packages, listErr := c.ListPackages(ctx, h5AppID)
	if listErr != nil {
		return nil, ErrorCode(err) == CodeVersionExists
	}
	return packages, ErrorCode(err) == CodeVersionExists || slices.Contains(PackageVersions(packages), version)
}

// isRefusal reports whether err is the service's answer refusing the
// request, not a passing condition (throttling, 5xx, broken connections,
// ambiguous writes).
func isRefusal(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && !IsTransient(err)
}

// versionRetryWait is a full-jitter wait before the attempt after attempt,
// so that writers that collided do not all pick the next version at once.
func versionRetryWait(attempt int) time.Duration {
	ceiling := min(versionRetryBackoff<<(attempt-1), versionRetryMaxBackoff)
	return rand.N(ceiling) + 1
}

// registerVersion sends the create of one version; after an ambiguous
// failure it looks the package up before sending again (createIdempotently)
// and reads the created package back.
func (c *Client) registerVersion(ctx context.Context, in CreatePackageInput, version string) (Package, error) {
	spec := packageSpec{h5AppID: in.H5AppID, h5AppName: in.H5AppName, version: version, fileURL: in.FileURL, PackageSettings: in.PackageSettings}
	var created *Package
	heldByOther := false // the last list shows the version with other content
	findUploaded := func() (bool, error) {
		packages, err := c.ListPackages(ctx, in.H5AppID)
		if err != nil {
			return false, err
		}
		heldByOther = false
		for i := range packages {
			if packages[i].Version != spec.version {
				continue
			}
			if in.Content.Holds(&packages[i]) {
				created = &packages[i]
				return true, nil
			}
			heldByOther = true
		}
		return false, nil
	}
	var id string
	ambiguous := false
	err := createIdempotently(
		func() (err error) {
			id, err = c.createPackage(ctx, spec)
			ambiguous = ambiguous || IsAmbiguous(err)
			return err
		}, findUploaded)
	if err != nil && ambiguous && ErrorCode(err) != "" {
		// A create resent after an ambiguous attempt may be refused because
		// the first one went through (the version exists) while the list
		// did not show it yet: look again, waiting for a list that lags.
		// Another writer's package at that version settles it: no wait.
		untilSettled := func() (bool, error) {
			found, err := findUploaded()
			if heldByOther {
				return false, errListedOtherwise
			}
			return found, err
		}
		if found, lookupErr := c.awaitListed(ctx, untilSettled); lookupErr == nil && found {
			return *created, nil
		}
	}
	if err != nil {
		return Package{}, err
	}
	if created != nil {
		return *created, nil
	}
	return c.readBack(ctx, id, spec, in.Content, findUploaded, &created)
}

// readBack returns the package just created. Its answer gave the ID and
// the request says the rest, so no list is read: the package is read by
// that ID (GetMcubeNebulaResource, one call whatever the H5App holds), which
// also reports what only the service knows (DownloadUrl, GmtCreate, a Vhost
// it filled in); the MD5, which only a list reports, is the uploaded zip's
// when it was measured. Only when that read fails or finds nothing are the
// read by ID and the H5App's list (by ID, then by version and content)
// repeated with a bounded wait (awaitListed), for a service whose reads lag
// its writes. When nothing can be read the package is returned as sent, so
// a created package is always recorded; reads that answer but never show
// it are an error.
func (c *Client) readBack(ctx context.Context, id string, spec packageSpec, content *Content,
	findUploaded func() (bool, error), created **Package) (Package, error) {
	numericID, parseErr := strconv.ParseInt(id, 10, 64)
	findAnyhow := func() (bool, error) {
		if parseErr != nil {
			return findUploaded()
		}
		if pkg, err := c.GetPackage(ctx, numericID); err == nil && pkg != nil {
			pkg.MD5 = content.knownMD5()
			*created = pkg
			return true, nil
		}
		return c.findListed(ctx, spec.h5AppID, numericID, findUploaded, created)
	}
	found, err := c.awaitListed(ctx, findAnyhow)
	if found {
		return **created, nil
	}
	if err == nil {
		return Package{}, fmt.Errorf("package %s was created but H5App %s neither lists it nor returns it by its ID after %s",
			id, spec.h5AppID, listingLagBound)
	}
	if parseErr != nil {
		return Package{}, err
	}
	return Package{
		ID: numericID, H5AppID: spec.h5AppID, H5AppName: spec.h5AppName, Version: spec.version,
		PackageSettings: spec.PackageSettings, FileSize: content.knownSize, MD5: content.knownMD5(),
	}, nil
}

// findListed looks for package id in the H5App's list, then for the
// uploaded package by version and content.
func (c *Client) findListed(ctx context.Context, h5AppID string, id int64, findUploaded func() (bool, error), created **Package) (bool, error) {
	packages, err := c.ListPackages(ctx, h5AppID)
	if err != nil {
		return false, err
	}
	for i := range packages {
		if packages[i].ID == id {
			*created = &packages[i]
			return true, nil
		}
	}
	return findUploaded()
}

// Adoptable returns the package in packages that is exactly the one that
// would be created, so that an apply retried after a failure (the package
// was registered but never recorded) does not upload a duplicate version:
// with a pinned version, that version; otherwise the highest version. Its
// content (size and MD5) and every setting must match. nil when there is none.
func Adoptable(packages []Package, pinnedVersion string, settings PackageSettings, content *Content) *Package {
	var candidate *Package
	for i := range packages {
		pkg := &packages[i]
		if pinnedVersion != "" {
			if same, err := offlinepkg.CompareVersionStrings(pkg.Version, pinnedVersion); err == nil && same == 0 {
				candidate = pkg
			}
			continue
		}
		if candidate == nil {
			candidate = pkg
		} else if newer, err := offlinepkg.CompareVersionStrings(pkg.Version, candidate.Version); err == nil && newer > 0 {
			candidate = pkg
		}
	}
	if candidate == nil || !sameSettings(candidate, settings) || !content.Holds(candidate) {
		return nil
	}
	return candidate
}

// sameSettings compares what CreatePackage would record. A package created
// without a Vhost gets the workspace's: any Vhost matches then.
func sameSettings(pkg *Package, want PackageSettings) bool {
	return pkg.DecodeError == nil && pkg.ResourceType == want.ResourceType && pkg.Targets.Equal(want.Targets) &&
		maps.Equal(pkg.ExtendInfo, want.ExtendInfo) && pkg.MainURL == want.MainURL &&
		pkg.DownloadPolicy == want.DownloadPolicy && pkg.InstallPolicy == want.InstallPolicy &&
		(want.Vhost == "" || pkg.Vhost == want.Vhost)
}

// PackageVersions lists the versions of packages, in their order.
func PackageVersions(packages []Package) []string {
	versions := make([]string, len(packages))
	for i, pkg := range packages {
		versions[i] = pkg.Version
	}
	return versions
}

// appWrites is what this client knows of one H5App from its own writes,
// read and changed only under the app's lock (lockApp).
type appWrites struct {
	sync.Mutex
	// exists: this client created the H5App, or found it when it ensured it.
	exists bool
	// registered: the packages this client registered in the H5App, which
	// a listing the caller made before them does not show.
	registered []Package
}

// lockApp serialises the writes that create an H5App or pick a version in
// it, and returns what the client knows of the app, locked: the caller
// unlocks it.
func (c *Client) lockApp(h5AppID string) *appWrites {
	c.appLocksMu.Lock()
	writes, ok := c.appLocks[h5AppID]
	if !ok {
		writes = &appWrites{}
		c.appLocks[h5AppID] = writes
	}
	c.appLocksMu.Unlock()
	writes.Lock()
	return writes
}
