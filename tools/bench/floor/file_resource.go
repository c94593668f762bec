package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type fileResource struct{ sink *sink }

type fileModel struct {
	Source types.String `tfsdk:"source"`
	SHA256 types.String `tfsdk:"sha256"`
}

func newFileResource() resource.Resource { return &fileResource{} }

func (r *fileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (r *fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "One file sent to the sink.",
		Attributes: map[string]schema.Attribute{
			"source": schema.StringAttribute{
				Required:      true,
				Description:   "Path of the file to send.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"sha256": schema.StringAttribute{
				Computed:      true,
				Description:   "SHA-256 of the bytes sent, hex.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *fileResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if s, ok := req.ProviderData.(*sink); ok {
		r.sink = s
	}
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	digest, err := r.create(ctx, plan.Source.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Upload failed", err.Error())
		return
	}
	plan.SHA256 = types.StringValue(digest)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// create uploads the file; with the minimal protocol (FLOOR_ROUND_TRIPS=3)
// it makes three round trips, one after the other: an upload grant, the
// upload, the register call.
func (r *fileResource) create(ctx context.Context, source string) (string, error) {
	if !r.sink.minimalProtocol {
		return r.send(ctx, source)
	}
	if err := r.post(ctx, "/token", source); err != nil {
		return "", err
	}
	digest, err := r.send(ctx, source)
	if err != nil {
		return "", err
	}
	return digest, r.post(ctx, "/register/"+url.PathEscape(source), source)
}

// post makes one small POST to the sink.
func (r *fileResource) post(ctx context.Context, path, source string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.sink.url+path, strings.NewReader("source="+url.QueryEscape(source)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.do(req)
}

// send streams the file through SHA-256 into one POST and returns the digest.
func (r *fileResource) send(ctx context.Context, source string) (string, error) {
	file, err := os.Open(source)
	if err != nil {
		return "", err
	}
	defer file.Close()
	hash := sha256.New()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.fileURL(source), io.TeeReader(file, hash))
	if err != nil {
		return "", err
	}
	if info, err := file.Stat(); err == nil {
		req.ContentLength = info.Size()
	}
	if err := r.do(req); err != nil {
		return "", err
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}

func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	get, err := http.NewRequestWithContext(ctx, http.MethodGet, r.fileURL(state.Source.ValueString()), nil)
	if err == nil {
		err = r.do(get)
	}
	if err != nil {
		resp.Diagnostics.AddError("Read failed", err.Error())
	}
}

func (r *fileResource) do(req *http.Request) error {
	resp, err := r.sink.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body) // lets the connection be reused
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	return nil
}

func (r *fileResource) fileURL(source string) string {
	return r.sink.url + "/files/" + url.PathEscape(source)
}

// Update never runs: source requires replacement and sha256 is computed.
func (r *fileResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

// Delete only forgets the file: the sink keeps nothing.
func (r *fileResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
