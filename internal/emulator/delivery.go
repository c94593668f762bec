package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Delivery preview: an emulator-only endpoint, NOT part of the mPaaS API.
//
//	GET /emulator/delivery?app_id=A&workspace_id=W&tenant_id=T&platform=android|ios&client_version=10.1.0
//	    [&user_id=U][&city=C][&network=N][&os_version=V][&device_model=M][&h5app_id=12345678]
//
// It answers which offline package each H5App of the scope (or only the
// given H5App) would deliver to one client, simulating the mPaaS client's
// update check:
//
//	{"Deliveries":[{"H5Id":"12345678","H5Version":"1.0.0.2","PackageId":"4294967297","TaskId":"4294967298",
//	                "DownloadUrl":"http://…/….amr","Reason":"official release"}],
//	 "Skipped":[{"H5Id":"87654321","Reason":"client 10.0.9 is below min 10.1.0"}]}
//
// The decision is internal/delivery's (its package comment says what it
// simulates); this file maps the store into its input. The provider's
// data "mpaas_delivery_preview" makes the same decision from what the API
// returns, so this endpoint is a debugging aid, and Options.DisableDeliveryEndpoint
// switches it off.
//
// The endpoint needs no signature (the real service has no such API, and it
// never writes the store; it counts the clients each release task reached,
// which the task answers report as progress, progress.go). Bad input gets HTTP 400 with the
// gateway error shape.
const deliveryPath = "/emulator/delivery"

// Delivery is a package an H5App delivers to the client.
type Delivery struct {
	H5Id        string `json:"H5Id"`
	H5Version   string `json:"H5Version"`
	PackageId   string `json:"PackageId"`
	TaskId      string `json:"TaskId"`
	DownloadUrl string `json:"DownloadUrl"`
	Reason      string `json:"Reason"`
}

// DeliverySkip is an H5App that delivers nothing to the client, and why.
type DeliverySkip struct {
	H5Id   string `json:"H5Id"`
	Reason string `json:"Reason"`
}

// DeliveryResponse is the body of GET /emulator/delivery.
type DeliveryResponse struct {
	Deliveries []Delivery     `json:"Deliveries"`
	Skipped    []DeliverySkip `json:"Skipped"`
}

// serveDelivery answers GET /emulator/delivery. It only reads the store.
func (s *Server) serveDelivery(w http.ResponseWriter, r *http.Request) {
	s.count("delivery")
	requestID := newRequestID()
	q := r.URL.Query()
	scope := scopeKey{AppID: q.Get("app_id"), WorkspaceID: q.Get("workspace_id"), TenantID: q.Get("tenant_id")}
	client := delivery.Client{
		Platform: strings.ToLower(q.Get("platform")), Version: q.Get("client_version"),
		UserID: q.Get("user_id"), City: q.Get("city"), Network: q.Get("network"),
		OSVersion: q.Get("os_version"), DeviceModel: q.Get("device_model"),
	}
	if scope.AppID == "" || scope.WorkspaceID == "" || scope.TenantID == "" {
		s.gatewayError(w, requestID, http.StatusBadRequest, "InvalidParameter", "app_id, workspace_id and tenant_id are required")
		return
	}
	if err := client.Check(); err != nil {
		s.gatewayError(w, requestID, http.StatusBadRequest, "InvalidParameter", err.Error())
		return
	}
	in := s.deliveryInput(scope, q.Get("h5app_id"), s.baseURL(r))
	in.Now, in.Client = s.opts.Now().UTC(), client
	result := delivery.Preview(in)
	s.rollout.record(result, client.UserID) // progress.go
	w.Header().Set("x-acs-request-id", requestID)
	writeJSON(w, http.StatusOK, deliveryResponse(result))
}

