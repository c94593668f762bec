package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*releaseResource)(nil)

// releaseIdentityModel is the identity of a release task: its task ID, what
// an import names. The task ID alone finds the task (GetRelease).
type releaseIdentityModel struct {
	TaskID types.String `tfsdk:"task_id"`
}

func (r *releaseResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"task_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The release task's numeric ID (NebulaTaskId), such as 4294967297: the resource's id.",
			},
		},
	}
}

// setReleaseIdentity records the identity of the task whose ID is taskID.
func setReleaseIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, taskID types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, releaseIdentityModel{TaskID: taskID})
}

// importRelease starts the state of an import by task ID, given as the
// import ID or as identity = { task_id = "..." }; Read fills in the rest.
func importRelease(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	taskID := req.ID
	if taskID == "" && req.Identity != nil {
		var identity releaseIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		taskID = identity.TaskID.ValueString()
	}
	if !digitsPattern.MatchString(taskID) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a release by its numeric task ID (NebulaTaskId), "+
			"such as 4294967297, or by identity = { task_id = \"4294967297\" }; got %q.", taskID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), taskID)...)
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, types.StringValue(taskID))...)
}
