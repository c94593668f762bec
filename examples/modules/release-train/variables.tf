variable "directory" {
  description = "Folder holding the offline packages: <h5app_id>.zip files (12345678.zip) or <h5app_id>/ folders, at most 100 packages and 300 MB. Prefer \"$${path.root}/dist\": a plain relative path is resolved against the directory Terraform runs in."
  type        = string
  nullable    = false
  # Checked by the batch-import module (non-empty) and its data source (names, limits, zip layout).
}

variable "defaults" {
  description = "Settings of every package, as in the batch-import module: resource_type, android and ios ({ min_version, max_version }), main_url, vhost, extend_info, download_policy, install_policy. With neither android nor ios, every package targets every client of both platforms."
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
  description = "Per-package changes keyed by H5App ID, merged over defaults field by field (extend_info key by key): the fields of defaults, plus h5app_name for an H5App the module creates and version to pin a package version (four numbers such as \"1.2.0.1\") instead of the next one."
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

variable "stage" {
  description = "\"grayscale\": release every package to the audience (whitelist_ids or window). \"official\": release every package to every client it targets. Changing it replaces each release task (the old one ends) and uploads nothing."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["grayscale", "official"], var.stage)
    error_message = "stage = \"${var.stage}\" is not a stage: use \"grayscale\" (to whitelist_ids or a window first) or \"official\" (to every client)."
  }

  validation {
    condition     = var.stage != "grayscale" || (length(var.whitelist_ids) > 0) != (var.window != null)
    error_message = "stage = \"grayscale\" releases to an audience: set exactly one of whitelist_ids (such as [mpaas_whitelist.qa.id]) and window (such as { duration = \"72h\", max_users = 1000 })${length(var.whitelist_ids) > 0 && var.window != null ? ", not both" : ""}."
  }
}

variable "whitelist_ids" {
  description = "The grayscale audience: numeric whitelist IDs, such as [mpaas_whitelist.qa.id] (or of whitelists made in the console, Whitelist management), whose members receive the packages while stage is \"grayscale\". Kept, and ignored, when stage is \"official\"."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.whitelist_ids : trimspace(id) != "" && !strcontains(id, ",")])
    error_message = "Every whitelist ID must be non-empty and without commas (the API joins them with commas), such as mpaas_whitelist.qa.id; not valid: ${jsonencode([for id in var.whitelist_ids : id if trimspace(id) == "" || strcontains(id, ",")])}."
  }
}

variable "window" {
  description = "The grayscale audience as a time window instead of whitelist_ids: { duration = \"72h\", max_users = 1000 }. The window opens when the release task is created and lasts duration (above 0 and below 168h); up to max_users clients receive the packages. Ignored when stage is \"official\"."
  type = object({
    duration  = string
    max_users = number
  })
  default = null

  validation {
    condition     = var.window == null ? true : can(regex("^([0-9]+(\\.[0-9]+)?(h|m|s))+$", var.window.duration))
    error_message = "window.duration is a duration such as \"72h\", \"90m\" or \"1h30m\" (below 168h, 7 days), not \"${try(var.window.duration, "")}\"."
  }

  validation {
    condition     = var.window == null ? true : var.window.max_users >= 1 && floor(var.window.max_users) == var.window.max_users
    error_message = "window.max_users is how many clients at most receive the packages during the window: a whole number of at least 1, such as 1000."
  }
}

variable "memo" {
  description = "Release description shown in the console for every release task, 1 to 200 characters, such as \"Release 2026.12\"."
  type        = string
  nullable    = false

  validation {
    condition     = length(trimspace(var.memo)) > 0 && length(var.memo) <= 200
    error_message = "memo is the release description, 1 to 200 characters such as \"Release 2026.12\"; this one has ${length(var.memo)}."
  }
}

variable "preview_clients" {
  description = <<-EOT
    Emulator only: a sample client per platform ("android", "ios") whose deliveries the preview output shows after the
    release, such as { android = { client_version = "10.1.68", user_id = "qa-alice" } }. Whitelist members cannot be
    read through the API, so a grayscale whitelist release reaches no sample client (its reason says so). Leave it
    empty (the default) against the real mPaaS service.
  EOT
  type = map(object({
    client_version = string
    user_id        = optional(string)
    city           = optional(string)
    network        = optional(string)
    os_version     = optional(string)
    device_model   = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = length(setsubtract(keys(var.preview_clients), ["android", "ios"])) == 0
    error_message = "preview_clients is keyed by platform, \"android\" or \"ios\"; not platforms: ${join(", ", sort(setsubtract(keys(var.preview_clients), ["android", "ios"])))}."
  }
}
