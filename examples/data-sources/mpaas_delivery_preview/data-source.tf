# Which package would an Android 10.1.68 client of user "alice" in Hangzhou get?
# The provider simulates the client's update check from the H5Apps, packages and
# release tasks the mPaaS API returns, against the real service or the emulator.
data "mpaas_delivery_preview" "alice" {
  platform       = "android"
  client_version = "10.1.68"
  user_id        = "alice"
  city           = "Hangzhou"
  network        = "wifi"
  os_version     = "14.0"
}

output "delivered" {
  value = { for p in data.mpaas_delivery_preview.alice.packages : p.h5app_id => "${p.version} (${p.reason})" }
}

output "not_delivered" {
  value = { for s in data.mpaas_delivery_preview.alice.skipped : s.h5app_id => s.reason }
}
