terraform {
  # 1.8: the validation blocks call the provider's functions.
  required_version = ">= 1.8"

  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}
