# The `make demo` stack. tools/scripts/demo.sh points the provider at the local
# emulator through the environment and builds the zips under ./packages.
terraform {
  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}

provider "mpaas" {}

variable "packages_dir" {
  description = "Folder holding the demo's zips, built by tools/scripts/demo.sh."
  type        = string
  default     = "packages"
}

resource "mpaas_virtual_domain" "this" {
  domain = "h5app.example.com"
}

resource "mpaas_h5app" "portal" {
  h5app_id      = "12345678"
  name          = "Customer portal"
  force_destroy = true
}

# A normal package for both platforms; its version is assigned (0.0.0.1).
resource "mpaas_offline_package" "portal" {
  h5app_id      = mpaas_h5app.portal.h5app_id
  resource_type = "normal"
  source        = "${var.packages_dir}/normal/12345678.zip"

  android = { min_version = "10.1.0" }
  ios     = { min_version = "10.2.0" }

  main_url        = "/www/index.html"
  extend_info     = { asyncReqRate = "1800" }
  download_policy = "wifi_only"
  install_policy  = "on_open"

  # The package takes the workspace's virtual domain, so set it first.
  depends_on = [mpaas_virtual_domain.this]
}

resource "mpaas_h5app" "shared" {
  h5app_id      = "77777777"
  name          = "Shared resources"
  force_destroy = true
}

# A global package: files under 77777777/mcube-prod.mpaascloud.com/.
resource "mpaas_offline_package" "shared" {
  h5app_id       = mpaas_h5app.shared.h5app_id
  resource_type  = "global"
  version        = "1.0.0.1"
  source         = "${var.packages_dir}/global/77777777.zip"
  android        = { min_version = "10.1.0" }
  ios            = { min_version = "10.1.0" }
  install_policy = "preload"
  depends_on     = [mpaas_virtual_domain.this]
}

# Release the portal package to every client it targets.
resource "mpaas_offline_package_release" "portal" {
  package_id = mpaas_offline_package.portal.id
  memo       = "Customer portal, general availability"
  type       = "official"
}

# Which package would each client receive? The provider simulates the
# client's update check from the packages and releases the API returns.
locals {
  clients = {
    "android 10.0.9" = { platform = "android", client_version = "10.0.9" }
    "android 10.1.0" = { platform = "android", client_version = "10.1.0" }
    "ios 10.1.9"     = { platform = "ios", client_version = "10.1.9" }
    "ios 10.2.0"     = { platform = "ios", client_version = "10.2.0" }
  }
}

data "mpaas_delivery_preview" "client" {
  for_each       = local.clients
  platform       = each.value.platform
  client_version = each.value.client_version
  h5app_id       = mpaas_offline_package_release.portal.h5app_id
}

# The console's "Batch import HTML5 app": every <id>.zip in a folder, apps
# created when missing, versions assigned, one package overridden.
module "batch" {
  source    = "../modules/batch-import"
  directory = "${var.packages_dir}/batch"

  defaults = {
    android  = { min_version = "10.1.0" }
    ios      = { min_version = "10.1.0" }
    main_url = "/www/index.html"
    # Referencing the virtual domain also orders the import after it.
    vhost = mpaas_virtual_domain.this.domain
  }
  overrides = {
    "31000003" = { h5app_name = "Campaign page", install_policy = "preload" }
  }
}

output "h5apps" {
  value = { for app in [mpaas_h5app.portal, mpaas_h5app.shared] : app.id => app.name }
}

output "packages" {
  value = {
    for pkg in [mpaas_offline_package.portal, mpaas_offline_package.shared] : pkg.h5app_id => {
      package_id    = pkg.id
      version       = pkg.version
      resource_type = pkg.resource_type
      content       = pkg.content_sha256
      download_url  = pkg.download_url
      vhost         = pkg.vhost
    }
  }
}

output "batch" {
  value = module.batch.packages
}

output "delivery_matrix" {
  description = "What each client receives from the released portal H5App."
  value = {
    for client, preview in data.mpaas_delivery_preview.client : client => (
      length(preview.packages) > 0
      ? "gets ${preview.packages[0].h5app_id} ${preview.packages[0].version} (${preview.packages[0].reason})"
      : "gets nothing (${join("; ", [for s in preview.skipped : s.reason])})"
    )
  }
}

output "virtual_domain" {
  value = mpaas_virtual_domain.this.domain
}
