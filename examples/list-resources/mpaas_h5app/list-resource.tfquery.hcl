# adopt.tfquery.hcl: every H5App of the provider's workspace.
# terraform query -generate-config-out=generated.tf writes an import block and
# an mpaas_h5app resource for each one.
list "mpaas_h5app" "all" {
  provider = mpaas
}

# One team's H5Apps in a shared workspace: the names that start with
# "team-a-" (a Go RE2 regular expression, unanchored unless ^ or $).
list "mpaas_h5app" "team_a" {
  provider = mpaas

  config {
    name_regex = "^team-a-"
  }
}

# Exactly these H5Apps (an ID that does not exist is an error).
list "mpaas_h5app" "chosen" {
  provider = mpaas

  config {
    h5app_ids = ["12345678", "23456789"]
  }
}
