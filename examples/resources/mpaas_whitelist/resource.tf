# Exact user IDs. Adding or removing one changes the whitelist in place.
resource "mpaas_whitelist" "testers" {
  name    = "QA testers"
  type    = "normal"
  members = ["alice@example.com", "bob@example.com"]
}

# Regular expressions (RE2, checked at plan): a user is in the whitelist
# when its whole ID matches one of them.
resource "mpaas_whitelist" "staff" {
  name    = "Staff accounts"
  type    = "regex"
  members = ["staff-[0-9]{3,6}", ".*@example\\.com"]
}

# Large sets can come from a file, one user ID a line; they are uploaded as a
# file rather than sent in the request.
resource "mpaas_whitelist" "beta" {
  name    = "Beta programme"
  type    = "normal"
  members = toset(compact(split("\n", file("${path.module}/beta-users.txt"))))
}

# A grayscale release to the testers: whitelist_ids takes the numeric IDs.
resource "mpaas_offline_package_release" "testers" {
  package_id    = "4294967297" # an mpaas_offline_package's id
  memo          = "Testers first"
  type          = "grayscale"
  whitelist_ids = [mpaas_whitelist.testers.id, mpaas_whitelist.staff.id]
}
