terraform {
  required_version = ">= 1.5"

  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}
