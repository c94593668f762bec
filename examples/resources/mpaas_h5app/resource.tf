resource "mpaas_h5app" "portal" {
  h5app_id = "12345678"
  name     = "Customer portal"

  # Deleting an H5App deletes its package versions. Leave this false to make
  # `terraform destroy` refuse while packages exist.
  force_destroy = false
}
