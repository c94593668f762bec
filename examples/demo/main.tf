# The `make demo` stack. scripts/demo.sh points the provider at the local
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
  description = "Folder holding the demo's zips, built by scripts/demo.sh."
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
  h5app_id      = mpaas_h5app.portal.id
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
  h5app_id       = mpaas_h5app.shared.id
  resource_type  = "global"
  version        = "1.0.0.1"
  source         = "${var.packages_dir}/global/77777777.zip"
  android        = { min_version = "10.1.0" }
  ios            = { min_version = "10.1.0" }
  install_policy = "preload"
  depends_on     = [mpaas_virtual_domain.this]
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
      sha256        = pkg.source_sha256
      download_url  = pkg.download_url
      vhost         = pkg.vhost
    }
  }
}

output "batch" {
  value = module.batch.packages
}

output "virtual_domain" {
  value = mpaas_virtual_domain.this.domain
}
