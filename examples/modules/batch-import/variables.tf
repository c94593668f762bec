variable "directory" {
  description = "Folder holding the offline packages, each named after its 8-digit H5App ID (12345678.zip). At most 100 files and 300 MB in total. A relative path is resolved against the directory Terraform runs in; prefer \"$${path.root}/packages\"."
  type        = string
  nullable    = false

  validation {
    condition     = trimspace(var.directory) != ""
    error_message = "directory is empty: set it to the folder that holds the <h5app_id>.zip files or <h5app_id>/ folders, such as \"$${path.root}/dist\"."
  }
}

variable "defaults" {
  description = <<-EOT
    Settings of every package, as on the console's batch import review page. resource_type defaults to "normal";
    download_policy and install_policy default to the resource's defaults ("wifi_only", "on_open"); vhost defaults
    to the workspace's virtual domain (pass mpaas_virtual_domain.<name>.domain to also order the import after it). When neither
    android nor ios is set, every package targets both platforms from client version 0.0.0 with no maximum
    (all current and future clients).
  EOT
  type = object({
    resource_type = optional(string, "normal")
    android = optional(object({
      min_version = string
      max_version = optional(string)
    }))
    ios = optional(object({
      min_version = string
      max_version = optional(string)
    }))
    main_url        = optional(string)
    vhost           = optional(string)
    extend_info     = optional(map(string))
    download_policy = optional(string)
    install_policy  = optional(string)
  })
  default  = {}
  nullable = false
}

variable "overrides" {
  description = <<-EOT
    Per-package changes keyed by H5App ID, merged over defaults field by field (R25). A field that is set replaces the
    default (android and ios as a whole object); extend_info is merged key by key. h5app_name names an H5App created
    by the import (default: its ID). version pins the package's version (four numbers such as "1.2.0.1") instead of
    the next one assigned at apply; a changed package then needs a new pinned version. Every key must be the ID of a
    .zip (or folder) in the directory.
  EOT
  type = map(object({
    h5app_name    = optional(string)
    version       = optional(string)
    resource_type = optional(string)
    android = optional(object({
      min_version = string
      max_version = optional(string)
    }))
    ios = optional(object({
      min_version = string
      max_version = optional(string)
    }))
    main_url        = optional(string)
    vhost           = optional(string)
    extend_info     = optional(map(string))
    download_policy = optional(string)
    install_policy  = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for id in keys(var.overrides) : provider::mpaas::valid_h5app_id(id).valid])
    error_message = "Every key of overrides must be the H5App ID a .zip or folder is named after, 8 digits such as \"31000003\": ${join("; ", [for id in keys(var.overrides) : provider::mpaas::valid_h5app_id(id).reason if !provider::mpaas::valid_h5app_id(id).valid])}."
  }

  validation {
    condition     = alltrue([for id, o in var.overrides : o.version == null || try(provider::mpaas::compare_versions(o.version, "0.0.0.0") > 0, false)])
    error_message = "Not a package version: ${join(", ", [for id, o in var.overrides : "overrides[\"${id}\"].version = \"${o.version}\"" if o.version != null && !try(provider::mpaas::compare_versions(o.version, "0.0.0.0") > 0, false)])}. Use four dot-separated numbers above 0.0.0.0 such as \"1.2.0.1\", or leave version out to get the next version at apply."
  }
}
