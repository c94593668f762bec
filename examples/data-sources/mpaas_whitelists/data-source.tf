# Every whitelist of the workspace, sorted by ID, with how many values each holds.
data "mpaas_whitelists" "all" {}

# Only the whitelists whose name starts with "QA".
data "mpaas_whitelists" "qa" {
  name_regex = "^QA"
}

output "whitelist_sizes" {
  value = { for w in data.mpaas_whitelists.all.whitelists : w.name => w.member_count }
}

# Release to every QA whitelist.
output "qa_whitelist_ids" {
  value = [for w in data.mpaas_whitelists.qa.whitelists : w.id]
}
