package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
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
// For each H5App the highest package version wins that (1) targets the
// client's platform with min <= client_version <= max (an empty max has no
// upper bound) and (2) has a release task reaching the client: an active
// official release, or an active grayscale release whose whitelist holds
// user_id (whitelist mode) or whose time window has not ended (time-window
// mode), and whose advanced rules all match (city, network and device_model
// contains/excludes the comma-separated values; os_version in_range or
// out_of_range). Paused and ended releases deliver nothing. The number of
// users of a time-window release (GreyNum) is not simulated. [INFERRED] the
// emulator reads each whitelist id as a user id; the real service's whitelist
// ids refer to whitelists managed in the console.
//
// The endpoint needs no signature (the real service has no such API, and it
// never writes: it only reads the store). Bad input gets HTTP 400 with the
// gateway error shape.
const deliveryPath = "/emulator/delivery"

// DeliveryClient is the client whose update check is simulated.
type DeliveryClient struct {
	Platform      string // "android" or "ios"
	ClientVersion string
	UserID        string
	City          string
	Network       string
	OSVersion     string
	DeviceModel   string
}

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

// deliveryTask is the part of a release task the decision needs.
type deliveryTask struct {
	ID          int64
	PublishType int32
	PublishMode int32
	Status      int32
	Whitelist   []string
	GreyEnd     string // mpaas.GreyEndtimeLayout, UTC
	Rules       []mpaas.ReleaseRule
	RulesErr    error
}

// deliveryPackage is one package version with its release tasks.
type deliveryPackage struct {
	ID          int64
	H5Id        string
	Version     string
	Platform    string
	Min, Max    string
	DownloadURL string
	Tasks       []deliveryTask
}

// decideDelivery picks what one H5App delivers to the client: the highest
// package version that targets the client and has a release reaching it.
// Exactly one of the results is non-nil. The reason of a skip is the first
// failure met, from the highest version down.
func decideDelivery(now time.Time, client DeliveryClient, h5ID string, pkgs []deliveryPackage) (*Delivery, *DeliverySkip) {
	if len(pkgs) == 0 {
		return nil, &DeliverySkip{H5Id: h5ID, Reason: "no package"}
	}
	sorted := append([]deliveryPackage(nil), pkgs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, errA := offlinepkg.ParseVersion(sorted[i].Version)
		b, errB := offlinepkg.ParseVersion(sorted[j].Version)
		if errA != nil || errB != nil {
			return sorted[i].Version > sorted[j].Version
		}
		return a.Compare(b) > 0
	})
	firstReason := ""
	for _, pkg := range sorted {
		if len(pkg.Tasks) == 0 {
			continue
		}
		if reason := targetMismatch(client, pkg); reason != "" {
			if firstReason == "" {
				firstReason = reason
			}
			continue
		}
		tasks := append([]deliveryTask(nil), pkg.Tasks...)
		sort.Slice(tasks, func(i, j int) bool { return tasks[i].ID > tasks[j].ID })
		for _, task := range tasks {
			ok, reason := releaseReaches(now, client, task)
			if ok {
				return &Delivery{
					H5Id: pkg.H5Id, H5Version: pkg.Version,
					PackageId: strconv.FormatInt(pkg.ID, 10), TaskId: strconv.FormatInt(task.ID, 10),
					DownloadUrl: pkg.DownloadURL, Reason: reason,
				}, nil
			}
			if firstReason == "" {
				firstReason = reason
			}
		}
	}
	if firstReason == "" {
		firstReason = "no active release"
	}
	return nil, &DeliverySkip{H5Id: h5ID, Reason: firstReason}
}

// targetMismatch says why the package does not target the client, or "".
func targetMismatch(client DeliveryClient, pkg deliveryPackage) string {
	targets, err := mpaas.DecodeTargets(pkg.Platform, pkg.Min, pkg.Max)
	if err != nil {
		return fmt.Sprintf("package %s has unreadable targets: %v", pkg.Version, err)
	}
	r := targets.Android
	if client.Platform == "ios" {
		r = targets.IOS
	}
	if r == nil {
		return fmt.Sprintf("package %s does not target %s", pkg.Version, client.Platform)
	}
	cv, err := offlinepkg.ParseClientVersion(client.ClientVersion)
	if err != nil {
		return err.Error()
	}
	if lo, err := offlinepkg.ParseClientVersion(r.Min); err != nil || cv.Compare(lo) < 0 {
		return fmt.Sprintf("client %s is below min %s", client.ClientVersion, r.Min)
	}
	if r.Max != "" {
		if hi, err := offlinepkg.ParseClientVersion(r.Max); err != nil || cv.Compare(hi) > 0 {
			return fmt.Sprintf("client %s is above max %s", client.ClientVersion, r.Max)
		}
	}
	return ""
}

