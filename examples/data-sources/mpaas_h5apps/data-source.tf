# Every H5App of the workspace, sorted by ID.
data "mpaas_h5apps" "all" {}

# Only the H5Apps whose name starts with "Shop".
data "mpaas_h5apps" "shops" {
  name_regex = "^Shop"
}

output "all_h5app_ids" {
  value = data.mpaas_h5apps.all.ids
}

output "shop_names" {
  value = { for app in data.mpaas_h5apps.shops.h5apps : app.h5app_id => app.name }
}
