package mpaas

// nebulaTaskProgress holds the fields of a release task answer
// (ListMcubeNebulaTasks items, GetMcubeNebulaTaskDetail) that the official
// SDK models name and that look like rollout progress. Their meaning is not
// documented for Nebula tasks (DESIGN.md section 6.1); ReleaseProgress
// passes them on as answered.
type nebulaTaskProgress struct {
	UpgradeProgress  flexString `json:"UpgradeProgress"`
	UpgradeNoticeNum flexInt    `json:"UpgradeNoticeNum"`
	Percent          flexInt    `json:"Percent"`
	SyncResult       flexString `json:"SyncResult"`
	GmtModified      flexTime   `json:"GmtModified"`
}

// ReleaseProgress is what a release task answer says about its rollout, as
// answered (GreyNum also in Release.Window for a time window). The meaning
// of each field is a reading of its name, unconfirmed: UpgradeNoticeNum
// clients notified, Percent a share of the audience, UpgradeProgress a
// text of the same, GreyNum the audience size of a time-window grayscale.
type ReleaseProgress struct {
	UpgradeProgress  string
	UpgradeNoticeNum int64
	Percent          int32
	GreyNum          int32
	SyncResult       string
	// ModifiedAt is GmtModified as RFC 3339 in UTC ("" when absent).
	ModifiedAt string
}

func (t *nebulaTaskInfo) progress(times serviceTimes) ReleaseProgress {
	return ReleaseProgress{
		UpgradeProgress: string(t.UpgradeProgress), UpgradeNoticeNum: t.UpgradeNoticeNum.int64Value(), Percent: t.Percent.int32Value(),
		GreyNum: t.GreyNum.int32Value(), SyncResult: string(t.SyncResult), ModifiedAt: times.rfc3339(string(t.GmtModified)),
	}
}