// releaseReaches reports whether the task delivers to the client, with the
// reason either way.
func releaseReaches(now time.Time, client DeliveryClient, task deliveryTask) (bool, string) {
	switch task.Status {
	case mpaas.TaskStatusActive:
	case mpaas.TaskStatusPaused:
		return false, "release paused"
	case mpaas.TaskStatusEnded:
		return false, "release ended"
	default:
		return false, fmt.Sprintf("release has unknown status %d", task.Status)
	}
	if task.PublishType == mpaas.PublishTypeOfficial {
		return true, "official release"
	}
	if task.PublishType != mpaas.PublishTypeGrayscale {
		return false, fmt.Sprintf("release has unknown type %d", task.PublishType)
	}
	var reason string
	switch task.PublishMode {
	case mpaas.PublishModeWhitelist:
		if client.UserID == "" {
			return false, "grayscale whitelist release and no user_id given"
		}
		listed := false
		for _, id := range task.Whitelist {
			if strings.TrimSpace(id) == client.UserID {
				listed = true
			}
		}
		if !listed {
			return false, fmt.Sprintf("user %s is not in the grayscale whitelist", client.UserID)
		}
		reason = "grayscale whitelist"
	case mpaas.PublishModeTimeWindow:
		end, err := time.ParseInLocation(mpaas.GreyEndtimeLayout, task.GreyEnd, time.UTC)
		if err != nil {
			return false, fmt.Sprintf("grayscale time window has an unreadable end %q", task.GreyEnd)
		}
		if !now.Before(end) {
			return false, "grayscale time window ended at " + end.Format(time.RFC3339)
		}
		reason = "grayscale time window"
	default:
		return false, fmt.Sprintf("grayscale release has unknown mode %d", task.PublishMode)
	}
	if task.RulesErr != nil {
		return false, "grayscale rules are unreadable: " + task.RulesErr.Error()
	}
	for _, rule := range task.Rules {
		if ok, why := ruleMatches(client, rule); !ok {
			return false, why
		}
	}
	if len(task.Rules) > 0 {
		reason += " and rules"
	}
	return true, reason
}

// ruleMatches applies one advanced rule to the client.
func ruleMatches(client DeliveryClient, rule mpaas.ReleaseRule) (bool, string) {
	var value string
	switch rule.Element {
	case mpaas.RuleCity:
		value = client.City
	case mpaas.RuleNetwork:
		value = client.Network
	case mpaas.RuleDeviceModel:
		value = client.DeviceModel
	case mpaas.RuleOSVersion:
		value = client.OSVersion
	default:
		return false, fmt.Sprintf("rule on unknown element %q", rule.Element)
	}
	fail := func() (bool, string) {
		return false, fmt.Sprintf("rule %s %s %s does not match %s %q", rule.Element, rule.Operator, strings.Join(rule.Values, ","), rule.Element, value)
	}
	value = strings.TrimSpace(value)
	switch rule.Operator {
	case mpaas.RuleContains, mpaas.RuleExcludes:
		listed := false
		for _, v := range rule.Values {
			if value != "" && strings.EqualFold(strings.TrimSpace(v), value) {
				listed = true
			}
		}
		if listed != (rule.Operator == mpaas.RuleContains) {
			return fail()
		}
		return true, ""
	case mpaas.RuleInRange, mpaas.RuleOutOfRange:
		if len(rule.Values) != 2 {
			return fail()
		}
		v, err := offlinepkg.ParseClientVersion(value)
		lo, errLo := offlinepkg.ParseClientVersion(rule.Values[0])
		hi, errHi := offlinepkg.ParseClientVersion(rule.Values[1])
		if err != nil || errLo != nil || errHi != nil {
			return fail()
		}
		inside := v.Compare(lo) >= 0 && v.Compare(hi) <= 0
		if inside != (rule.Operator == mpaas.RuleInRange) {
			return fail()
		}
		return true, ""
	}
	return false, fmt.Sprintf("rule with unknown operator %q", rule.Operator)
}

