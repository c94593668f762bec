resource "mpaas_offline_package" "portal" {
  h5app_id      = "12345678"
  resource_type = "normal"
  source        = "${path.module}/dist/12345678.zip"
  android       = { min_version = "10.1.68" }
  ios           = { min_version = "10.2.0" }
}

# Grayscale to the users of a whitelist first: whitelist_ids takes the
# numeric IDs of mpaas_whitelist (or of whitelists made in the console).
resource "mpaas_whitelist" "testers" {
  name    = "Portal testers"
  type    = "normal"
  members = ["alice@example.com", "bob@example.com"]
}

resource "mpaas_offline_package_release" "testers" {
  package_id    = mpaas_offline_package.portal.id
  memo          = "Testers first"
  type          = "grayscale"
  whitelist_ids = [mpaas_whitelist.testers.id]
}

# Or grayscale for a time window, narrowed by rules. The window starts when
# the task is created and lasts duration (below 168h); end_time is computed
# then and stays the same at every later plan.
resource "mpaas_offline_package_release" "canary" {
  package_id = mpaas_offline_package.portal.id
  memo       = "Canary in Hangzhou on Wi-Fi"
  type       = "grayscale"
  time_window = {
    duration  = "72h"
    max_users = 1000
  }
  rules = [
    { element = "city", operator = "contains", values = ["Hangzhou"] },
    { element = "network", operator = "contains", values = ["wifi"] },
    { element = "os_version", operator = "in_range", values = ["10.0", "17.5"] },
  ]
  status = "paused" # pause, resume ("active") or end ("ended", final) in place
}

# Then to everyone the package targets.
resource "mpaas_offline_package_release" "everyone" {
  package_id = mpaas_offline_package.portal.id
  memo       = "General availability"
  type       = "official"
}
