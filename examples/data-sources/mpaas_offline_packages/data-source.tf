# The package versions of one H5App, oldest first.
data "mpaas_offline_packages" "portal" {
  h5app_id = "12345678"
}

output "portal_versions" {
  value = [for p in data.mpaas_offline_packages.portal.packages : p.version]
}

# The version the next automatically versioned package follows (null when none).
output "portal_latest_version" {
  value = data.mpaas_offline_packages.portal.latest_version
}

output "portal_latest_download_url" {
  value = one([for p in data.mpaas_offline_packages.portal.packages : p.download_url if p.version == data.mpaas_offline_packages.portal.latest_version])
}
