# Test helper of the module suites (examples/modules/*/tests): what the
# emulator holds for some H5Apps, read back after a run of the module under
# test. Not a module to use in a configuration.
#
# - versions, packages, h5app_names: through the provider's data sources (the API).
# - active_releases: from the emulator's store (state.json in its data folder;
#   tools/scripts/test-modules.sh passes its path), because no data source
#   lists release tasks.
# - whitelist_members: from the emulator's store (the API lists no members).
# - delivered: what other clients receive (the provider's delivery preview,
#   which cannot see whitelist members: a whitelist release reaches no one there).

terraform {
  required_version = ">= 1.9"

  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}

variable "h5app_ids" {
  description = "The H5Apps to read back."
  type        = set(string)
}

variable "emulator_store" {
  description = "Path of the emulator's state.json (its -data-dir holds it)."
  type        = string
}

variable "clients" {
  description = "Clients to preview, by a name of your choice: { platform, client_version, user_id }."
  type = map(object({
    platform       = string
    client_version = string
    user_id        = optional(string)
  }))
  default = {}
}

data "mpaas_h5apps" "all" {}

data "mpaas_offline_packages" "app" {
  for_each = var.h5app_ids
  h5app_id = each.key
}

data "mpaas_delivery_preview" "client" {
  for_each       = var.clients
  platform       = each.value.platform
  client_version = each.value.client_version
  user_id        = each.value.user_id
}

locals {
  store = jsondecode(file(var.emulator_store))

  # Package versions by package ID, and every release task, over all scopes.
  package_by_id = merge([for scope in values(local.store.scopes) : { for id, r in scope.resources : id => r.item }]...)
  tasks         = flatten([for scope in values(local.store.scopes) : [for t in values(scope.tasks) : t.detail]])

  # The release codes of the emulator and the provider (internal/mpaas/enums.go):
  # TaskStatus 1 = active; PublishType 2 = grayscale, 3 = official;
  # PublishMode 0 = official, 1 = whitelist, 2 = time window.
  active_tasks = [for t in local.tasks : {
    h5app_id  = local.package_by_id[tostring(t.PackageId)].H5Id
    version   = local.package_by_id[tostring(t.PackageId)].H5Version
    type      = t.PublishType == 3 ? "official" : "grayscale"
    audience  = t.PublishMode == 1 ? "whitelist" : t.PublishMode == 2 ? "time window" : "everyone"
    whitelist = t.WhitelistIds
    memo      = t.Memo
  } if t.TaskStatus == 1]
}

output "versions" {
  description = "The package versions each H5App holds, oldest first."
  value       = { for id, list in data.mpaas_offline_packages.app : id => [for p in list.packages : p.version] }
}

output "packages" {
  description = "The settings of each H5App's highest version."
  value = {
    for id, list in data.mpaas_offline_packages.app : id => one([
      for p in list.packages : {
        version         = p.version
        resource_type   = p.resource_type
        android_min     = try(p.android.min_version, null)
        ios_min         = try(p.ios.min_version, null)
        main_url        = p.main_url
        install_policy  = p.install_policy
        download_policy = p.download_policy
      } if p.version == list.latest_version
    ])
  }
}

output "h5app_names" {
  description = "The name of each H5App."
  value       = { for app in data.mpaas_h5apps.all.h5apps : app.h5app_id => app.name if contains(var.h5app_ids, app.h5app_id) }
}

output "active_releases" {
  description = "The active release tasks of each H5App: { version, type, audience, whitelist, memo }."
  value       = { for id in var.h5app_ids : id => [for t in local.active_tasks : t if t.h5app_id == id] }
}

output "whitelist_members" {
  description = "The members the emulator holds of each whitelist, by whitelist ID (the API cannot list them)."
  value       = merge([for scope in values(local.store.scopes) : { for id, w in try(scope.whitelists, {}) : id => w.members }]...)
}

output "delivered" {
  description = "By client name and H5App ID, the version the client receives, or null."
  value = {
    for name, preview in data.mpaas_delivery_preview.client : name => merge(
      { for id in var.h5app_ids : id => null },
      { for p in preview.packages : p.h5app_id => p.version if contains(var.h5app_ids, p.h5app_id) },
    )
  }
}
