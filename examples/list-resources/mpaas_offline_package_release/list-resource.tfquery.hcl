# Every release task of every package of every H5App (no config block),
# ended ones included.
list "mpaas_offline_package_release" "all" {
  provider = mpaas
}

# The tasks of one H5App that still deliver or may deliver again, with their
# resource objects (one task detail call per task).
list "mpaas_offline_package_release" "portal_live" {
  provider         = mpaas
  include_resource = true

  config {
    h5app_id = "12345678"
    statuses = ["active", "paused"]
  }
}
