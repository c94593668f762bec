# Inputs rejected at plan by the module's validation blocks (make
# test-modules; see import.tftest.hcl). Only plans: the emulator receives no write.
# expect-calls: CreateMcubeNebulaApp=0 oss:PostObject=0 CreateMcubeNebulaResource=0 CreateMcubeNebulaTask=0 ChangeMcubeNebulaTaskStatus=0

variables {
  directory = "${var.packages}/batch-import/v1"
  defaults  = { android = { min_version = "10.1.68" } }
}

run "override_keys_are_h5app_ids" {
  command = plan
  variables {
    overrides = { "3200001" = { install_policy = "preload" }, "66666601" = {} }
  }
  expect_failures = [var.overrides]
}

run "pinned_version_has_four_numbers" {
  command = plan
  variables {
    overrides = { "32000003" = { version = "v1.2.0.1" } }
  }
  expect_failures = [var.overrides]
}

run "pinned_version_is_above_zero" {
  command = plan
  variables {
    overrides = { "32000003" = { version = "0.0.0.0" } }
  }
  expect_failures = [var.overrides]
}

run "directory_is_set" {
  command = plan
  variables {
    directory = ""
  }
  expect_failures = [var.directory]
}

# Valid: a pinned version goes to the package as it is (one that
# import.tftest.hcl does not upload, whichever file runs first).
run "pinned_version" {
  command = plan
  variables {
    overrides = { "32000003" = { version = "9.0.0.1" } }
  }
  assert {
    condition     = mpaas_offline_package.this["32000003"].version == "9.0.0.1" && mpaas_offline_package.this["32000003"].source_dir != null
    error_message = "The pinned version should be planned for the 32000003/ folder."
  }
}
