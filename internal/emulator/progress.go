package emulator

import (
	"strconv"
	"sync"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Rollout progress: the emulator's stand-in for the release task fields that
// look like progress (UpgradeNoticeNum, Percent, UpgradeProgress), whose
// meaning the service does not document (DESIGN.md section 6.1). The
// emulator reads them as "clients notified of the task": a client is
// notified when GET /emulator/delivery delivers the task's package to it,
// counted once per user_id (every check without one counts as a new client).
// Percent is the share of the grayscale audience notified (GreyNum of a time
// window, the whitelist entries of a whitelist release; 100 for an official
// release), UpgradeProgress the same as "<notified>/<audience>". Counts live
// in memory: a restarted emulator starts again from zero.
type rollout struct {
	mu        sync.Mutex
	clients   map[int64]map[string]bool // task ID -> notified clients
	anonymous int64
}

// record notes the clients a delivery decision notified.
func (r *rollout) record(result delivery.Result, userID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	client := userID
	if client == "" {
		r.anonymous++
		client = "anonymous#" + strconv.FormatInt(r.anonymous, 10)
	}
	for _, d := range result.Deliveries {
		if d.ReleaseID == 0 {
			continue
		}
		if r.clients[d.ReleaseID] == nil {
			r.clients[d.ReleaseID] = map[string]bool{}
		}
		r.clients[d.ReleaseID][client] = true
	}
}

func (r *rollout) notified(taskID int64) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.clients[taskID]))
}

// fillProgress sets the progress fields of a task answer; sc is the task's
// scope (its whitelists), read under the store lock the caller holds.
func (s *Server) fillProgress(info *nebulaTaskInfo, sc *scopeState) {
	notified := s.rollout.notified(info.Id)
	info.UpgradeNoticeNum = notified
	if info.PublishType == mpaas.PublishTypeOfficial {
		info.Percent, info.UpgradeProgress = 100, strconv.FormatInt(notified, 10)
		return
	}
	audience := grayscaleAudience(info, sc)
	info.UpgradeProgress = strconv.FormatInt(notified, 10) + "/" + strconv.FormatInt(audience, 10)
	info.Percent = 0
	if audience > 0 {
		info.Percent = int32(min(100, notified*100/audience))
	}
}

// grayscaleAudience is how many clients a grayscale task is meant for: the
// GreyNum of a time window, the members of the whitelists a whitelist
// release names (a regex member counts as one).
func grayscaleAudience(info *nebulaTaskInfo, sc *scopeState) int64 {
	if info.PublishMode == mpaas.PublishModeTimeWindow {
		return int64(info.GreyNum)
	}
	var members int64
	for _, raw := range mpaas.SplitWhitelist(info.WhitelistIds) {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || sc == nil {
			continue
		}
		if w := sc.Whitelists[id]; w != nil {
			members += int64(len(w.Members))
		}
	}
	return members
}
