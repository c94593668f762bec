# The key is write-only (Terraform 1.11+): it is uploaded but never stored in
# the plan or the state. Read it from a file kept outside the configuration (or
# from an ephemeral resource) rather than writing it literally.
resource "mpaas_offline_package_signing_key" "this" {
  private_key_wo         = file("${path.module}/secrets/package-signing-key.pem")
  private_key_wo_version = 1 # increment to upload a new key
}
