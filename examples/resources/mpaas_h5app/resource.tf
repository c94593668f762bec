resource "mpaas_h5app" "portal" {
  h5app_id = "12345678"
  name     = "Customer portal" # the API has no rename: a new name replaces the H5App

  # Destroying or replacing an H5App deletes its package versions. While this
  # is false, such a plan fails before anything is changed. To allow it, set
  # true and apply that change alone first (the old H5App is deleted with the
  # value already applied); the plan then warns how many versions go.
  force_destroy = false
}
