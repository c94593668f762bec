# Every package in the folder is named after its H5App ID: 12345678.zip, or a
# folder 23456789/ whose files the provider zips (source_dir).
data "mpaas_offline_package_batch" "release" {
  directory = "${path.root}/dist/offline-packages"
}

# One package per file; the H5App is created when missing and the version is
# assigned automatically. See examples/modules/batch-import for a ready-made module.
resource "mpaas_offline_package" "release" {
  for_each = data.mpaas_offline_package_batch.release.packages

  h5app_id                = each.key
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = each.value.source     # null for a folder
  source_dir              = each.value.source_dir # null for a zip
  android                 = { min_version = "10.1.68" }
  ios                     = { min_version = "10.2.0" }
}

output "batch_size" {
  value = "${data.mpaas_offline_package_batch.release.package_count} packages, ${data.mpaas_offline_package_batch.release.total_size_bytes} bytes"
}
