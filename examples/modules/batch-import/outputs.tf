output "packages" {
  description = "The imported packages by H5App ID: the version assigned to each (R24) and its mPaaS package ID."
  value = {
    for id, pkg in mpaas_offline_package.this : id => {
      version    = pkg.version
      package_id = pkg.id
    }
  }
}

output "package_count" {
  description = "Number of packages in the batch."
  value       = data.mpaas_offline_package_batch.this.package_count
}
