terraform {
  # 1.9: validation blocks that refer to other variables (stage and its
  # audience); they also call the provider's functions (1.8).
  required_version = ">= 1.9"

  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}
