resource "mpaas_virtual_domain" "this" {
  domain = "h5app.example.com"
}
