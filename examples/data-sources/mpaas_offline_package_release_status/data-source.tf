variable "package_id" {
  description = "The package released, such as mpaas_offline_package.portal.id."
  type        = string
}

variable "release_id" {
  description = "A release task, such as mpaas_offline_package_release.canary.id."
  type        = string
}

# How far the grayscale release of a package got: the package's most recent
# grayscale task, found by package (the package stays when the release task
# is replaced at promotion).
data "mpaas_offline_package_release_status" "grayscale" {
  package_id = var.package_id
  type       = "grayscale"
}

# Or one task by its ID.
data "mpaas_offline_package_release_status" "task" {
  release_id = var.release_id
}

output "grayscale" {
  value = {
    release  = data.mpaas_offline_package_release_status.grayscale.release_id
    status   = data.mpaas_offline_package_release_status.grayscale.status
    percent  = data.mpaas_offline_package_release_status.grayscale.percent
    notified = data.mpaas_offline_package_release_status.grayscale.upgrade_notice_num
  }
}
