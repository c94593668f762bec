terraform {
  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}

# Credentials are best taken from the environment:
#   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET
#   (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials).
provider "mpaas" {
  region       = "cn-hangzhou"
  app_id       = "ONEX570DA89211721"
  workspace_id = "default"
  tenant_id    = "TNTABCDE"
}
