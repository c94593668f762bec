# Batch import of HTML5 offline packages (console: Batch import HTML5 app).
#
# The data source validates the whole folder at plan time (R21, R22, zip
# layout; R26: any broken rule stops the plan before anything is uploaded).
# Each package then becomes one mpaas_offline_package: the H5App is created
# when missing (R23) and the version is assigned automatically (R24).

data "mpaas_offline_package_batch" "this" {
  directory = var.directory

  lifecycle {
    postcondition {
      condition     = length(setsubtract(keys(var.overrides), keys(self.packages))) == 0
      error_message = "overrides names H5Apps with no package in ${var.directory}: ${join(", ", sort(setsubtract(keys(var.overrides), keys(self.packages))))}. Remove them or add the matching .zip files."
    }
  }
}

locals {
  packages = data.mpaas_offline_package_batch.this.packages

  # With no platform in defaults, reach every client of both platforms.
  no_platform = var.defaults.android == null && var.defaults.ios == null
  all_clients = { min_version = "0.0.0", max_version = null }

  base = {
    h5app_name      = null
    version         = null
    resource_type   = var.defaults.resource_type
    android         = local.no_platform ? local.all_clients : var.defaults.android
    ios             = local.no_platform ? local.all_clients : var.defaults.ios
    main_url        = var.defaults.main_url
    vhost           = var.defaults.vhost
    download_policy = var.defaults.download_policy
    install_policy  = var.defaults.install_policy
  }

  # R25: per-package settings, overrides merged over defaults.
  settings = {
    for id in keys(local.packages) : id => merge(
      local.base,
      { for name, value in try(var.overrides[id], {}) : name => value if value != null && name != "extend_info" },
      { extend_info = merge(var.defaults.extend_info, try(var.overrides[id].extend_info, null)) },
    )
  }
}

resource "mpaas_offline_package" "this" {
  for_each = local.packages

  h5app_id                = each.key
  create_h5app_if_missing = true # R23
  h5app_name              = local.settings[each.key].h5app_name
  # Unless overrides pins it, the version is assigned at apply (R24): 0.0.0.1
  # for a new H5App, else the next one.
  version = local.settings[each.key].version

  # A <id>.zip comes as source, a <id>/ folder as source_dir (zipped at apply).
  # Versions follow content: a rebuilt zip with the same files plans no change.
  source     = each.value.source
  source_dir = each.value.source_dir

  resource_type   = local.settings[each.key].resource_type
  android         = local.settings[each.key].android
  ios             = local.settings[each.key].ios
  main_url        = local.settings[each.key].main_url
  vhost           = local.settings[each.key].vhost
  extend_info     = length(local.settings[each.key].extend_info) > 0 ? local.settings[each.key].extend_info : null
  download_policy = local.settings[each.key].download_policy
  install_policy  = local.settings[each.key].install_policy
}
