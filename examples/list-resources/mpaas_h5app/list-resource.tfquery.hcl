# adopt.tfquery.hcl: every H5App of the provider's workspace.
# terraform query -generate-config-out=generated.tf writes an import block and
# an mpaas_h5app resource for each one.
list "mpaas_h5app" "all" {
  provider = mpaas
}
