output "versions" {
  description = "The package version of each H5App, by H5App ID: assigned at apply (0.0.0.1, then the next after the highest) unless overrides pins it."
  value       = { for id, pkg in module.packages.packages : id => pkg.version }
}

output "package_ids" {
  description = "The mPaaS package ID (mpaas_offline_package.id) of each H5App's version, by H5App ID."
  value       = { for id, pkg in module.packages.packages : id => pkg.package_id }
}

output "release_ids" {
  description = "The release task ID (NebulaTaskId) of each H5App, by H5App ID. A promotion or a new version replaces the task, so the ID changes."
  value       = { for id, release in mpaas_offline_package_release.this : id => release.id }
}

output "stage" {
  description = "The stage every package is released at: \"grayscale\" or \"official\"."
  value       = var.stage
}

output "preview" {
  description = <<-EOT
    Emulator only: what the sample client of each platform in preview_clients receives, by platform and H5App ID:
    { version, reason }, with version null when the H5App delivers nothing to that client (reason says why). Empty
    when preview_clients is.
  EOT
  value = {
    for platform, preview in data.mpaas_delivery_preview.sample : platform => merge(
      { for s in preview.skipped : s.h5app_id => { version = null, reason = s.reason } if contains(local.h5app_ids, s.h5app_id) },
      { for p in preview.packages : p.h5app_id => { version = p.version, reason = p.reason } if contains(local.h5app_ids, p.h5app_id) },
    )
  }
}
