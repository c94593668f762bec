variable "candidate_version" {
  type = string
}

variable "released_version" {
  type = string
}

# -1, 0 or 1; "1.0.0.10" is above "1.0.0.9" (numeric, not lexical).
output "is_upgrade" {
  value = provider::mpaas::compare_versions(var.candidate_version, var.released_version) > 0
}
