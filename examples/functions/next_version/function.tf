# "1.0.0.10": the last part is incremented as a number.
output "after_1_0_0_9" {
  value = provider::mpaas::next_version("1.0.0.9")
}

# Pin the version that follows the current one of a package.
resource "mpaas_offline_package" "next" {
  h5app_id      = "12345678"
  resource_type = "normal"
  source        = "${path.module}/dist/12345678.zip"
  android       = { min_version = "10.1.68" }
  version       = provider::mpaas::next_version(var.current_version)
}

variable "current_version" {
  type    = string
  default = "1.0.0.9"
}
