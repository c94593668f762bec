# The `make demo` stack. The provider reads its endpoint and credentials from
# the environment that scripts/demo.sh sets up for the local emulator.
terraform {
  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}

provider "mpaas" {}

resource "mpaas_virtual_domain" "this" {
  domain = "h5app.example.com"
}

resource "mpaas_h5app" "portal" {
  h5app_id      = "12345678"
  name          = "Customer portal"
  force_destroy = true
}

output "h5app" {
  value = {
    id            = mpaas_h5app.portal.id
    name          = mpaas_h5app.portal.name
    resource_type = mpaas_h5app.portal.resource_type
  }
}

output "virtual_domain" {
  value = mpaas_virtual_domain.this.domain
}
