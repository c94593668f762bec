# Grayscale for a time window instead of a whitelist, against the emulator
# (make test-modules; see rollout.tftest.hcl). release-train/window holds
# 33000001.zip. One H5App, one upload, one release task, ended at teardown.
# expect-calls: CreateMcubeNebulaApp=1 oss:PostObject=1 CreateMcubeNebulaResource=1 CreateMcubeNebulaTask=1 ChangeMcubeNebulaTaskStatus=1

variables {
  directory = "${var.packages}/release-train/window"
  defaults  = { android = { min_version = "10.1.0" } }
  stage     = "grayscale"
  window    = { duration = "72h", max_users = 1000 }
  memo      = "Canary for 72 hours"
  # Any client reaches a time-window release while the window is open.
  preview_clients = { android = { client_version = "10.1.0" } }
}

run "window" {
  assert {
    condition     = output.versions == { "33000001" = "0.0.0.1" } && output.stage == "grayscale"
    error_message = "Expected 33000001 at 0.0.0.1 in grayscale, got ${jsonencode(output.versions)} at ${output.stage}."
  }
  assert {
    condition     = output.preview.android["33000001"].version == "0.0.0.1"
    error_message = "A client should receive the package during the window, the preview says ${jsonencode(output.preview)}."
  }
}

run "window_in_emulator" {
  command = plan
  module {
    source = "../testing/emulator-view"
  }
  variables {
    h5app_ids = ["33000001"]
  }
  assert {
    condition     = length(output.active_releases["33000001"]) == 1 && output.active_releases["33000001"][0].type == "grayscale" && output.active_releases["33000001"][0].audience == "time window" && output.active_releases["33000001"][0].whitelist == ""
    error_message = "33000001 should have one active grayscale release for a time window and no whitelist, has ${jsonencode(output.active_releases)}."
  }
}
