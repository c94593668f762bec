package mpaas

// response is implemented by every *Response model: envelope gives the top
// level, status the action-specific result object (present reports whether it
// was in the body at all).
type response interface {
	envelope() *Envelope
	status() resultStatus
}

type resultStatus struct {
	present   bool
	success   bool
	msg       string
	code      string
	requestID string
}

func nebulaStatus(r *NebulaResult) resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success, msg: r.ResultMsg, code: r.ErrorCode, requestID: r.RequestId}
}

func dataStatus(r *DataResult) resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success, msg: r.ResultMsg}
}

func (r *CreateMcubeNebulaAppResponse) envelope() *Envelope { return &r.Envelope }
func (r *CreateMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.CreateNebulaAppResult)
}

func (r *ListMcubeNebulaAppsResponse) envelope() *Envelope { return &r.Envelope }
func (r *ListMcubeNebulaAppsResponse) status() resultStatus {
	if r.ListMcubeNebulaAppsResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaAppsResult.NebulaResult)
}

func (r *DeleteMcubeNebulaAppResponse) envelope() *Envelope { return &r.Envelope }
func (r *DeleteMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.DeleteMcubeNebulaAppResult)
}

func (r *CreateMcubeNebulaResourceResponse) envelope() *Envelope { return &r.Envelope }
func (r *CreateMcubeNebulaResourceResponse) status() resultStatus {
	if r.CreateMcubeNebulaResourceReslult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaResourceReslult.NebulaResult)
}

func (r *GetMcubeNebulaResourceResponse) envelope() *Envelope { return &r.Envelope }
func (r *GetMcubeNebulaResourceResponse) status() resultStatus {
	if r.GetNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetNebulaResourceResult.NebulaResult)
}

func (r *ListMcubeNebulaResourcesResponse) envelope() *Envelope { return &r.Envelope }
func (r *ListMcubeNebulaResourcesResponse) status() resultStatus {
	if r.ListMcubeNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaResourceResult.NebulaResult)
}

func (r *CreateMcubeNebulaTaskResponse) envelope() *Envelope { return &r.Envelope }
func (r *CreateMcubeNebulaTaskResponse) status() resultStatus {
	if r.CreateMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaTaskResult.NebulaResult)
}

func (r *ListMcubeNebulaTasksResponse) envelope() *Envelope { return &r.Envelope }
func (r *ListMcubeNebulaTasksResponse) status() resultStatus {
	if r.ListMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaTaskResult.NebulaResult)
}

func (r *GetMcubeNebulaTaskDetailResponse) envelope() *Envelope { return &r.Envelope }
func (r *GetMcubeNebulaTaskDetailResponse) status() resultStatus {
	if r.GetMcubeNebulaTaskDetailResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetMcubeNebulaTaskDetailResult.NebulaResult)
}

func (r *ChangeMcubeNebulaTaskStatusResponse) envelope() *Envelope { return &r.Envelope }
func (r *ChangeMcubeNebulaTaskStatusResponse) status() resultStatus {
	return nebulaStatus(r.ChangeMcubeNebulaTaskStatusResult)
}

func (r *GetMcubeFileTokenResponse) envelope() *Envelope { return &r.Envelope }
func (r *GetMcubeFileTokenResponse) status() resultStatus {
	if r.GetFileTokenResult == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.GetFileTokenResult.Success, msg: r.GetFileTokenResult.ResultMsg}
}

func (r *CreateMcubeVhostResponse) envelope() *Envelope { return &r.Envelope }
func (r *CreateMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.CreateVhostResult)
}

func (r *QueryMcubeVhostResponse) envelope() *Envelope { return &r.Envelope }
func (r *QueryMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.QueryVhostResult)
}

func (r *ExistMcubeRsaKeyResponse) envelope() *Envelope { return &r.Envelope }
func (r *ExistMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.CheckRsaKeyResult)
}

func (r *UploadMcubeRsaKeyResponse) envelope() *Envelope { return &r.Envelope }
func (r *UploadMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.UploadRsaResult)
}
