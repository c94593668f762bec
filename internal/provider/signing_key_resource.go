package provider

import (
	"bytes"
	"context"
	"io"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource              = (*signingKeyResource)(nil)
	_ resource.ResourceWithConfigure = (*signingKeyResource)(nil)
)

// signingKeyFileName is the name the key file is uploaded under.
const signingKeyFileName = "rsa_private_key.pem"

// NewSigningKeyResource is the constructor of mpaas_offline_package_signing_key.
func NewSigningKeyResource() resource.Resource { return &signingKeyResource{} }

type signingKeyResource struct {
	data *providerData
}

type signingKeyModel struct {
	ID                  types.String `tfsdk:"id"`
	PrivateKeyWO        types.String `tfsdk:"private_key_wo"`
	PrivateKeyWOVersion types.Int64  `tfsdk:"private_key_wo_version"`
	Exists              types.Bool   `tfsdk:"exists"`
}

func (r *signingKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_signing_key"
}

func (r *signingKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The workspace's RSA private key that mPaaS signs generated offline packages (`.amr`) with; " +
			"clients verify the signature with the matching public key. There is one per workspace. The key is a write-only " +
			"argument (Terraform 1.11 or later): it is sent to mPaaS but never stored in the plan or the state, so " +
			"`private_key_wo_version` tells Terraform when to upload it again. The API cannot delete the key: destroy only " +
			"removes the resource from the state, with a warning.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<app_id>/<workspace_id>`: the workspace the key belongs to.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"private_key_wo": schema.StringAttribute{
				Required:  true,
				WriteOnly: true,
				Sensitive: true,
				MarkdownDescription: "The RSA private key in PEM form, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 " +
					"(`BEGIN PRIVATE KEY`), unencrypted. Checked at plan time when known. Write-only: never stored in the " +
					"state; for example `ephemeral` values or `file()` of a key kept outside the configuration.",
				Validators: []validator.String{validators.RSAPrivateKey()},
			},
			"private_key_wo_version": schema.Int64Attribute{
				Required: true,
				MarkdownDescription: "Any number; change it (for example increment it) to upload `private_key_wo` again. " +
					"Changes are applied in place.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"exists": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether mPaaS reports a signing key for the workspace (`ExistMcubeRsaKey`).",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *signingKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *signingKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.upload(ctx, req.Config.GetAttribute, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *signingKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.upload(ctx, req.Config.GetAttribute, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

type attributeGetter func(ctx context.Context, p path.Path, target any) diagnostics

// upload sends the key from the configuration (write-only values are only
// there), from memory: it is small, and no copy touches the disk.
func (r *signingKeyResource) upload(ctx context.Context, getConfig attributeGetter, getPlan getter, state stateSetter, diags *diagnostics) {
	var plan signingKeyModel
	diags.Append(getPlan(ctx, &plan)...)
	var key types.String
	diags.Append(getConfig(ctx, path.Root("private_key_wo"), &key)...)
	if diags.HasError() {
		return
	}
	if key.IsNull() || key.IsUnknown() {
		diags.AddAttributeError(path.Root("private_key_wo"), "Missing private key",
			"private_key_wo has no value at apply. Give the PEM private key (a write-only argument needs Terraform 1.11 or later).")
		return
	}
	keyBytes := []byte(key.ValueString())
	if msg := validators.CheckRSAPrivateKey(keyBytes); msg != "" {
		diags.AddAttributeError(path.Root("private_key_wo"), "Invalid RSA private key", msg)
		return
	}
	client := r.data.client
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(keyBytes)), nil }
	fileURL, err := client.UploadFile(ctx, signingKeyFileName, int64(len(keyBytes)), open)
	if err != nil {
		diags.AddAttributeError(path.Root("private_key_wo"), "Cannot upload the signing key", apiErrorDetail(err))
		return
	}
	if err := client.UploadRsaKey(ctx, fileURL); err != nil {
		diags.AddAttributeError(path.Root("private_key_wo"), "Cannot register the signing key", apiErrorDetail(err))
		return
	}
	exists, err := client.ExistRsaKey(ctx)
	if err != nil {
		diags.AddError("Cannot check the signing key", apiErrorDetail(err))
		return
	}
	plan.ID = types.StringValue(r.data.scopeID())
	plan.PrivateKeyWO = types.StringNull() // write-only: never in the state
	plan.Exists = types.BoolValue(exists)
	diags.Append(state.Set(ctx, &plan)...)
}

func (r *signingKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state signingKeyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	exists, err := r.data.client.ExistRsaKey(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot check the signing key", apiErrorDetail(err))
		return
	}
	if !exists {
		resp.State.RemoveResource(ctx)
		return
	}
	state.Exists = types.BoolValue(true)
	state.PrivateKeyWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *signingKeyResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("Signing key left in place",
		"The mPaaS API cannot delete the workspace's package-signing key, so it was only removed from the Terraform state. "+
			"New packages are still signed with it; replace it in the console or with another mpaas_offline_package_signing_key.")
}
