# Release train: the console's whole flow for a folder of H5Apps in one call.
#
# The packages come from the batch-import module (one mpaas_offline_package
# per <id>.zip or <id>/ folder, H5Apps created when missing, versions assigned
# at apply); this module adds one release task per package at the current
# stage. A release task cannot be edited, so promoting stage from grayscale
# to official re-releases each task in place (the new task first, then the
# old one ends) and leaves every package as it is: nothing is uploaded again.

module "packages" {
  source = "../batch-import"

  directory = var.directory
  defaults  = var.defaults
  overrides = var.overrides
}

locals {
  # Official releases go to every client the package targets; the audience
  # inputs only matter while the stage is grayscale.
  by_window    = var.stage == "grayscale" && var.window != null
  by_whitelist = var.stage == "grayscale" && var.window == null

  h5app_ids = keys(module.packages.packages)
}

resource "mpaas_offline_package_release" "this" {
  for_each = module.packages.packages

  # A new version (a changed zip) replaces its package and so this task: the
  # old version's task ends and the new version is released at the current stage.
  package_id    = each.value.package_id
  memo          = var.memo
  type          = var.stage
  whitelist_ids = local.by_whitelist ? var.whitelist_ids : null
  time_window   = local.by_window ? { duration = var.window.duration, max_users = var.window.max_users } : null
}

# Emulator only (the real service has no delivery-preview API): what a sample
# client of each platform receives once the releases are in place.
data "mpaas_delivery_preview" "sample" {
  for_each = var.preview_clients

  platform       = each.key
  client_version = each.value.client_version
  user_id        = each.value.user_id
  city           = each.value.city
  network        = each.value.network
  os_version     = each.value.os_version
  device_model   = each.value.device_model

  depends_on = [mpaas_offline_package_release.this]
}