// deliveryInput maps the scope's H5Apps (all, or only h5ID), their packages,
// release tasks and the whitelists the tasks name into the decision's input:
// the client's domain types, as the provider's preview reads them.
func (s *Server) deliveryInput(scope scopeKey, h5ID, base string) delivery.Input {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var in delivery.Input
	sc := st.st.scope(scope, false)
	if sc == nil || (h5ID != "" && sc.Apps[h5ID] == nil) {
		if h5ID != "" {
			in.Missing = []string{h5ID}
		}
		return in
	}
	in.Whitelists = map[string]delivery.Whitelist{}
	releasesOf := map[int64][]mpaas.Release{}
	for _, t := range sc.Tasks {
		release := deliveryRelease(&t.Detail, s.opts.TimeZone)
		for _, id := range release.WhitelistIDs {
			in.Whitelists[id] = deliveryWhitelist(sc, id)
		}
		releasesOf[t.Detail.PackageID] = append(releasesOf[t.Detail.PackageID], release)
	}
	packagesOf := map[string][]delivery.Package{}
	for _, rec := range sc.Resources {
		pkg := delivery.Package{Package: deliveryPackage(rec.Item, base+"/download/"+rec.DownloadPath), Releases: releasesOf[rec.Item.ID]}
		packagesOf[rec.Item.H5ID] = append(packagesOf[rec.Item.H5ID], pkg)
	}
	for id := range sc.Apps {
		if h5ID == "" || id == h5ID {
			in.Apps = append(in.Apps, delivery.App{H5AppID: id, Packages: packagesOf[id]})
		}
	}
	return in
}

// deliveryPackage maps what the decision reads of a stored package: a
// Platform it cannot read is named in DecodeError, as the client names it.
func deliveryPackage(item packageRecord, downloadURL string) mpaas.Package {
	pkg := mpaas.Package{ID: item.ID, Version: item.H5Version, DownloadURL: downloadURL}
	targets, err := mpaas.DecodeTargets(item.Platform, item.ClientVersionMin, item.ClientVersionMax)
	pkg.Targets = targets
	if err != nil {
		pkg.DecodeError = &mpaas.DecodeError{Fields: []mpaas.FieldDecodeError{{Field: mpaas.FieldPlatform, Code: item.Platform, Err: err}}}
	}
	return pkg
}

// deliveryRelease maps what the decision reads of a stored release task.
// The grayscale settings are read only for grayscale tasks; the first that
// cannot be read is the release's DecodeError.
func deliveryRelease(d *releaseRecord, zone *time.Location) mpaas.Release {
	release := mpaas.Release{ID: d.ID, PackageID: d.PackageID}
	var statusErr, typeErr error
	release.Status, statusErr = mpaas.ReleaseStatusOf(d.TaskStatus)
	release.Type, typeErr = mpaas.ReleaseTypeOf(d.PublishType)
	release.DecodeError = firstError(statusErr, typeErr)
	if release.DecodeError != nil || release.Type != mpaas.ReleaseTypeGrayscale {
		return release
	}
	var err error
	switch d.PublishMode {
	case mpaas.PublishModeWhitelist:
		release.WhitelistIDs = append([]string{}, mpaas.SplitWhitelist(d.WhitelistIDs)...)
	case mpaas.PublishModeTimeWindow:
		release.Window = &mpaas.TimeWindow{MaxUsers: d.GreyNum}
		release.Window.End, err = time.ParseInLocation(mpaas.GreyEndtimeLayout, d.GreyEndtimeData, zone)
	default:
		err = fmt.Errorf("unknown PublishMode %d", d.PublishMode)
	}
	// The stored rules were derived from GreyConfigInfo when the task was created.
	rules, rulesErr := mpaas.DecodeGreyConfig(d.GreyConfigInfo)
	release.Rules = rules
	release.DecodeError = firstError(err, rulesErr)
	return release
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// deliveryResponse is the decision in the endpoint's JSON shape.
func deliveryResponse(result delivery.Result) DeliveryResponse {
	out := DeliveryResponse{Deliveries: []Delivery{}, Skipped: []DeliverySkip{}}
	for _, d := range result.Deliveries {
		out.Deliveries = append(out.Deliveries, Delivery{
			H5Id: d.H5AppID, H5Version: d.Version,
			PackageId: strconv.FormatInt(d.PackageID, 10), TaskId: strconv.FormatInt(d.ReleaseID, 10),
			DownloadUrl: d.DownloadURL, Reason: d.Reason,
		})
	}
	for _, skip := range result.Skipped {
		out.Skipped = append(out.Skipped, DeliverySkip{H5Id: skip.H5AppID, Reason: skip.Reason})
	}
	return out
}
