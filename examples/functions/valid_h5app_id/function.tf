# Reject a bad H5App ID in a module input, with the rule it breaks.
variable "h5app_id" {
  type = string

  validation {
    condition     = provider::mpaas::valid_h5app_id(var.h5app_id).valid
    error_message = provider::mpaas::valid_h5app_id(var.h5app_id).reason
  }
}