// serveDelivery answers GET /emulator/delivery. It only reads the store.
func (s *Server) serveDelivery(w http.ResponseWriter, r *http.Request) {
	s.count("delivery")
	requestID := newRequestID()
	q := r.URL.Query()
	scope := scopeKey{AppID: q.Get("app_id"), WorkspaceID: q.Get("workspace_id"), TenantID: q.Get("tenant_id")}
	client := DeliveryClient{
		Platform: strings.ToLower(q.Get("platform")), ClientVersion: q.Get("client_version"),
		UserID: q.Get("user_id"), City: q.Get("city"), Network: q.Get("network"),
		OSVersion: q.Get("os_version"), DeviceModel: q.Get("device_model"),
	}
	h5ID := q.Get("h5app_id")
	bad := func(format string, args ...any) {
		s.gatewayError(w, requestID, http.StatusBadRequest, "InvalidParameter", fmt.Sprintf(format, args...))
	}
	switch {
	case scope.AppID == "" || scope.WorkspaceID == "" || scope.TenantID == "":
		bad("app_id, workspace_id and tenant_id are required")
		return
	case client.Platform != "android" && client.Platform != "ios":
		bad("platform must be android or ios, got %q", q.Get("platform"))
		return
	}
	if _, err := offlinepkg.ParseClientVersion(client.ClientVersion); err != nil {
		bad("client_version: %v", err)
		return
	}
	if client.OSVersion != "" {
		if _, err := offlinepkg.ParseClientVersion(client.OSVersion); err != nil {
			bad("os_version: %v", err)
			return
		}
	}

	base := s.baseURL(r)
	byApp := map[string][]deliveryPackage{}
	st := s.store
	st.mu.Lock()
	if sc := st.st.scope(scope, false); sc != nil {
		for id, app := range sc.Apps {
			if h5ID == "" || id == h5ID {
				byApp[app.H5Id] = []deliveryPackage{}
			}
		}
		tasksOf := map[int64][]deliveryTask{}
		for _, t := range sc.Tasks {
			d := t.Detail
			// The stored rules were derived from GreyConfigInfo when the task was created.
			rules, err := mpaas.DecodeGreyConfig(d.GreyConfigInfo)
			tasksOf[d.PackageID] = append(tasksOf[d.PackageID], deliveryTask{
				ID: d.ID, PublishType: d.PublishType, PublishMode: d.PublishMode, Status: d.TaskStatus,
				Whitelist: mpaas.SplitWhitelist(d.WhitelistIDs), GreyEnd: d.GreyEndtimeData,
				Rules: rules, RulesErr: err,
			})
		}
		for _, rec := range sc.Resources {
			item := rec.Item
			if _, wanted := byApp[item.H5ID]; !wanted {
				continue
			}
			byApp[item.H5ID] = append(byApp[item.H5ID], deliveryPackage{
				ID: item.ID, H5Id: item.H5ID, Version: item.H5Version,
				Platform: item.Platform, Min: item.ClientVersionMin, Max: item.ClientVersionMax,
				DownloadURL: base + "/download/" + rec.DownloadPath,
				Tasks:       tasksOf[item.ID],
			})
		}
	}
	st.mu.Unlock()

	now := s.opts.Now().UTC()
	out := DeliveryResponse{Deliveries: []Delivery{}, Skipped: []DeliverySkip{}}
	if h5ID != "" {
		if _, ok := byApp[h5ID]; !ok {
			out.Skipped = append(out.Skipped, DeliverySkip{H5Id: h5ID, Reason: "no such H5App"})
		}
	}
	ids := make([]string, 0, len(byApp))
	for id := range byApp {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		delivery, skip := decideDelivery(now, client, id, byApp[id])
		if delivery != nil {
			out.Deliveries = append(out.Deliveries, *delivery)
		} else {
			out.Skipped = append(out.Skipped, *skip)
		}
	}
	w.Header().Set("x-acs-request-id", requestID)
	writeJSON(w, http.StatusOK, out)
}
