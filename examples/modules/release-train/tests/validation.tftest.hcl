# Inputs rejected at plan by the module's validation blocks, before anything
# is read or written (make test-modules; see rollout.tftest.hcl). Only plans:
# the emulator receives no write.
# expect-calls: CreateMcubeNebulaApp=0 oss:PostObject=0 CreateMcubeNebulaResource=0 CreateMcubeNebulaTask=0 ChangeMcubeNebulaTaskStatus=0

variables {
  directory     = "${var.packages}/release-train/v1"
  defaults      = { android = { min_version = "10.1.0" }, main_url = "/www/index.html" }
  stage         = "grayscale"
  whitelist_ids = ["4294967297"]
  memo          = "Release 2026.12"
}

run "override_keys_are_h5app_ids" {
  command = plan
  variables {
    overrides = { "1234" = { install_policy = "preload" }, "20000196" = {} }
  }
  expect_failures = [var.overrides]
}

run "pinned_version_has_four_numbers" {
  command = plan
  variables {
    overrides = { "31000003" = { version = "1.2" } }
  }
  expect_failures = [var.overrides]
}

run "stage_is_grayscale_or_official" {
  command = plan
  variables {
    stage = "canary"
  }
  expect_failures = [var.stage]
}

run "grayscale_needs_an_audience" {
  command = plan
  variables {
    whitelist_ids = []
  }
  expect_failures = [var.stage]
}

run "grayscale_has_one_audience" {
  command = plan
  variables {
    window = { duration = "72h", max_users = 1000 }
  }
  expect_failures = [var.stage]
}

run "window_duration_is_a_duration" {
  command = plan
  variables {
    whitelist_ids = []
    window        = { duration = "3 days", max_users = 1000 }
  }
  expect_failures = [var.window]
}

run "window_has_users" {
  command = plan
  variables {
    whitelist_ids = []
    window        = { duration = "72h", max_users = 0 }
  }
  expect_failures = [var.window]
}

run "whitelist_ids_have_no_commas" {
  command = plan
  variables {
    whitelist_ids = ["4294967297,4294967298"]
  }
  expect_failures = [var.whitelist_ids]
}

run "memo_is_not_empty" {
  command = plan
  variables {
    memo = " "
  }
  expect_failures = [var.memo]
}

run "preview_clients_are_platforms" {
  command = plan
  variables {
    preview_clients = { windows = { client_version = "10.1.0" } }
  }
  expect_failures = [var.preview_clients]
}

# Valid: official ignores the grayscale audience that is still set.
run "official_ignores_the_audience" {
  command = plan
  variables {
    stage = "official"
  }
  assert {
    condition     = alltrue([for r in mpaas_offline_package_release.this : r.type == "official" && r.whitelist_ids == null && r.time_window == null])
    error_message = "An official release has no whitelist and no window."
  }
}

# Valid: a window instead of a whitelist.
run "window_instead_of_whitelist" {
  command = plan
  variables {
    whitelist_ids = []
    window        = { duration = "72h", max_users = 1000 }
  }
  assert {
    condition     = alltrue([for r in mpaas_offline_package_release.this : r.type == "grayscale" && r.whitelist_ids == null && r.time_window.duration == "72h" && r.time_window.max_users == 1000])
    error_message = "A window release has a time_window and no whitelist."
  }
}
