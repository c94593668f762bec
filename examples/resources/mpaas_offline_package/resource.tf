resource "mpaas_h5app" "portal" {
  h5app_id = "12345678"
  name     = "Customer portal"
}

resource "mpaas_offline_package" "portal" {
  h5app_id      = mpaas_h5app.portal.h5app_id
  resource_type = "normal"
  source        = "${path.module}/dist/12345678.zip"
  # version is assigned automatically: 0.0.0.1, then 0.0.0.2 for the next content, ...

  android = { min_version = "10.1.68" }
  ios     = { min_version = "10.2.0" }

  main_url        = "/www/index.html"
  extend_info     = { asyncReqRate = "1800" }
  download_policy = "wifi_only"
  install_policy  = "on_open"
}

# A global (shared resources) package with a pinned version.
resource "mpaas_offline_package" "shared" {
  h5app_id                = "77777777"
  create_h5app_if_missing = true
  h5app_name              = "Shared resources"
  resource_type           = "global"
  version                 = "1.0.0.1"
  source                  = "${path.module}/dist/77777777.zip"
  android                 = { min_version = "10.1.68" }
}
