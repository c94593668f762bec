# Test helper of the module suites (examples/modules/*/tests): one
# mpaas_whitelist for a run block to create, whose id later runs pass to the
# module under test. Not a module to use in a configuration.

terraform {
  required_version = ">= 1.9"

  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}

variable "name" {
  description = "The whitelist's name."
  type        = string
}

variable "members" {
  description = "The user IDs it holds."
  type        = set(string)
}

resource "mpaas_whitelist" "this" {
  name    = var.name
  type    = "normal"
  members = var.members
}

output "id" {
  description = "The whitelist's ID, as whitelist_ids takes it."
  value       = mpaas_whitelist.this.id
}
