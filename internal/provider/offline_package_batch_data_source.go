package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

var _ datasource.DataSourceWithConfigure = (*offlinePackageBatchDataSource)(nil)

// NewOfflinePackageBatchDataSource is the constructor of
// data "mpaas_offline_package_batch".
func NewOfflinePackageBatchDataSource() datasource.DataSource {
	return &offlinePackageBatchDataSource{}
}

// offlinePackageBatchDataSource reads a batch import folder (R20-R22, R26).
// It never calls the API, so it ignores the provider data.
type offlinePackageBatchDataSource struct{}

type offlinePackageBatchModel struct {
	Directory      types.String `tfsdk:"directory"`
	Packages       types.Map    `tfsdk:"packages"`
	PackageCount   types.Int64  `tfsdk:"package_count"`
	TotalSizeBytes types.Int64  `tfsdk:"total_size_bytes"`
}

var batchPackageAttrTypes = map[string]attr.Type{
	"h5app_id":   types.StringType,
	"source":     types.StringType,
	"source_dir": types.StringType,
	"size_bytes": types.Int64Type,
}

func (d *offlinePackageBatchDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_batch"
}

func (d *offlinePackageBatchDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads a batch import folder (console: Batch import HTML5 app, R20) and validates the whole "+
			"batch at plan time (R26): every `.zip` must be named after its 8-digit H5App ID, such as `12345678.zip` (R21, with the "+
			"H5App ID rules R2-R4), there may be at most %d packages totalling at most 300 MB (%d bytes, R22), and each must follow the "+
			"zip layout rules of `mpaas_offline_package` (entries under the top-level folder `<h5app_id>/`, no absolute or `..` paths). "+
			"A subfolder named after an H5App ID (`12345678/`) is a package too, given to `mpaas_offline_package` as `source_dir`: "+
			"its files are zipped below the H5App folder at apply. "+
			"Each broken rule is an error naming the offending file, and the plan stops before anything is uploaded. Files that are "+
			"neither are ignored with one warning. Only the zips' directories (and the folders' file names) are read, in parallel: "+
			"the packages' bytes are digested by the `mpaas_offline_package` resources, and not again while a file is unchanged. "+
			"It makes no API call and has no side effects. Use it with "+
			"`for_each` (see `examples/modules/batch-import`); its output is sorted and stable, so nothing churns between runs.",
			offlinepkg.MaxBatchFiles, offlinepkg.MaxBatchBytes),
		Attributes: map[string]schema.Attribute{
			"directory": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Folder holding the packages (not searched recursively). A relative path is kept relative in " +
					"`source`, so the state stays portable; Terraform resolves it against the working directory, so inside a " +
					"module prefer `\"${path.module}/packages\"` or `\"${path.root}/packages\"`.",
			},
			"packages": schema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The packages, keyed by H5App ID.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"h5app_id": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "The H5App ID, taken from the file name (R21).",
						},
						"source": schema.StringAttribute{
							Computed: true,
							MarkdownDescription: "Path of a `.zip` package: `directory` joined with the file name, with `/` separators; " +
								"null for a package folder. Pass it to `mpaas_offline_package.source`.",
						},
						"source_dir": schema.StringAttribute{
							Computed: true,
							MarkdownDescription: "Path of a package folder (`<h5app_id>/`), with `/` separators; null for a `.zip`. " +
								"Pass it to `mpaas_offline_package.source_dir`.",
						},
						"size_bytes": schema.Int64Attribute{
							Computed:            true,
							MarkdownDescription: "Size in bytes of the `.zip`, or of the files of a package folder.",
						},
					},
				},
			},
			"package_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of packages (`count` is reserved by Terraform).",
			},
			"total_size_bytes": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Total size of the packages in bytes.",
			},
		},
	}
}

// Configure accepts the provider data and ignores it: the batch is read
// from the local disk only.
func (d *offlinePackageBatchDataSource) Configure(_ context.Context, _ datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
}

