# Every package version of every H5App (no config block).
list "mpaas_offline_package" "all" {
  provider = mpaas
}

# The versions 2.0.0.0 to 2.0.0.99 of one H5App, with their resource objects.
list "mpaas_offline_package" "portal_2_0" {
  provider         = mpaas
  include_resource = true
  limit            = 20

  config {
    h5app_id    = "12345678"
    min_version = "2.0.0.0"
    max_version = "2.0.0.99"
  }
}