func (d *offlinePackageBatchDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, ok := getConfig[offlinePackageBatchModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	directory := config.Directory.ValueString()
	packages, total, ok := readBatch(directory, &resp.Diagnostics)
	if !ok {
		return
	}
	elements := make(map[string]attr.Value, len(packages))
	for _, p := range packages {
		source, sourceDir := types.StringValue(p.Path), types.StringNull()
		if p.Folder {
			source, sourceDir = types.StringNull(), types.StringValue(p.Path)
		}
		object, diags := types.ObjectValue(batchPackageAttrTypes, map[string]attr.Value{
			"h5app_id":   types.StringValue(p.H5AppID),
			"source":     source,
			"source_dir": sourceDir,
			"size_bytes": types.Int64Value(p.Size),
		})
		resp.Diagnostics.Append(diags...)
		elements[p.H5AppID] = object
	}
	packagesValue, diags := types.MapValue(types.ObjectType{AttrTypes: batchPackageAttrTypes}, elements)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	config.Packages = packagesValue
	config.PackageCount = types.Int64Value(int64(len(packages)))
	config.TotalSizeBytes = types.Int64Value(total)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// batchPackage is one validated package of a batch folder.
type batchPackage struct {
	H5AppID string
	Path    string
	Folder  bool
	Size    int64
}

// readBatch scans and validates a batch folder. Every problem is its own
// error on directory naming the file (R26); ok is false when there is any.
// The count and size caps (R22) are checked from the directory listing
// before any package is opened, and when they fail none is.
func readBatch(directory string, diags *diag.Diagnostics) (packages []batchPackage, total int64, ok bool) {
	attribute := path.Root("directory")
	if directory == "" {
		diags.AddAttributeError(attribute, "Empty directory", "directory must name the folder that holds the .zip files to import.")
		return nil, 0, false
	}
	files, ignored, problems, err := offlinepkg.ScanBatchDir(directory)
	if err != nil {
		diags.AddAttributeError(attribute, "Cannot read the batch directory", cannotReadDirectory(directory, err))
		return nil, 0, false
	}
	if len(ignored) > 0 {
		summary := fmt.Sprintf("%d entries of the batch directory are ignored", len(ignored))
		if len(ignored) == 1 {
			summary = "1 entry of the batch directory is ignored"
		}
		diags.AddAttributeWarning(attribute, summary,
			fmt.Sprintf("Only files named <8-digit H5App ID>.zip and package folders named <8-digit H5App ID> are imported from %q. "+
				"These entries are neither and are ignored: %s.", directory, strings.Join(ignored, ", ")))
	}
	limitsBroken := false
	for _, problem := range problems {
		if problem.File == "" {
			limitsBroken = true
		}
	}
	if !limitsBroken && len(files) > 0 {
		inspectProblems := offlinepkg.InspectBatch(files, func(f offlinepkg.BatchFile) offlinepkg.InspectOptions {
			// The resource type is not known here, so the global layout (R7) is left to mpaas_offline_package.
			return offlinepkg.InspectOptions{H5AppID: f.H5AppID}
		}, runtime.GOMAXPROCS(0))
		problems = append(problems, inspectProblems...)
		for _, f := range files {
			packages = append(packages, batchPackage{H5AppID: f.H5AppID, Path: filepath.ToSlash(f.Path), Folder: f.Folder, Size: f.Size})
			total += f.Size
		}
	}
	for _, problem := range sortedBatchProblems(problems) {
		summary := "Invalid batch import directory"
		if problem.File != "" {
			summary = "Invalid batch import file " + problem.File
		}
		diags.AddAttributeError(attribute, summary, problem.Message)
	}
	if len(problems) > 0 {
		return nil, 0, false
	}
	if len(files) == 0 {
		diags.AddAttributeError(attribute, "No packages to import",
			fmt.Sprintf("The directory %q contains no packages. Put the offline packages there, each named after its "+
				"8-digit H5App ID: a zip such as 12345678.zip (R21) or a folder such as 12345678/.", directory))
		return nil, 0, false
	}
	return packages, total, true
}

// sortedBatchProblems orders problems by file name, the directory-wide ones
// (count and size, R22) last.
func sortedBatchProblems(problems []offlinepkg.BatchProblem) []offlinepkg.BatchProblem {
	var perFile, whole []offlinepkg.BatchProblem
	for _, problem := range problems {
		if problem.File == "" {
			whole = append(whole, problem)
		} else {
			perFile = append(perFile, problem)
		}
	}
	sort.SliceStable(perFile, func(i, j int) bool { return perFile[i].File < perFile[j].File })
	return append(perFile, whole...)
}

func cannotReadDirectory(directory string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The directory %q does not exist. Point directory at the folder that holds the .zip files; a relative "+
			"path is resolved against the directory Terraform runs in.", directory)
	}
	return fmt.Sprintf("The directory %q cannot be read: %v.", directory, err)
}
